/**
 * Grade and completion events: the course passed or failed, a subsection, course or
 * problem grade computed, a block's completion changed.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { activity, block } from './activities.js';
import { num, reqNum, reqStr, str } from './fields.js';
import type { EdxRuleTable, RuleContext } from './rule.js';

const course = (c: RuleContext) => activity(c.iris.course(c.course), ACTIVITY_TYPE.course);

/** A score of `earned` out of `possible`, scaled when `possible` is positive. */
export function score(earned: number, possible: number): NonNullable<Result['score']> {
  const raw = Math.min(Math.max(earned, 0), Math.max(possible, 0));
  return possible > 0 ? { raw, min: 0, max: possible, scaled: Math.round((raw / possible) * 1e6) / 1e6 } : { raw };
}

/**
 * The score of the fields of `e` that are there: edX leaves `weighted_possible` and its
 * like null for ungraded or unscored blocks, which is no reason to lose the event. Earned
 * without possible is a raw score alone; possible without earned is no score.
 */
export function scoreAt(e: EdxEvent, earnedPath: string, possiblePath: string): Result | undefined {
  const earned = num(e, earnedPath);
  if (earned === undefined) return undefined;
  const possible = num(e, possiblePath);
  return { score: possible === undefined ? { raw: earned } : score(earned, possible) };
}

/** The course grade as a scaled score, when the event has it. */
function courseGrade(e: EdxEvent): Result | undefined {
  const percent = num(e, 'percent_grade') ?? num(e, 'grade');
  const letter = str(e, 'letter_grade');
  const result: Result = {};
  if (percent !== undefined) result.score = { scaled: Math.min(Math.max(percent, 0), 1) };
  if (letter !== undefined) result.extensions = { [EXT.letterGrade]: letter };
  return result.score === undefined && result.extensions === undefined ? undefined : result;
}

/**
 * The learner a grade is about: `event.user_id`. A grading task or a staff rescore runs
 * with no request user, or with the staff member's: the request's user is not the learner.
 */
const gradedLearner = (e: EdxEvent) => str(e, 'user_id');

/** Grade and completion rules, each about `gradedLearner`. */
export const gradeRules = {
  'edx.course.grade.passed.first_time': {
    learner: gradedLearner,
    verb: VERB.passed,
    object: (_e, c) => course(c),
    result: (e) => ({ ...courseGrade(e), success: true }),
  },
  'edx.course.grade.now_passed': {
    learner: gradedLearner,
    verb: VERB.passed,
    object: (_e, c) => course(c),
    result: (e) => ({ ...courseGrade(e), success: true }),
  },
  'edx.course.grade.now_failed': {
    learner: gradedLearner,
    verb: VERB.failed,
    object: (_e, c) => course(c),
    result: (e) => ({ ...courseGrade(e), success: false }),
  },
  'edx.grades.course.grade_calculated': {
    learner: gradedLearner,
    verb: VERB.earned,
    object: (_e, c) => course(c),
    result: courseGrade,
  },
  'edx.grades.subsection.grade_calculated': {
    learner: gradedLearner,
    verb: VERB.earned,
    object: (e, c) => block(c, reqStr(e, 'block_id'), 'event.block_id'),
    result: (e) => scoreAt(e, 'weighted_total_earned', 'weighted_total_possible'),
  },
  'edx.grades.problem.submitted': {
    learner: gradedLearner,
    verb: VERB.scored,
    object: (e, c) => block(c, reqStr(e, 'problem_id'), 'event.problem_id'),
    result: (e) => scoreAt(e, 'weighted_earned', 'weighted_possible'),
  },
  'edx.completion.block_completion.changed': {
    learner: gradedLearner,
    verb: VERB.progressed,
    object: (e, c) => block(c, reqStr(e, 'block_id'), 'event.block_id'),
    result: (e) => {
      const completion = Math.min(Math.max(reqNum(e, 'completion'), 0), 1);
      return { completion: completion >= 1, extensions: { [EXT.progress]: Math.round(completion * 100) } };
    },
  },
} satisfies EdxRuleTable;
