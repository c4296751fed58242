/**
 * The reason stored with a row the database refused (found by splitting a batch; see
 * `isDataError` in src/db/errors.ts), worded by SQLSTATE (PostgreSQL Appendix A).
 */
import { DatabaseQueryError, toDatabaseError } from '../db/errors.js';

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
  const safe = toDatabaseError(err);
  const state = (safe instanceof DatabaseQueryError ? safe.sqlState : undefined) ?? '?????';
  const problem = PROBLEMS[state] ?? PROBLEMS[state.slice(0, 2)] ?? 'a value the database refuses';
  return `the database refused it: it holds ${problem} (SQLSTATE ${state})`;
}
