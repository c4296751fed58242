/**
 * Rules of the FutureLearn datasets (docs/futurelearn.md, "Datasets → statements").
 * Keyed by the exact dataset name, so a grep for a dataset finds its rule.
 */
import type { QuestionResponseRecord } from '../../ingest/futurelearn/records.js';
import type { Activity, Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { futurelearnIri, type RunKey } from './iris.js';
import { activity } from '../rule-table.js';
import { runActivity, stepActivity, type FutureLearnRuleTable } from './rule.js';

const comment = (run: RunKey, id: string) => activity(futurelearnIri.comment(run, id), ACTIVITY_TYPE.comment);
const assignment = (run: RunKey, id: string) => activity(futurelearnIri.assignment(run, id), ACTIVITY_TYPE.assessment);
const likes = (n: number | undefined): Result | undefined => (n === undefined ? undefined : { extensions: { [EXT.likes]: n } });

// A cloze question is a fill-in interaction; every other kind is a choice of options.
const isCloze = (r: QuestionResponseRecord) => r.clozeResponse !== undefined || /cloze/i.test(r.questionType ?? '');

function question(r: QuestionResponseRecord): Activity {
  return {
    objectType: 'Activity',
    id: futurelearnIri.question(r.run, r.week, r.step, r.question),
    definition: { type: ACTIVITY_TYPE.cmiInteraction.id, interactionType: isCloze(r) ? 'fill-in' : 'choice' },
  };
}

function answer(r: QuestionResponseRecord): Result | undefined {
  // xAPI writes the options of a choice response apart with `[,]` (2.4.4.1, interaction response formats).
  const response = isCloze(r) ? r.clozeResponse : r.response?.split(',').map((o) => o.trim()).join('[,]');
  const result: Result = { ...(r.correct === undefined ? {} : { success: r.correct }), ...(response === undefined ? {} : { response }) };
  return Object.keys(result).length > 0 ? result : undefined;
}

/** Every dataset read into records, and what its rows become. */
export const FUTURELEARN_RULES = {
  enrolments: {
    learner: (r) => r.learnerId,
    key: (r) => `${r.learnerId}|${r.enrolledAt ?? ''}`,
    // Educators, mentors and admins are enrolled too; their rows are no learning activity.
    applies: (r) => r.role === 'learner',
    statements: [
      { what: 'enrolled', time: (r) => r.enrolledAt, verb: VERB.registered, object: (r) => runActivity(r.run) },
      { what: 'unenrolled', time: (r) => r.unenrolledAt, verb: VERB.unregistered, object: (r) => runActivity(r.run) },
      { what: 'fully-participated', time: (r) => r.fullyParticipatedAt, verb: VERB.completed, object: (r) => runActivity(r.run) },
      {
        what: 'purchased-statement', time: (r) => r.purchasedStatementAt, verb: VERB.earned,
        object: (r) => activity(futurelearnIri.statementOfParticipation(r.run), ACTIVITY_TYPE.certificate),
      },
    ],
  },
  'step-activity': {
    learner: (r) => r.learnerId,
    key: (r) => `${r.learnerId}|${r.week}.${r.step}`,
    place: (r) => r,
    statements: [
      { what: 'visited', time: (r) => r.firstVisitedAt, verb: VERB.viewed, object: (r) => stepActivity(r.run, r) },
      { what: 'completed', time: (r) => r.lastCompletedAt, verb: VERB.completed, object: (r) => stepActivity(r.run, r) },
    ],
  },
  comments: {
    learner: (r) => r.authorId,
    key: (r) => r.id,
    place: (r) => r,
    statements: [
      { what: 'posted', time: (r) => (r.parentId === undefined ? r.time : undefined), verb: VERB.posted, object: (r) => comment(r.run, r.id), result: (r) => likes(r.likes) },
      {
        what: 'replied', time: (r) => (r.parentId === undefined ? undefined : r.time), verb: VERB.replied, object: (r) => comment(r.run, r.id),
        other: (r) => (r.parentId === undefined ? [] : [comment(r.run, r.parentId)]), result: (r) => likes(r.likes),
      },
    ],
  },
  'question-response': {
    learner: (r) => r.learnerId,
    // A learner may answer a question again: each submission is its own row.
    key: (r) => `${r.learnerId}|${r.week}.${r.step}.${r.question}|${r.submittedAt}`,
    place: (r) => r,
    extensions: (r) => (r.questionType === undefined ? {} : { [EXT.questionType]: r.questionType }),
    statements: [{ what: 'answered', time: (r) => r.submittedAt, verb: VERB.answered, object: question, result: answer }],
  },
  'peer-review-assignments': {
    learner: (r) => r.authorId,
    key: (r) => r.id,
    place: (r) => r,
    statements: [{ what: 'submitted', time: (r) => r.submittedAt, verb: VERB.submitted, object: (r) => assignment(r.run, r.id) }],
  },
  'peer-review-reviews': {
    learner: (r) => r.reviewerId,
    key: (r) => r.id,
    place: (r) => r,
    statements: [{ what: 'reviewed', time: (r) => r.createdAt, verb: VERB.reviewed, object: (r) => assignment(r.run, r.assignmentId) }],
  },
  'leaving-survey-responses': {
    learner: (r) => r.learnerId,
    key: (r) => r.key,
    statements: [
      {
        what: 'left', time: (r) => r.leftAt, verb: VERB.left, object: (r) => runActivity(r.run),
        result: (r) => (r.leavingReason === undefined ? undefined : { extensions: { [EXT.leavingReason]: r.leavingReason } }),
      },
    ],
  },
  // Kept in futurelearn_video_stats by the import; course-level figures, no learner's activity.
  'video-stats': 'ignore',
} satisfies FutureLearnRuleTable;
