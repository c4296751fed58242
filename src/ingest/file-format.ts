/**
 * Whether a file is in a platform's format, told from its first lines before anything is
 * stored: `import edx README.md` is refused at once with the file's name and why, instead
 * of ending as hundreds of rejected records. A real file with some bad lines passes as
 * soon as one of its first lines fits, and those lines are rejected as usual.
 */
import { CodedError } from '../errors.js';

/** How many non-empty lines are looked at before a file is refused. */
export const SNIFF_LINES = 20;

/** A line-oriented format: what it is called, and what a file of it holds. */
export interface LineFormat {
  /** e.g. "an edX tracking log". */
  name: string;
  /** e.g. "one JSON event per line". */
  expected: string;
}

/** What one line says of the format: it fits (the file is taken), why it does not, or nothing (not counted). */
export type LineVerdict = { fits: true } | { fits: false; why: string } | undefined;

/** The line number of a `file:line` position. */
export function lineOf(at: string): string {
  return at.slice(at.lastIndexOf(':') + 1);
}

/**
 * Why the JSON value of line `line` is not a record of the format: not JSON, or not an
 * object with `shape`; undefined when it is. The line's text is never quoted (learner data).
 */
export function jsonVerdict(text: string, line: string, what: string, shape: (value: Record<string, unknown>) => boolean): LineVerdict {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { fits: false, why: `line ${line} is not JSON` };
  }
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  return isObject && shape(value as Record<string, unknown>) ? { fits: true } : { fits: false, why: `line ${line} is not ${what}` };
}

/**
 * Reads up to `SNIFF_LINES` counted lines of `lines` until one fits, and returns the
 * lines read (the caller goes on from there). Throws an `invalid` error naming `file` and
 * the first line's problem when none of them fits; a file with no counted line passes
 * (empty, or unreadable: the run says so as usual).
 * @example const head = await sniffFormat(lines, verdictOf, 'README.md', { name: 'an edX tracking log', expected: 'one JSON event per line' });
 */
export async function sniffFormat<T>(lines: AsyncIterator<T>, verdictOf: (line: T) => LineVerdict, file: string, format: LineFormat): Promise<T[]> {
  const head: T[] = [];
  let counted = 0;
  let first: string | undefined;
  while (counted < SNIFF_LINES) {
    const next = await lines.next();
    if (next.done === true) break;
    head.push(next.value);
    const verdict = verdictOf(next.value);
    if (verdict === undefined) continue;
    if (verdict.fits) return head;
    counted += 1;
    first ??= verdict.why;
  }
  if (first !== undefined) throw new CodedError('invalid', `${file} is not ${format.name}: ${first} (expected ${format.expected})`);
  return head;
}
