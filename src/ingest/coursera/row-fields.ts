/**
 * Typed reads of the cells of a Coursera CSV row by column name. A missing or malformed
 * value throws `RowError` naming the column, which the table reader turns into a
 * rejection at the row's `file:line`: bad input is data, never a crash.
 */
import type { Rejection } from '../../xapi/run-summary.js';

/** A cell a record needs is missing or malformed. */
export class RowError extends Error {
  override readonly name = 'RowError';
  constructor(readonly rejection: Rejection) {
    super(rejection.detail);
  }
}

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

/** The cells of one row, read by column name. */
export class RowFields {
  constructor(
    private readonly columns: ReadonlyMap<string, number>,
    private readonly cells: readonly string[],
    private readonly names: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** The header name of a logical column, for messages. */
  private field(column: string): string {
    return this.names.get(column) ?? column;
  }

  /** A cell's value; an empty cell (or `\N`, SQL's null) is absent. */
  opt(column: string): string | undefined {
    const i = this.columns.get(column);
    const value = i === undefined ? undefined : this.cells[i];
    return value === undefined || value === '' || value === '\\N' ? undefined : value;
  }

  /** A value that must be there. */
  req(column: string): string {
    const value = this.opt(column);
    if (value === undefined) throw new RowError({ code: 'missing_field', field: this.field(column), detail: 'empty' });
    return value;
  }

  /** A number, undefined when absent. */
  num(column: string): number | undefined {
    const value = this.opt(column);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n)) throw new RowError({ code: 'bad_value', field: this.field(column), detail: 'is not a number' });
    return n;
  }

  /** A number that must be there. */
  reqNum(column: string): number {
    const n = this.num(column);
    if (n === undefined) throw new RowError({ code: 'missing_field', field: this.field(column), detail: 'empty' });
    return n;
  }

  /** A whole number, undefined when absent. */
  int(column: string): number | undefined {
    const n = this.num(column);
    if (n !== undefined && !Number.isInteger(n)) throw new RowError({ code: 'bad_value', field: this.field(column), detail: 'is not a whole number' });
    return n;
  }

  /** A number from 0 to 1 that must be there (grades). */
  fraction(column: string): number {
    const n = this.reqNum(column);
    if (n < 0 || n > 1) throw new RowError({ code: 'bad_value', field: this.field(column), detail: 'is not between 0 and 1' });
    return n;
  }

  /** A timestamp that must be there, as ISO 8601. */
  time(column: string, epochMs = false): string {
    const value = this.req(column);
    const iso = parseCourseraTime(value, epochMs);
    if (iso === undefined) throw new RowError({ code: 'bad_value', field: this.field(column), detail: 'is not a timestamp' });
    return iso;
  }
}
