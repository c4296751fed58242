/**
 * Rules of the Coursera activity tables (docs/coursera.md, "Tables and clickstream →
 * statements"). Keyed by the exact table name, so a grep for a table finds its rule.
 */
import type { CourseraRecord } from '../../ingest/coursera/records.js';
import type { Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, VERB } from '../../xapi/vocabulary.js';
import { courseraIri } from './iris.js';
import { activity } from '../rule-table.js';
import { courseActivity, itemActivity, type CourseraRuleTable } from './rule.js';

// Coursera's passing states: 1 not passed, 2 passed, 3 passed with a verified
// certificate; others (not passable, unknown) say nothing about success.
const PASSED: Record<number, boolean> = { 1: false, 2: true, 3: true };

function score(overall: number, passingState: number | undefined): Result {
  const success = passingState === undefined ? undefined : PASSED[passingState];
  return { score: { scaled: overall }, ...(success === undefined ? {} : { success }) };
}

const question = (courseId: string, id: string) => activity(courseraIri.question(courseId, id), ACTIVITY_TYPE.discussion);
const answer = (courseId: string, id: string) => activity(courseraIri.answer(courseId, id), ACTIVITY_TYPE.forumReply);

/** Rules of the activity tables. */
export const tableRules = {
  course_progress: {
    verb: (r) => (r.state === 1 ? VERB.attempted : VERB.completed),
    object: (r, c) => itemActivity(c, r.itemId),
    item: (r) => r.itemId,
    key: (r) => `${r.itemId}|${r.userId}|${r.state}|${r.time}`,
  },
  course_item_grades: {
    verb: VERB.scored,
    object: (r, c) => itemActivity(c, r.itemId),
    item: (r) => r.itemId,
    key: (r) => `${r.itemId}|${r.userId}|${r.time}`,
    result: (r) => score(r.overall, r.passingState),
  },
  course_grades: {
    verb: VERB.scored,
    object: (_r, c) => courseActivity(c.courseId),
    key: (r) => `${r.userId}|${r.time}`,
    result: (r) => score(r.overall, r.passingState),
  },
  discussion_questions: {
    verb: VERB.posted,
    object: (r, c) => question(c.courseId, r.questionId),
    item: (r) => r.itemId,
    // A question on a discussion prompt has the prompt as parent; one in a week's forum, the week.
    parents: (r, c) => [
      ...(r.moduleId !== undefined && c.item === undefined ? [activity(courseraIri.module(c.courseId, r.moduleId), ACTIVITY_TYPE.module)] : []),
      ...(r.itemId === undefined ? [] : [itemActivity(c, r.itemId, 'discussionPrompt')]),
    ],
    key: (r) => r.questionId,
  },
  discussion_answers: {
    verb: VERB.replied,
    object: (r, c) => answer(c.courseId, r.answerId),
    parents: (r, c) => [question(c.courseId, r.questionId)],
    other: (r, c) => (r.parentAnswerId === undefined ? [] : [answer(c.courseId, r.parentAnswerId)]),
    key: (r) => r.answerId,
  },
  peer_comments: {
    verb: VERB.commented,
    object: (r, c) => activity(courseraIri.peerSubmission(c.courseId, r.submissionId), ACTIVITY_TYPE.assessment),
    key: (r) => r.commentId,
  },
  course_memberships: {
    // Other roles (mentor, instructor, pre-enrolled, browser) are not a learner's joining or leaving.
    verb: (r) => (r.role === 'LEARNER' ? VERB.registered : r.role === 'NOT_ENROLLED' ? VERB.unregistered : undefined),
    object: (_r, c) => courseActivity(c.courseId),
    key: (r) => `${r.userId}|${r.role}|${r.time}`,
  },
} satisfies Partial<CourseraRuleTable<CourseraRecord>>;
