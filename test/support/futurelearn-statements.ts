/**
 * FutureLearn statements for tests, shaped as docs/futurelearn.md describes the
 * translator's output: account actor of the pseudonymised learner id, platform
 * FutureLearn, parents `[run, week?, step?]`, source-type, module-index and item-index
 * extensions, ids uuidv5 of `<dataset>|<course>|<run>|<row key>|<what>`.
 */
import type { Database } from '../../src/db/connection.js';
import { futurelearnVideoStats } from '../../src/ingest/futurelearn/schema.js';
import { FUTURELEARN_HOME, FUTURELEARN_PLATFORM, futurelearnIri, type RunKey } from '../../src/translators/futurelearn/iris.js';
import { accountActor, pseudonym, statementId } from '../../src/xapi/ids.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../src/xapi/vocabulary.js';
import { postStatements } from './coursera-statements.js';
import type { TickingClock } from './clock.js';

/** The pseudonym key of the tests. */
export const FUTURELEARN_SECRET = 'futurelearn-test-pseudonym-secret';

/** A learner's account name: the pseudonym of the dataset's learner id. */
export const flLearnerOf = (learnerId: string) => pseudonym(FUTURELEARN_SECRET, learnerId);

type Json = Record<string, unknown>;
type VerbRef = { id: string; display: Json };

/** Builds the statements of one run; `runName`, when given, becomes the run activity's name. */
export function futurelearnStatements(key: RunKey, runName?: string) {
  const run = { objectType: 'Activity', id: futurelearnIri.run(key), definition: { type: ACTIVITY_TYPE.course.id, ...(runName !== undefined && { name: { en: runName } }) } };
  const week = (w: number) => ({ objectType: 'Activity', id: futurelearnIri.week(key, w), definition: { type: ACTIVITY_TYPE.module.id } });
  const step = (w: number, s: number) => ({ objectType: 'Activity', id: futurelearnIri.step(key, w, s), definition: { type: ACTIVITY_TYPE.page.id } });
  const at = (w: number, s: number) => ({ [EXT.moduleIndex]: w, [EXT.itemIndex]: s });
  const statement = (dataset: string, rowKey: string, what: string, learner: string, verb: VerbRef, object: Json, time: string, more: { parents?: Json[]; extensions?: Json; result?: Json } = {}) => ({
    id: statementId('futurelearn', `${dataset}|${key.course}|${key.run}|${rowKey}|${what}`),
    actor: accountActor(FUTURELEARN_HOME, flLearnerOf(learner)),
    verb,
    object: { objectType: 'Activity', ...object },
    ...(more.result !== undefined && { result: more.result }),
    context: {
      platform: FUTURELEARN_PLATFORM,
      contextActivities: { parent: [run, ...(more.parents ?? [])] },
      extensions: { [EXT.sourceType]: dataset, ...more.extensions },
    },
    timestamp: time,
  });
  const runObject = { id: run.id, definition: run.definition };
  const comment = (id: string) => ({ id: futurelearnIri.comment(key, id), definition: { type: ACTIVITY_TYPE.comment.id } });
  return {
    /** `enrolments`: `enrolled_at`. */
    registered: (learner: string, time: string) => statement('enrolments', learner, 'enrolled', learner, VERB.registered, runObject, time),
    /** `enrolments`: `unenrolled_at`. */
    unregistered: (learner: string, time: string) => statement('enrolments', learner, 'unenrolled', learner, VERB.unregistered, runObject, time),
    /** `enrolments`: `fully_participated_at`. */
    fullyParticipated: (learner: string, time: string) => statement('enrolments', learner, 'fully_participated', learner, VERB.completed, runObject, time),
    /** `enrolments`: `purchased_statement_at`. */
    earned: (learner: string, time: string) =>
      statement('enrolments', learner, 'purchased_statement', learner, VERB.earned, { id: futurelearnIri.statementOfParticipation(key), definition: { type: ACTIVITY_TYPE.certificate.id } }, time),
    /** `leaving-survey-responses`. */
    left: (learner: string, reason: string, time: string) =>
      statement('leaving-survey-responses', `l-${learner}`, 'left', learner, VERB.left, runObject, time, { result: { extensions: { [EXT.leavingReason]: reason } } }),
    /** `step-activity`: `first_visited_at`. */
    visited: (learner: string, w: number, s: number, time: string) =>
      statement('step-activity', `${learner}|${w}.${s}`, 'visited', learner, VERB.viewed, step(w, s), time, { parents: [week(w)], extensions: at(w, s) }),
    /** `step-activity`: `last_completed_at`. */
    completed: (learner: string, w: number, s: number, time: string) =>
      statement('step-activity', `${learner}|${w}.${s}`, 'completed', learner, VERB.completed, step(w, s), time, { parents: [week(w)], extensions: at(w, s) }),
    /** `comments` without `parent_id`; `rowKey` differs only to play a later export of the same comment. */
    posted: (author: string, id: string, w: number, s: number, likes: number, time: string, rowKey = id) =>
      statement('comments', rowKey, 'posted', author, VERB.posted, comment(id), time, { parents: [week(w), step(w, s)], extensions: at(w, s), result: { extensions: { [EXT.likes]: likes } } }),
    /** `comments` with `parent_id`. */
    replied: (author: string, id: string, parentId: string, w: number, s: number, likes: number, time: string) => ({
      ...statement('comments', id, 'replied', author, VERB.replied, comment(id), time, { parents: [week(w), step(w, s)], extensions: at(w, s), result: { extensions: { [EXT.likes]: likes } } }),
      context: {
        platform: FUTURELEARN_PLATFORM,
        contextActivities: { parent: [run, week(w), step(w, s)], other: [{ objectType: 'Activity', ...comment(parentId) }] },
        extensions: { [EXT.sourceType]: 'comments', ...at(w, s) },
      },
    }),
    /** `question-response`: one submitted response. */
    answered: (learner: string, w: number, s: number, q: number, response: string, correct: boolean, time: string) =>
      statement(
        'question-response',
        `${learner}|${w}.${s}.${q}|${time}`,
        'answered',
        learner,
        VERB.answered,
        { id: futurelearnIri.question(key, w, s, q), definition: { type: ACTIVITY_TYPE.cmiInteraction.id, interactionType: 'choice' } },
        time,
        { parents: [week(w), step(w, s)], extensions: at(w, s), result: { success: correct, response } },
      ),
  };
}

/** The hand-built run of the report tests: 2 weeks × 3 steps, learners A–E and educator X. */
export const TEST_RUN: RunKey = { course: 'intro-to-xapi', run: '2' };

/** Its name, with markup that every page must show as text. */
export const TEST_RUN_NAME = 'Intro to <script>alert("x")</script> & xAPI';

const t = (day: number, time: string) => `2026-03-${String(day).padStart(2, '0')}T${time}:00Z`;
const fl = futurelearnStatements(TEST_RUN, TEST_RUN_NAME);

/** The run's statements, in one batch; each learner's path is told beside it. */
export const TEST_RUN_STATEMENTS = [
  // A does everything: all six steps, a comment, three quizzes, fully participates, buys the statement.
  fl.registered('A', t(1, '09:00')),
  ...[[1, 1], [1, 2], [1, 3], [2, 1], [2, 2], [2, 3]].flatMap(([w, s], i) => [
    fl.visited('A', w!, s!, t(w === 1 ? 2 : 9, `10:${String(i * 10).padStart(2, '0')}`)),
    fl.completed('A', w!, s!, t(w === 1 ? 2 : 9, `10:${String(i * 10 + 5).padStart(2, '0')}`)),
  ]),
  fl.posted('A', 'c1', 1, 1, 3, t(2, '10:06')),
  // A's right answer is listed first but was submitted last: order is by timestamp.
  fl.answered('A', 1, 3, 1, '3', true, t(2, '10:23')),
  fl.answered('A', 1, 3, 1, '1', false, t(2, '10:21')),
  fl.answered('A', 1, 3, 1, '2', false, t(2, '10:22')),
  fl.answered('A', 1, 3, 2, '1', true, t(2, '10:24')),
  fl.answered('A', 2, 2, 1, '2', false, t(9, '10:41')),
  fl.fullyParticipated('A', t(9, '11:00')),
  fl.earned('A', t(9, '11:30')),
  // B: all of week 1 and a visit to 2.1; replies to A; right first time; buys the statement.
  fl.registered('B', t(1, '10:00')),
  ...[[1, 1], [1, 2], [1, 3]].flatMap(([w, s]) => [fl.visited('B', w!, s!, t(3, `08:0${s}`)), fl.completed('B', w!, s!, t(3, `08:1${s}`))]),
  fl.visited('B', 2, 1, t(10, '08:00')),
  fl.replied('B', 'c5', 'c1', 1, 1, 1, t(3, '08:30')),
  fl.answered('B', 1, 3, 1, '3', true, t(3, '08:13')),
  fl.earned('B', t(10, '09:00')),
  // C: visits 1.1 and 1.2, completes 1.1, unenrols.
  fl.registered('C', t(1, '11:00')),
  fl.visited('C', 1, 1, t(4, '12:00')),
  fl.completed('C', 1, 1, t(4, '12:05')),
  fl.visited('C', 1, 2, t(4, '12:10')),
  fl.unregistered('C', t(5, '12:00')),
  // D: joins and leaves through the leaving survey, having seen nothing.
  fl.registered('D', t(1, '12:00')),
  fl.left('D', 'no time', t(3, '12:00')),
  // E: steps 1.1 and 2.1 (so completes in two weeks), two comments on 2.1, quizzes wrong then right.
  fl.registered('E', t(1, '13:00')),
  fl.visited('E', 1, 1, t(2, '14:00')),
  fl.completed('E', 1, 1, t(2, '14:05')),
  fl.visited('E', 2, 1, t(9, '14:00')),
  fl.completed('E', 2, 1, t(9, '14:05')),
  fl.posted('E', 'c2', 2, 1, 2, t(9, '14:06')),
  fl.posted('E', 'c3', 2, 1, 0, t(9, '14:07')),
  fl.answered('E', 1, 3, 1, '1', false, t(2, '14:10')),
  fl.answered('E', 1, 3, 2, '2', false, t(2, '14:11')),
  fl.answered('E', 1, 3, 2, '1', true, t(2, '14:12')),
  // X, an educator (no enrolment statement), replies to E on 2.1.
  fl.replied('X', 'c4', 'c2', 2, 1, 1, t(9, '15:00')),
];

/** A later export of A's comment c1 (5 likes by then), stored after the first batch. */
export const TEST_RUN_LATER_EXPORT = [fl.posted('A', 'c1', 1, 1, 5, t(2, '10:06'), 'c1|export-2')];

/** Statements of run 1 of the same course: never read for run 2. */
export const OTHER_RUN_STATEMENTS = (() => {
  const other = futurelearnStatements({ course: TEST_RUN.course, run: '1' });
  return [other.registered('A', t(1, '08:00')), other.visited('A', 1, 1, t(1, '08:10')), other.posted('A', 'c9', 1, 1, 9, t(1, '08:20'))];
})();

/** Rows of `futurelearn_video_stats`: three of the run, out of order, and one of run 1. */
export const TEST_VIDEO_ROWS: (typeof futurelearnVideoStats.$inferInsert)[] = [
  { course: TEST_RUN.course, run: '2', stepPosition: '2.1', title: 'Week 2 <b>recap</b>', videoDurationSeconds: 300, totalViews: 7, stats: { step_position: '2.1', total_views: '7' } },
  { course: TEST_RUN.course, run: '2', stepPosition: '1.10', title: 'Extra', videoDurationSeconds: 45, totalViews: 3, stats: { step_position: '1.10', total_views: '3' } },
  { course: TEST_RUN.course, run: '2', stepPosition: '1.2', title: 'Welcome', videoDurationSeconds: 125, totalViews: 12, stats: { step_position: '1.2', total_views: '12' } },
  { course: TEST_RUN.course, run: '1', stepPosition: '1.1', title: 'Old run', videoDurationSeconds: 60, totalViews: 99, stats: {} },
];

/**
 * Posts the test run (then its later export, in a second request) and the other run to the LRS, and stores the video rows;
 * `clock` gives the LRS its `stored` times.
 */
export async function seedTestRun(database: Database, endpoint: string, clock: TickingClock): Promise<void> {
  await postStatements(endpoint, [...TEST_RUN_STATEMENTS, ...OTHER_RUN_STATEMENTS]);
  // A separate request, a moment later on the LRS's clock: stored after the first batch.
  clock.advance(5);
  await postStatements(endpoint, TEST_RUN_LATER_EXPORT);
  await database.db.insert(futurelearnVideoStats).values(TEST_VIDEO_ROWS);
}
