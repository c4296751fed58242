/**
 * How Coursera writes the cells of its CSV exports, for the one field reader
 * (`../fields.ts`): an empty cell or `\N` (SQL's null) is absent, timestamps are UTC. A
 * missing or malformed value throws `FieldError` naming the column, which the table
 * reader turns into a rejection at the row's `file:line`.
 */
import { CELL_WORDS, cellFields, type FieldDialect, type Fields } from '../../xapi/fields.js';

/** The logical name of the user id column, whatever its header (`erasmus_user_id`, `<partner>_user_id`). */
export const USER_COLUMN = '<user>_user_id';

// Coursera writes `2026-09-14 08:30:00.123` (UTC, no zone); ISO forms are accepted too.
const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/;

/** A Coursera timestamp (UTC unless it says otherwise) or epoch milliseconds, as ISO 8601; undefined when it is neither. */
export function parseCourseraTime(value: string, epochMs = false): string | undefined {
  if (epochMs && /^\d{10,16}$/.test(value)) {
    const date = new Date(Number(value));
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  const m = TIMESTAMP.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = (frac ?? '').padEnd(3, '0').slice(0, 3);
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${zone === undefined ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  // `Date` rolls 2026-02-30 over to March; a rolled date is a bad one.
  if (Number.isNaN(date.getTime()) || (zone === undefined && date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`)) return undefined;
  return date.toISOString();
}

/** A Coursera timestamp or epoch milliseconds (the clickstream's), as ISO 8601. */
export const parseCourseraEpochTime = (value: string): string | undefined => parseCourseraTime(value, true);

const COURSERA_FIELDS: FieldDialect = {
  text: true,
  time: (value) => parseCourseraTime(value),
  words: CELL_WORDS,
};

/**
 * The fields of one row of a Coursera export; `names` gives the header of logical columns (`<user>_user_id`).
 * @example courseraFields(columns, row.cells).reqTime('course_progress_ts')
 */
export const courseraFields = (columns: ReadonlyMap<string, number>, cells: readonly string[], names?: ReadonlyMap<string, string>): Fields =>
  cellFields(columns, cells, COURSERA_FIELDS, { nulls: ['\\N'], ...(names && { names }) });
