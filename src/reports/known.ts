/**
 * Whether the statements know a course, run or learner at all: a report of something no
 * statement names is a 404, not a table of zeros that looks like an answer.
 */
import { CodedError } from '../errors.js';
import type { StatementQuery } from '../lrs/statement-query.js';
import type { Agent } from '../xapi/types.js';

/** Whether any statement has one of `activities` as object or context activity (of `agent`, when given). */
export async function anyStatementOf(query: StatementQuery, activities: readonly string[], agent?: Agent): Promise<boolean> {
  for (const activity of activities) {
    const page = await query.page({ activity, relatedActivities: true, limit: 1, ...(agent !== undefined && { agent }) });
    if (page.statements.length > 0) return true;
  }
  return false;
}

/**
 * Throws `not-found` naming `what` unless some statement names one of `activities`.
 * `what` names a course or run, never a learner: it goes into the answer.
 * @example await requireStatementsOf(query, [runIri], 'FutureLearn run 3 of course intro-to-x');
 */
export async function requireStatementsOf(query: StatementQuery, activities: readonly string[], what: string, agent?: Agent): Promise<void> {
  if (!(await anyStatementOf(query, activities, agent))) throw new CodedError('not-found', `no statements of ${what}`);
}
