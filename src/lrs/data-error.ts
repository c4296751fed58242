/**
 * Telling a database error caused by the data sent (one row cannot be stored: split the
 * batch and reject that row) from one caused by the database being away (stop, retry
 * later). By SQLSTATE (PostgreSQL Appendix A), which PostgreSQL and PGlite both set.
 * Kept apart so that it can join the driver-error classification of `src/db/`.
 */

// Classes 22 data exception, 23 integrity constraint violation, 54 program limit exceeded
// (e.g. 54001 stack depth): the same row fails every time, whatever the connection.
const DATA_CLASSES = new Set(['22', '23', '54']);

/** The SQLSTATE of a driver error, when it carries one. */
function sqlState(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * True when the database refused the data, not the connection: SQLSTATE class 22, 23 or
 * 54. Socket errors (no SQLSTATE), class 08, 57P01-57P03 and 53300 are unavailability.
 * @example isDataError({ code: '22P05' }) === true; isDataError({ code: '57P01' }) === false
 */
export function isDataError(err: unknown): boolean {
  const state = sqlState(err);
  return state !== undefined && DATA_CLASSES.has(state.slice(0, 2));
}

// What a refused row holds, by SQLSTATE, then by class; worded without the value, which
// PostgreSQL's own messages quote (`invalid input syntax for type uuid: "..."`).
const PROBLEMS: Record<string, string> = {
  '22P05': 'text the database cannot store (U+0000 or an unsupported escape)',
  '22P02': 'a value the database cannot read (e.g. a lone UTF-16 surrogate)',
  '22021': 'text that is not valid UTF-8',
  '22008': 'a date or time outside the range the database stores',
  '22003': 'a number outside the range the database stores',
  '54001': 'nesting too deep for the database',
  '22': 'a value the database refuses',
  '23': 'a value that breaks a database constraint',
  '54': 'more than a database limit allows',
};

/** Why the database refused a row, naming the problem and the SQLSTATE, never the value. */
export function dataErrorReason(err: unknown): string {
  const state = sqlState(err) ?? '?????';
  const problem = PROBLEMS[state] ?? PROBLEMS[state.slice(0, 2)] ?? 'a value the database refuses';
  return `the database refused it: it holds ${problem} (SQLSTATE ${state})`;
}
