/**
 * Timed, practice and proctored exam attempts (`edx.special_exam.*`). The exam is the
 * subsection edX names in `exam_content_id`; a submitted attempt carries its duration.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, VERB } from '../../xapi/vocabulary.js';
import { block } from './activities.js';
import { reqStr, str } from './fields.js';
import type { EdxRule, EdxRuleTable } from './rule.js';

/** The attempt's length as an ISO 8601 duration, when both ends are known. */
function duration(e: EdxEvent): Result | undefined {
  const started = Date.parse(str(e, 'attempt_started_at') ?? '');
  const completed = Date.parse(str(e, 'attempt_completed_at') ?? '');
  if (!Number.isFinite(started) || !Number.isFinite(completed) || completed < started) return undefined;
  return { duration: `PT${Math.round((completed - started) / 10) / 100}S` };
}

const exam = (verb: EdxRule['verb']): EdxRule => ({
  verb,
  object: (e, c) => block(c, reqStr(e, 'exam_content_id'), 'event.exam_content_id', ACTIVITY_TYPE.assessment, { name: str(e, 'exam_name') }),
  result: duration,
});

/** Exam rules. */
export const examRules = {
  'edx.special_exam.timed.attempt.created': exam(VERB.attempted),
  'edx.special_exam.practice.attempt.created': exam(VERB.attempted),
  'edx.special_exam.proctored.attempt.created': exam(VERB.attempted),
  'edx.special_exam.timed.attempt.submitted': exam(VERB.submitted),
  'edx.special_exam.practice.attempt.submitted': exam(VERB.submitted),
  'edx.special_exam.proctored.attempt.submitted': exam(VERB.submitted),
} satisfies EdxRuleTable;
