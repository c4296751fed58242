/**
 * Typed reads of a FutureLearn dataset row by column name (never by position: the
 * columns differ between years). A malformed value throws `RowError` naming the column,
 * which the dataset reader turns into a rejection at the row's `file:line`. An empty
 * timestamp is not an error: that event did not happen (a learner who never unenrolled).
 */
import type { Rejection } from '../../xapi/run-summary.js';

/** A cell a record needs is missing or malformed. */
export class RowError extends Error {
  override readonly name = 'RowError';
  constructor(readonly rejection: Rejection) {
    super(rejection.detail);
  }
}

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

/** The cells of one row, read by (lower-cased) header name. */
export class DatasetFields {
  constructor(
    private readonly columns: ReadonlyMap<string, number>,
    private readonly cells: readonly string[],
  ) {}

  /** Whether the header has `column`. */
  has(column: string): boolean {
    return this.columns.has(column);
  }

  /** A cell's value, trimmed; an empty cell (or a column the header lacks) is absent. */
  opt(column: string): string | undefined {
    const i = this.columns.get(column);
    const value = i === undefined ? undefined : this.cells[i]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** A value that must be there. */
  req(column: string): string {
    const value = this.opt(column);
    if (value === undefined) throw new RowError({ code: 'missing_field', field: column, detail: 'empty' });
    return value;
  }

  /** A whole number from 0, undefined when absent. */
  count(column: string): number | undefined {
    const value = this.opt(column);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new RowError({ code: 'bad_value', field: column, detail: 'is not a whole number' });
    return Number(value);
  }

  /** A number (durations may have decimals), undefined when absent. */
  num(column: string): number | undefined {
    const value = this.opt(column);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n)) throw new RowError({ code: 'bad_value', field: column, detail: 'is not a number' });
    return n;
  }

  /** A boolean (`true`/`false`, `t`/`f`, `1`/`0`), undefined when absent. */
  bool(column: string): boolean | undefined {
    const value = this.opt(column)?.toLowerCase();
    if (value === undefined) return undefined;
    if (value === 'true' || value === 't' || value === '1') return true;
    if (value === 'false' || value === 'f' || value === '0') return false;
    throw new RowError({ code: 'bad_value', field: column, detail: 'is neither true nor false' });
  }

  /** A timestamp as ISO 8601; undefined when empty: the event did not happen. */
  time(column: string): string | undefined {
    const value = this.opt(column);
    if (value === undefined) return undefined;
    const iso = parseFutureLearnTime(value);
    if (iso === undefined) throw new RowError({ code: 'bad_value', field: column, detail: 'is not a timestamp' });
    return iso;
  }

  /** A timestamp that must be there. */
  reqTime(column: string): string {
    const iso = this.time(column);
    if (iso === undefined) throw new RowError({ code: 'missing_field', field: column, detail: 'empty' });
    return iso;
  }

  /** Every column of the header with its cell, as exported. */
  all(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [column, i] of this.columns) out[column] = this.cells[i] ?? '';
    return out;
  }
}
