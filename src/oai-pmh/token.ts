/**
 * Resumption tokens that carry their own state: where the list stands (the datestamp
 * and id of the last record sent), its frozen upper bound, its arguments, the cursor and
 * the complete size. Signed with HMAC, so a tampered or foreign token is refused; only
 * URL-safe characters, because ECO puts tokens into URLs without encoding them.
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from '../http/bearer.js';
import { OaiError } from './errors.js';

/** The state of a list between two pages. */
export interface ListState {
  /** The verb, so a ListRecords token is not taken by ListIdentifiers. */
  verb: string;
  prefix: string;
  set?: string;
  /** Records from this instant on (inclusive). */
  from?: string;
  /** Records before this instant (exclusive): `until` frozen at the first request. */
  before: string;
  /** The datestamp (to the microsecond) and id of the last record sent. */
  afterDatestamp: string;
  afterId: string;
  cursor: number;
  completeListSize: number;
}

const KEYS: Record<keyof ListState, string> = {
  verb: 'v', prefix: 'm', set: 's', from: 'f', before: 'u', afterDatestamp: 'd', afterId: 'i', cursor: 'c', completeListSize: 'n',
};

/** Signs and reads tokens with one key. */
export class TokenCodec {
  constructor(private readonly key: string) {}

  /** The token of `state`. */
  encode(state: ListState): string {
    const short = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined).map(([k, v]) => [KEYS[k as keyof ListState], v]));
    const body = Buffer.from(JSON.stringify(short)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The state of a token, or `badResumptionToken`. */
  decode(token: string): ListState {
    const [body, signature, ...rest] = token.split('.');
    if (body === undefined || signature === undefined || rest.length > 0) throw bad();
    if (!sameSecret(signature, this.sign(body))) throw bad();
    const short = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(KEYS).filter(([, s]) => short[s] !== undefined).map(([k, s]) => [k, short[s]])) as unknown as ListState;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, 16).toString('base64url');
  }
}

function bad(): OaiError {
  return new OaiError('badResumptionToken', 'the resumption token is not one this repository issued');
}
