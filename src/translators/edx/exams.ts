/**
 * Timed, practice and proctored exam attempts (`edx.special_exam.*`). The exam is the
 * subsection edX names in `exam_content_id`; a submitted attempt carries its duration.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Extensions, Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { block } from './activities.js';
import { num, reqStr, str } from './fields.js';
import type { EdxRule, EdxRuleTable } from './rule.js';

/** The attempt's length as an ISO 8601 duration, when both ends are known. */
function duration(e: EdxEvent): Result | undefined {
  const started = Date.parse(str(e, 'attempt_started_at') ?? '');
  const completed = Date.parse(str(e, 'attempt_completed_at') ?? '');
  if (!Number.isFinite(started) || !Number.isFinite(completed) || completed < started) return undefined;
  return { duration: `PT${Math.round((completed - started) / 10) / 100}S` };
}

type ExamKind = 'timed' | 'practice' | 'proctored' | 'onboarding';

/** The attempt and the kind of exam, so attempts of one learner stay apart and exams can be told apart. */
function examContext(kind: ExamKind) {
  return (e: EdxEvent): Extensions => {
    const out: Extensions = { [EXT.examKind]: kind };
    const attempt = str(e, 'attempt_id');
    if (attempt !== undefined) out[EXT.attemptId] = attempt;
    const limit = num(e, 'exam_default_time_limit_mins');
    if (limit !== undefined) out[EXT.timeLimitMinutes] = limit;
    return out;
  };
}

const exam = (kind: ExamKind, verb: EdxRule['verb']): EdxRule => ({
  verb,
  object: (e, c) => block(c, reqStr(e, 'exam_content_id'), 'event.exam_content_id', ACTIVITY_TYPE.assessment, { name: str(e, 'exam_name') }),
  result: duration,
  extensions: examContext(kind),
});

/** The learner's own steps of an attempt; reviews and staff actions are not the learner's activity. */
const attemptRules = (kind: ExamKind) => ({
  [`edx.special_exam.${kind}.attempt.created`]: exam(kind, VERB.attempted),
  [`edx.special_exam.${kind}.attempt.started`]: exam(kind, VERB.initialized),
  [`edx.special_exam.${kind}.attempt.submitted`]: exam(kind, VERB.submitted),
});

/** Exam rules. */
export const examRules = {
  ...attemptRules('timed'),
  ...attemptRules('practice'),
  ...attemptRules('proctored'),
  ...attemptRules('onboarding'),
} satisfies EdxRuleTable;
