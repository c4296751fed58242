// What PostgreSQL can hold. A value may be valid JSON and valid xAPI and still fail the
// insert of its whole batch: jsonb and text refuse U+0000, a lone UTF-16 surrogate
// becomes a `\ud800` escape that jsonb refuses, JSON.parse reads 1e400 as Infinity,
// which JSON.stringify writes as null, and timestamptz cannot read year 0000. These
// checks run before anything is written, and name the field, never the value.
import { childPath } from './paths.js';
import type { StatementIssue } from './issues.js';
import { isoFromRfc3339, timestampMillis } from './formats.js';

/**
 * The deepest nesting of objects and arrays stored. xAPI's own structures stay under 12
 * levels (a SubStatement's context activities' definitions' extensions), and real
 * extension values under 10; JSON.stringify and the validator recurse and run out of
 * stack a few thousand levels down. 100 leaves room for any real statement or document
 * and keeps every recursive step far from the stack limit.
 */
export const MAX_DEPTH = 100;

// With the `u` flag a surrogate pair is one code point and only a lone surrogate is \p{Cs}.
// That test costs more; most text holds no surrogate at all, which the first test tells.
const SUSPECT = /[\u0000\ud800-\udfff]/;
const UNSTORABLE = /[\u0000\p{Cs}]/u;
const UNSTORABLE_ALL = /[\u0000\p{Cs}]/gu;

/** What is wrong with a string the database cannot hold, or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  if (!SUSPECT.test(text) || !UNSTORABLE.test(text)) return undefined;
  return text.includes('\u0000')
    ? 'contains the character U+0000, which the database cannot store'
    : 'contains a lone UTF-16 surrogate (not Unicode text), which the database cannot store';
}

/** `text` with U+0000 and lone surrogates replaced by U+FFFD; the same string when there are none. */
export function replaceUnstorable(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, '\ufffd') : text;
}

/**
 * `text` with U+0000 and lone surrogates written as `\u0000`-style escapes, for text
 * columns that keep a record as received (`rejected_records`): nothing is lost, and the
 * row stores.
 */
export function escapeUnstorable(text: string): string {
  return UNSTORABLE.test(text)
    ? text.replace(UNSTORABLE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : text;
}

/** How a field path grows by one key: `childPath` (`a.b[0]`), or e.g. a JSON pointer's `/a/b/0`. */
export type PathJoin = (base: string, key: string | number) => string;

/** Where the walk is: the key of each container from the root, built into a path only for an issue. */
interface Place {
  parent: Place | undefined;
  key: string | number;
}

/** Issues listed per value at most: one bad value repeated is one problem, not thousands. */
const MAX_ISSUES = 20;

const FINITE_MESSAGE = 'must be a finite number (JSON numbers beyond ±1.8e308 cannot be stored)';
const DEPTH_MESSAGE = `nests deeper than ${MAX_DEPTH} levels, more than can be stored`;

/** One walk: its options, and the issues found so far. */
class Walk {
  readonly issues: StatementIssue[] = [];
  constructor(
    private readonly join: PathJoin,
    private readonly depthOnly: boolean,
  ) {}

  private pathOf(place: Place | undefined): string {
    return place === undefined ? '' : this.join(this.pathOf(place.parent), place.key);
  }

  private report(place: Place | undefined, key: string | number | undefined, message: string): void {
    const base = this.pathOf(place);
    this.issues.push({ path: key === undefined ? base : this.join(base, key), message });
  }

  /** A scalar at `key` of the container at `place`. */
  private leaf(place: Place | undefined, key: string | number | undefined, v: unknown): void {
    if (this.depthOnly) return;
    if (typeof v === 'string') {
      const problem = unstorableText(v);
      if (problem !== undefined) this.report(place, key, problem);
    } else if (typeof v === 'number' && !Number.isFinite(v)) {
      this.report(place, key, FINITE_MESSAGE);
    }
  }

  // Recursion is safe here: it stops at MAX_DEPTH, whatever the depth of the value.
  /** The container `value` at `place`, `depth` levels down (the root is level 1). */
  container(value: object, place: Place | undefined, depth: number): void {
    if (this.issues.length >= MAX_ISSUES) return;
    if (depth > MAX_DEPTH) {
      this.report(place, undefined, DEPTH_MESSAGE);
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.child(value[i], place, i, depth);
      return;
    }
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (!this.depthOnly) {
        const problem = unstorableText(key);
        if (problem !== undefined) this.report(place, key, `has a name that ${problem}`);
      }
      this.child(record[key], place, key, depth);
    }
  }

  private child(v: unknown, place: Place | undefined, key: string | number, depth: number): void {
    if (typeof v === 'object' && v !== null) this.container(v, { parent: place, key }, depth + 1);
    else this.leaf(place, key, v);
  }

  /** The root, container or not. */
  root(value: unknown): void {
    if (typeof value === 'object' && value !== null) this.container(value, undefined, 1);
    else this.leaf(undefined, undefined, value);
  }
}

/**
 * The issues of a JSON value that the database cannot store as it is: U+0000 or a lone
 * surrogate in a key or string, a number that is not finite, nesting deeper than
 * `MAX_DEPTH`, which the walk never goes past, so no depth can overflow the stack. With
 * `depthOnly`, only the nesting is checked: for records whose text is not stored as is
 * but must not crash the recursive code that reads them. `join` builds the field paths.
 * @example
 * storableIssues({ result: { response: 'a\u0000b' } });
 * // [{ path: 'result.response', message: 'contains the character U+0000, which the database cannot store' }]
 */
export function storableIssues(value: unknown, opts: { depthOnly?: boolean; join?: PathJoin } = {}): StatementIssue[] {
  // Every line of a log is checked for depth, and nearly all are shallow: no walk with places for them.
  if (opts.depthOnly === true && isShallow(value, 1)) return [];
  const walk = new Walk(opts.join ?? childPath, opts.depthOnly ?? false);
  walk.root(value);
  return walk.issues.slice(0, MAX_ISSUES);
}

/**
 * True when `storableIssues(value)` would find nothing: the same checks in one walk that
 * builds no path and stops at the first problem, for the hot path of imports, where
 * nearly every value is storable and only a refused one needs its issues named.
 * @example if (!isStorable(statement)) reject(storableIssues(statement));
 */
export function isStorable(value: unknown, depth = 1): boolean {
  if (typeof value === 'string') return !SUSPECT.test(value) || !UNSTORABLE.test(value);
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isStorable(value[i], depth + 1)) return false;
    return true;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (SUSPECT.test(key) && UNSTORABLE.test(key)) return false;
    if (!isStorable(record[key], depth + 1)) return false;
  }
  return true;
}

/** True when no container in `value` lies deeper than `MAX_DEPTH` (the root is level `depth`). */
function isShallow(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isShallow(value[i], depth + 1)) return false;
    return true;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) if (!isShallow(record[key], depth + 1)) return false;
  return true;
}

// What JSON.stringify writes for what the database cannot hold: U+0000 as `\u0000`, a lone
// surrogate as `\udxxx` (well-formed JSON.stringify), a number that is not finite as `null`.
const SUSPECT_JSON = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * `isStorable(value)`, told from `text`, the JSON.stringify of `value`, for statements that
 * are written out anyway: one scan of the text, where the walk tests every string. A text
 * that may hide a problem (an escape, a `null`, many brackets) gets the walk.
 * @example const text = JSON.stringify(s); if (!isStorableJson(s, text)) reject(storableIssues(s));
 */
export function isStorableJson(value: unknown, text: string): boolean {
  // includes() is a native scan; the pattern runs only on a text with an escape in it.
  if ((text.includes('\\u') && SUSPECT_JSON.test(text)) || text.includes('null') || !fewBrackets(text)) return isStorable(value);
  return true;
}

/** Whether `text` holds at most `MAX_DEPTH` opening brackets, so that it cannot nest deeper. */
function fewBrackets(text: string): boolean {
  let n = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) if (++n > MAX_DEPTH) return false;
  }
  return true;
}

// Statements are written with four-digit years (Data 4.5), and the LRS stores their UTC
// instant in timestamptz: year 0000 is not a year there (1 BC is), and an instant past
// 9999 has no four-digit ISO form. A zone offset can carry a boundary year across.
const FIRST_INSTANT = new Date(0).setUTCFullYear(1, 0, 1);
const LAST_INSTANT = new Date(0).setUTCFullYear(9999, 11, 31) + 86_400_000 - 1;

/** True when the instant (ms since the epoch) falls within 0001-01-01 and 9999-12-31, UTC. */
export function isStorableInstant(millis: number): boolean {
  return millis >= FIRST_INSTANT && millis <= LAST_INSTANT;
}

/** What an instant outside the stored range must be, worded as the end of "<field>: must ...". */
export const INSTANT_RANGE_MESSAGE = 'must fall between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z once in UTC, the range the database stores';

// The timestamps of a statement (Data 2.4.7, 2.4.8) and of a SubStatement (2.4.4.3).
const TIMESTAMP_PATHS = [['timestamp'], ['stored'], ['object', 'timestamp']] as const;

/** The timestamps of a statement that are well formed but outside the stored range. */
export function timestampRangeIssues(statement: unknown): StatementIssue[] {
  const issues: StatementIssue[] = [];
  for (const path of TIMESTAMP_PATHS) {
    let node: unknown = statement;
    for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    if (typeof node !== 'string') continue;
    const millis = timestampMillis(isoFromRfc3339(node));
    if (!Number.isNaN(millis) && !isStorableInstant(millis)) issues.push({ path: path.join('.'), message: INSTANT_RANGE_MESSAGE });
  }
  return issues;
}

/**
 * `value` with U+FFFD in place of U+0000 and lone surrogates in every key and string, for
 * UNSTORABLE_TEXT=replace; the very same value when nothing changes, so callers can tell.
 * Nothing deeper than `MAX_DEPTH` is visited: the check refuses such a value anyway.
 * @example replaceUnstorableIn({ response: 'a\u0000' }) // { response: 'a\ufffd' }
 */
export function replaceUnstorableIn<T>(value: T): T {
  return replaceAt(value, 1);
}

function replaceAt<T>(value: T, depth: number): T {
  if (typeof value === 'string') return replaceUnstorable(value) as T;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, v]) => {
    const k = replaceUnstorable(key);
    const r = replaceAt(v, depth + 1);
    changed ||= k !== key || r !== v;
    return [k, r] as const;
  });
  if (!changed) return value;
  return (Array.isArray(value) ? entries.map(([, r]) => r) : Object.fromEntries(entries)) as T;
}
