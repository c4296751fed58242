/**
 * Resumption tokens that carry their own state: where the list stands (the datestamp
 * and id of the last record sent), its frozen upper bound, its arguments, the cursor and
 * the complete size. Signed with HMAC, so a tampered or foreign token is refused; only
 * URL-safe characters, because ECO puts tokens into URLs without encoding them.
 */
import { signToken, verifyToken } from '../http/signed-token.js';
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
    return signToken(this.key, short);
  }

  /** The state of a token, or `badResumptionToken`. */
  decode(token: string): ListState {
    const short = verifyToken(this.key, token);
    if (typeof short !== 'object' || short === null) throw bad();
    const fields = short as Record<string, unknown>;
    return Object.fromEntries(Object.entries(KEYS).filter(([, s]) => fields[s] !== undefined).map(([k, s]) => [k, fields[s]])) as unknown as ListState;
  }
}

function bad(): OaiError {
  return new OaiError('badResumptionToken', 'the resumption token is not one this repository issued');
}
