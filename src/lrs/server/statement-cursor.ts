/**
 * The state of a GET /statements query between pages: the normalized filter, the `until`
 * bound fixed at the first page (so statements stored later never shift the pages), and
 * the position after the last statement returned. It travels inside the `more` IRL as
 * signed base64url JSON (Data §2.5.s3.b2), so the LRS keeps no state and the IRL stays
 * usable for as long as the statements are (§2.5.s3.b1). The signature is what bounds
 * the cost of a page: an edited `limit` would otherwise return the whole store at once.
 */
import { CodedError } from '../../errors.js';
import { signToken, verifyToken } from '../../http/signed-token.js';
import { timestampMillis } from './instant.js';

/** A UUID in standard string form (Data §4.4). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GET /statements filter with the agent reduced to its canonical IFI. */
export interface QueryFilter {
  ifi?: string;
  relatedAgents?: boolean;
  verb?: string;
  activity?: string;
  relatedActivities?: boolean;
  registration?: string;
  /** UTC ISO; statements stored strictly after. */
  since?: string;
  ascending?: boolean;
  /** Statements per page, 1 to the server maximum. */
  limit: number;
}

/** The `format` parameter of GET /statements (Communication §2.1.3). */
export type StatementFormat = 'exact' | 'ids' | 'canonical';

/** How statements are returned: the `format` and `attachments` parameters (Communication §2.1.3). */
export interface ResponseShape {
  format: StatementFormat;
  attachments: boolean;
}

/** The shape when neither parameter is given. */
export const DEFAULT_SHAPE: ResponseShape = { format: 'exact', attachments: false };

const FORMATS: readonly string[] = ['exact', 'ids', 'canonical'] satisfies StatementFormat[];

/** A query and where its next page starts. */
export interface StatementCursor {
  filter: QueryFilter;
  /** How the pages are returned; the `more` IRL keeps it, as it takes no other parameter. */
  shape: ResponseShape;
  /** UTC ISO; statements stored at or before, fixed at the first page. */
  until: string;
  /** The last statement returned: its `stored` as UTC ISO with microseconds (exact) and its `seq`. */
  after?: { stored: string; seq: number };
}

/** The cursor as an opaque `more` token, signed under `key`. */
export function encodeCursor(cursor: StatementCursor, key: string): string {
  const { filter: f } = cursor;
  const compact = {
    f: [f.ifi, f.relatedAgents, f.verb, f.activity, f.relatedActivities, f.registration, f.since, f.ascending, f.limit],
    u: cursor.until,
    a: cursor.after ? [cursor.after.stored, cursor.after.seq] : undefined,
    s: isDefault(cursor.shape) ? undefined : [cursor.shape.format, cursor.shape.attachments],
  };
  return signToken(key, compact);
}

/**
 * The cursor of a `more` token signed under `key`; a coded error `invalid` when the token is not
 * one of this LRS (malformed, edited, or signed under another database's key).
 */
export function decodeCursor(token: string, key: string): StatementCursor {
  const bad = () => new CodedError('invalid', 'more: not a continuation issued by this LRS');
  const compact = verifyToken(key, token);
  if (typeof compact !== 'object' || compact === null) throw bad();
  const { f, u, a, s } = compact as Record<string, unknown>;
  if (!Array.isArray(f) || f.length !== 9 || typeof u !== 'string' || Number.isNaN(timestampMillis(u))) throw bad();
  const [ifi, relatedAgents, verb, activity, relatedActivities, registration, since, ascending, limit] = f as unknown[];
  const optional = (v: unknown, type: 'string' | 'boolean') => v === undefined || v === null || typeof v === type;
  if (
    ![ifi, verb, activity, registration, since].every((v) => optional(v, 'string')) ||
    ![relatedAgents, relatedActivities, ascending].every((v) => optional(v, 'boolean')) ||
    typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 ||
    (typeof since === 'string' && Number.isNaN(timestampMillis(since))) ||
    (typeof registration === 'string' && !UUID.test(registration))
  ) {
    throw bad();
  }
  const filter: QueryFilter = { limit };
  const set = <K extends keyof QueryFilter>(key: K, value: unknown) => {
    if (value !== undefined && value !== null) filter[key] = value as QueryFilter[K];
  };
  set('ifi', ifi);
  set('relatedAgents', relatedAgents);
  set('verb', verb);
  set('activity', activity);
  set('relatedActivities', relatedActivities);
  set('registration', registration);
  set('since', since);
  set('ascending', ascending);
  const cursor: StatementCursor = { filter, until: u, shape: DEFAULT_SHAPE };
  if (s !== undefined) {
    if (!Array.isArray(s) || s.length !== 2 || !FORMATS.includes(s[0] as string) || typeof s[1] !== 'boolean') throw bad();
    cursor.shape = { format: s[0] as StatementFormat, attachments: s[1] };
  }
  if (a !== undefined) {
    if (!Array.isArray(a) || a.length !== 2 || typeof a[0] !== 'string' || typeof a[1] !== 'number') throw bad();
    if (Number.isNaN(timestampMillis(a[0])) || !Number.isSafeInteger(a[1])) throw bad();
    cursor.after = { stored: a[0], seq: a[1] };
  }
  return cursor;
}

function isDefault(shape: ResponseShape): boolean {
  return shape.format === DEFAULT_SHAPE.format && shape.attachments === DEFAULT_SHAPE.attachments;
}
