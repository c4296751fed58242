/**
 * How FutureLearn writes the cells of its datasets, for the one field reader
 * (`../fields.ts`), read by column name (never by position: the columns differ between
 * years). A malformed value throws `FieldError` naming the column, which the dataset
 * reader turns into a rejection at the row's `file:line`. An empty timestamp is not an
 * error: that event did not happen (a learner who never unenrolled).
 */
import { CELL_WORDS, cellFields, type FieldDialect, type Fields } from '../../xapi/fields.js';

// The datasets write `2016-08-10 14:28:49 UTC`; older files drop ` UTC`, some tools rewrite them as ISO 8601.
const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?\s*(UTC|Z|[+-]\d\d:?\d\d)?$/;

/**
 * A FutureLearn timestamp (UTC unless it says otherwise) as ISO 8601; undefined when it is none.
 * @example parseFutureLearnTime('2016-08-10 14:28:49 UTC') // '2016-08-10T14:28:49.000Z'
 */
export function parseFutureLearnTime(value: string): string | undefined {
  const m = TIMESTAMP.exec(value.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = (frac ?? '').padEnd(3, '0').slice(0, 3);
  const offset = zone === undefined || zone === 'UTC' || zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}.${ms}${offset}`);
  // `Date` rolls 2016-02-30 over to March; a rolled date is a bad one.
  if (Number.isNaN(date.getTime()) || (offset === 'Z' && date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`)) return undefined;
  return date.toISOString();
}

const FUTURELEARN_FIELDS: FieldDialect = {
  text: true,
  time: parseFutureLearnTime,
  words: CELL_WORDS,
};

/**
 * The fields of one dataset row by (lower-cased) header name, cells trimmed.
 * @example futurelearnFields(columns, row.cells).reqTime('submitted_at')
 */
export const futurelearnFields = (columns: ReadonlyMap<string, number>, cells: readonly string[]): Fields => cellFields(columns, cells, FUTURELEARN_FIELDS, { trim: true });
