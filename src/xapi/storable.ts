// What PostgreSQL can hold. A value may be valid JSON and valid xAPI and still fail the
// insert of its whole batch: jsonb and text refuse U+0000, a lone UTF-16 surrogate
// becomes a `\ud800` escape that jsonb refuses, JSON.parse reads 1e400 as Infinity,
// which JSON.stringify writes as null, and timestamptz cannot read year 0000. These
// checks run before anything is written, and name the field, never the value.
import { childPath } from './paths.js';
import type { StatementIssue } from './issues.js';
import { timestampMillis } from './formats.js';

/**
 * The deepest nesting of objects and arrays stored. xAPI's own structures stay under 12
 * levels (a SubStatement's context activities' definitions' extensions), and real
 * extension values under 10; JSON.stringify and the validator recurse and run out of
 * stack a few thousand levels down. 100 leaves room for any real statement or document
 * and keeps every recursive step far from the stack limit.
 */
export const MAX_DEPTH = 100;

// With the `u` flag a surrogate pair is one code point and only a lone surrogate is \p{Cs}.
const UNSTORABLE = /[\u0000\p{Cs}]/u;
const UNSTORABLE_ALL = /[\u0000\p{Cs}]/gu;

/** What is wrong with a string the database cannot hold, or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  if (!UNSTORABLE.test(text)) return undefined;
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

/** A step of the walk: a container, its depth, and how to name it (built only for an issue). */
interface Frame {
  value: object;
  depth: number;
  parent: Frame | undefined;
  key: string | number;
}

/** How a field path grows by one key: `childPath` (`a.b[0]`), or e.g. a JSON pointer's `/a/b/0`. */
export type PathJoin = (base: string, key: string | number) => string;

/** Issues listed per value at most: one bad value repeated is one problem, not thousands. */
const MAX_ISSUES = 20;

/**
 * The issues of a JSON value that the database cannot store as it is: U+0000 or a lone
 * surrogate in a key or string, a number that is not finite, nesting deeper than
 * `MAX_DEPTH`. The walk uses its own stack, so no depth can overflow it. With
 * `depthOnly`, only the nesting is checked: for records whose text is not stored as is
 * but must not crash the recursive code that reads them. `join` builds the field paths.
 * @example
 * storableIssues({ result: { response: 'a\u0000b' } });
 * // [{ path: 'result.response', message: 'contains the character U+0000, which the database cannot store' }]
 */
export function storableIssues(value: unknown, opts: { depthOnly?: boolean; join?: PathJoin } = {}): StatementIssue[] {
  const join = opts.join ?? childPath;
  const pathOf = (frame: Frame | undefined): string =>
    frame === undefined || frame.parent === undefined ? '' : join(pathOf(frame.parent), frame.key);
  const issues: StatementIssue[] = [];
  const report = (frame: Frame | undefined, key: string | number | undefined, message: string) => {
    const base = pathOf(frame);
    issues.push({ path: key === undefined ? base : join(base, key), message });
  };
  const leaf = (frame: Frame | undefined, key: string | number | undefined, v: unknown) => {
    if (opts.depthOnly) return;
    if (typeof v === 'string') {
      const problem = unstorableText(v);
      if (problem !== undefined) report(frame, key, problem);
    } else if (typeof v === 'number' && !Number.isFinite(v)) {
      report(frame, key, 'must be a finite number (JSON numbers beyond ±1.8e308 cannot be stored)');
    }
  };
  if (typeof value !== 'object' || value === null) {
    leaf(undefined, undefined, value);
    return issues;
  }
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: '' }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const frame = stack.pop()!;
    if (frame.depth > MAX_DEPTH) {
      report(frame, undefined, `nests deeper than ${MAX_DEPTH} levels, more than can be stored`);
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(frame.value) ? frame.value.map((v, i) => [i, v]) : Object.entries(frame.value);
    for (const [key, v] of entries) {
      if (typeof key === 'string' && !opts.depthOnly) {
        const problem = unstorableText(key);
        if (problem !== undefined) report(frame, key, `has a name that ${problem}`);
      }
      if (typeof v === 'object' && v !== null) stack.push({ value: v, depth: frame.depth + 1, parent: frame, key });
      else leaf(frame, key, v);
    }
  }
  return issues.slice(0, MAX_ISSUES);
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
    const millis = timestampMillis(node);
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
