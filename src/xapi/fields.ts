/**
 * The one typed reader of a source record's fields, whatever the source: the cells of a
 * CSV row by column (Coursera's tables and clickstream, FutureLearn's datasets) or the
 * values of a JSON object by name or dotted path (Khan's API, edX event payloads). A
 * missing or malformed field throws `FieldError` naming the field; each platform's reader
 * (or the edX engine) catches it per record and turns it into a rejection at the record's
 * position: bad input is data, never a crash.
 */
import type { Rejection } from './run-summary.js';

/** A field a record needs is missing or malformed; caught per record into a rejection. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
  constructor(readonly rejection: Rejection) {
    super(rejection.detail);
  }
}

/** Where the fields come from: a CSV row or a JSON object. */
interface FieldSource {
  /** The value of a field; undefined when the record has none. */
  value(name: string): unknown;
  /** Whether the record has the field, even empty. */
  has(name: string): boolean;
  /** The field's name in rejections. */
  label(name: string): string;
  /** Every field with its value as the source wrote it. */
  entries(): [string, unknown][];
}

/** How a source writes its values, and the words of its rejections. */
export interface FieldDialect {
  /** true: numbers and booleans are read from text (CSV cells, edX payloads) and read as text; false: JSON, where each value must have its type. */
  text: boolean;
  /** The platform's timestamp as ISO 8601; undefined when the text is none. */
  time: (value: string) => string | undefined;
  /** The detail of a rejection, by what went wrong. */
  words: { missing: string; text: string; number: string; count: string; bool: string; time: string };
}

/** The words of rejections of CSV cells. */
export const CELL_WORDS: FieldDialect['words'] = { missing: 'empty', text: 'is not a string', number: 'is not a number', count: 'is not a whole number', bool: 'is neither true nor false', time: 'is not a timestamp' };

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?$/;

/**
 * An ISO 8601 time (UTC when it has no zone) as ISO 8601 in UTC; undefined when it is none.
 * @example isoTime('2013-05-21T17:24:53') // '2013-05-21T17:24:53.000Z'
 */
export function isoTime(value: string): string | undefined {
  const date = ISO_TIME.test(value) ? new Date(/Z|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`) : undefined;
  return date === undefined || Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The texts read as true and as false (`true`/`false`, `t`/`f`, `1`/`0`). */
const TRUE = new Set(['true', 't', '1']);
const FALSE = new Set(['false', 'f', '0']);

/** Typed reads of one record's fields. */
export class Fields {
  constructor(
    private readonly source: FieldSource,
    private readonly dialect: FieldDialect,
  ) {}

  private fail(code: 'missing_field' | 'bad_value', name: string, detail: string): never {
    throw new FieldError({ code, field: this.source.label(name), detail });
  }

  // An unset value: absent, JSON's null, or an empty text.
  private value(name: string, required: boolean): unknown {
    const v = this.source.value(name);
    const absent = v === undefined || v === null || v === '';
    if (absent && required) this.fail('missing_field', name, this.dialect.words.missing);
    return absent ? undefined : v;
  }

  /** Whether the record has the field (a CSV header has the column), even empty. */
  has(name: string): boolean {
    return this.source.has(name);
  }

  private text(name: string, required: boolean): string | undefined {
    const v = this.value(name, required);
    if (v === undefined || typeof v === 'string') return v;
    if (this.dialect.text && (typeof v === 'number' || typeof v === 'boolean')) return String(v);
    return this.fail('bad_value', name, this.dialect.words.text);
  }

  /** A text, undefined when absent. */
  opt(name: string): string | undefined {
    return this.text(name, false);
  }

  /** A text that must be there. */
  req(name: string): string {
    return this.text(name, true)!;
  }

  private number(name: string, required: boolean): number | undefined {
    const v = this.value(name, required);
    if (v === undefined) return undefined;
    const n = this.dialect.text && typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) this.fail('bad_value', name, this.dialect.words.number);
    return n;
  }

  /** A number, undefined when absent. */
  num(name: string): number | undefined {
    return this.number(name, false);
  }

  /** A number that must be there. */
  reqNum(name: string): number {
    return this.number(name, true)!;
  }

  /** A whole number, undefined when absent. */
  int(name: string): number | undefined {
    const n = this.num(name);
    if (n !== undefined && !Number.isInteger(n)) this.fail('bad_value', name, 'is not a whole number');
    return n;
  }

  /** A number from 0 to 1 that must be there (grades). */
  fraction(name: string): number {
    const n = this.reqNum(name);
    if (n < 0 || n > 1) this.fail('bad_value', name, 'is not between 0 and 1');
    return n;
  }

  private wholeCount(name: string, required: boolean): number | undefined {
    const v = this.value(name, required);
    if (v === undefined) return undefined;
    const n = this.dialect.text && typeof v === 'string' ? (/^\d+$/.test(v) ? Number(v) : NaN) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) this.fail('bad_value', name, this.dialect.words.count);
    return n;
  }

  /** A whole number from 0, undefined when absent. */
  count(name: string): number | undefined {
    return this.wholeCount(name, false);
  }

  /** A whole number from 0 that must be there. */
  reqCount(name: string): number {
    return this.wholeCount(name, true)!;
  }

  /** A boolean, undefined when absent. */
  bool(name: string): boolean | undefined {
    const v = this.value(name, false);
    if (v === undefined || typeof v === 'boolean') return v;
    const word = this.dialect.text && typeof v === 'string' ? v.toLowerCase() : undefined;
    if (word !== undefined && TRUE.has(word)) return true;
    if (word !== undefined && FALSE.has(word)) return false;
    return this.fail('bad_value', name, this.dialect.words.bool);
  }

  /** A flag: absent is false, as sources leave out flags that are not set. */
  flag(name: string): boolean {
    return this.bool(name) ?? false;
  }

  private timestamp(name: string, required: boolean, read: FieldDialect['time']): string | undefined {
    const text = this.text(name, required);
    if (text === undefined) return undefined;
    const iso = read(text);
    if (iso === undefined) this.fail('bad_value', name, this.dialect.words.time);
    return iso;
  }

  /** A timestamp as ISO 8601, read by the dialect's (or the given) reader; undefined when absent. */
  time(name: string, read = this.dialect.time): string | undefined {
    return this.timestamp(name, false, read);
  }

  /** A timestamp that must be there. */
  reqTime(name: string, read = this.dialect.time): string {
    return this.timestamp(name, true, read)!;
  }

  private object(name: string, required: boolean): Fields | undefined {
    const v = this.value(name, required);
    if (v === undefined) return undefined;
    if (!isObject(v)) this.fail('bad_value', name, 'is not an object');
    return jsonFields(v, this.dialect, `${this.source.label(name)}.`);
  }

  /** A nested JSON object, read with its path (`exercise_progress.level`); undefined when absent. */
  obj(name: string): Fields | undefined {
    return this.object(name, false);
  }

  /** A nested JSON object that must be there. */
  reqObj(name: string): Fields {
    return this.object(name, true)!;
  }

  /** A JSON array, or empty when absent. */
  list(name: string): unknown[] {
    const v = this.value(name, false);
    if (v !== undefined && !Array.isArray(v)) this.fail('bad_value', name, 'is not an array');
    return (v as unknown[] | undefined) ?? [];
  }

  /** The record's field names. */
  keys(): string[] {
    return this.source.entries().map(([name]) => name);
  }

  /** Every field as text, as the source wrote it (a CSV row's cells untrimmed, other JSON values as JSON). */
  all(): Record<string, string> {
    return Object.fromEntries(this.source.entries().map(([name, v]) => [name, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
}

/** Whether `v` is a JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How a CSV dialect writes its cells. */
export interface CellOptions {
  /** Header names of logical columns, for messages (Coursera's `<user>_user_id`). */
  names?: ReadonlyMap<string, string>;
  /** Cells that mean "no value" besides the empty one (`\N`, SQL's null). */
  nulls?: readonly string[];
  /** Whether cells are trimmed before reading. */
  trim?: boolean;
}

/**
 * The fields of one CSV row, by column name.
 * @example const f = cellFields(columns, row.cells, FUTURELEARN_DIALECT, { trim: true }); f.reqTime('submitted_at');
 */
export function cellFields(columns: ReadonlyMap<string, number>, cells: readonly string[], dialect: FieldDialect, options: CellOptions = {}): Fields {
  const { names, nulls = [], trim = false } = options;
  return new Fields(
    {
      value(name) {
        const i = columns.get(name);
        const cell = i === undefined ? undefined : cells[i];
        const value = trim ? cell?.trim() : cell;
        return value === undefined || nulls.includes(value) ? undefined : value;
      },
      has: (name) => columns.has(name),
      label: (name) => names?.get(name) ?? name,
      entries: () => [...columns].map(([name, i]) => [name, cells[i] ?? '']),
    },
    dialect,
  );
}

/**
 * The value at a dotted `path` (`discussion.id`) of a JSON value, or undefined.
 * @example valueAt({ POST: { slug: ['a'] } }, 'POST.slug') // ['a']
 */
export function valueAt(item: unknown, path: string): unknown {
  let value = item;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The fields of one JSON object by name or dotted path, named in rejections with the prefix `path`.
 * @example const f = jsonFields(item, KHAN_FIELDS); f.reqObj('exercise_progress').req('level');
 */
export function jsonFields(item: Record<string, unknown>, dialect: FieldDialect, path = ''): Fields {
  return new Fields(
    { value: (name) => valueAt(item, name), has: (name) => valueAt(item, name) !== undefined, label: (name) => `${path}${name}`, entries: () => Object.entries(item) },
    dialect,
  );
}
