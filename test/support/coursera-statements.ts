/**
 * Coursera statements for tests, shaped as docs/coursera.md describes the translator's
 * output, and their delivery to the embedded LRS over HTTP. (The translator's own output
 * reaches the indicators in test/ingest/coursera/pull-end-to-end.test.ts.)
 */
import { COURSERA_HOME, COURSERA_PLATFORM, courseraIri, itemActivityType } from '../../src/translators/coursera/iris.js';
import { accountActor, pseudonym, statementId } from '../../src/xapi/ids.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../src/xapi/vocabulary.js';
import { LRS_USER } from './embedded-lrs.js';

/** The pseudonym key of the tests. */
export const COURSERA_SECRET = 'coursera-test-pseudonym-secret';

/** A learner's account name: the pseudonym of the hashed Coursera user id. */
export const learnerOf = (hashedUserId: string) => pseudonym(COURSERA_SECRET, hashedUserId);

/** An item of the test course: its id, module position and category. */
export interface TestItem {
  id: string;
  module: number;
  type: string;
}

type Json = Record<string, unknown>;

/** Builds the statements of one course. */
export function courseraStatements(courseId: string) {
  const course = { objectType: 'Activity', id: courseraIri.course(courseId), definition: { type: ACTIVITY_TYPE.course.id } };
  const base = (user: string, verb: { id: string; display: Json }, object: Json, time: string, extensions: Json, parents: Json[] = [], key = '') => ({
    id: statementId('coursera', `${courseId}:${user}:${verb.id}:${String(object.id)}:${time}:${key}`),
    actor: accountActor(COURSERA_HOME, learnerOf(user)),
    verb,
    object: { objectType: 'Activity', ...object },
    context: { platform: COURSERA_PLATFORM, contextActivities: { parent: [course, ...parents] }, extensions },
    timestamp: time,
  });
  const itemObject = (item: TestItem) => ({ id: courseraIri.item(courseId, item.id), definition: { type: itemActivityType(item.type).id } });
  // Every item is the first of the first lesson of its module.
  const itemParents = (item: TestItem) => [
    { objectType: 'Activity', id: courseraIri.module(courseId, `m${item.module}`), definition: { type: ACTIVITY_TYPE.module.id } },
    { objectType: 'Activity', id: courseraIri.lesson(courseId, `m${item.module}-l1`), definition: { type: ACTIVITY_TYPE.lesson.id } },
  ];
  const itemExtensions = (item: TestItem, sourceType: string, extra: Json = {}) => ({
    [EXT.sourceType]: sourceType, [EXT.moduleIndex]: item.module, [EXT.lessonIndex]: 1, [EXT.itemIndex]: 1, [EXT.itemType]: item.type, ...extra,
  });
  const question = (id: string) => ({ id: courseraIri.question(courseId, id), definition: { type: ACTIVITY_TYPE.discussion.id } });
  return {
    /** `course_progress` state 1. */
    started: (user: string, item: TestItem, time: string) => base(user, VERB.attempted, itemObject(item), time, itemExtensions(item, 'course_progress'), itemParents(item)),
    /** `course_progress` state 2. */
    completed: (user: string, item: TestItem, time: string) => base(user, VERB.completed, itemObject(item), time, itemExtensions(item, 'course_progress'), itemParents(item)),
    /** A clickstream view of an item. */
    viewed: (user: string, item: TestItem, time: string, session = 's1') =>
      base(user, VERB.viewed, itemObject(item), time, itemExtensions(item, `clickstream:${item.type}`, { [EXT.sessionId]: session }), itemParents(item)),
    /** A clickstream view of a forum page: a forum visit. */
    forumVisit: (user: string, time: string, session = 's1') =>
      base(user, VERB.viewed, { id: courseraIri.forums(courseId), definition: { type: ACTIVITY_TYPE.discussion.id } }, time, { [EXT.sourceType]: 'clickstream:discussions', [EXT.sessionId]: session }),
    /** A clickstream view of another course page. */
    page: (user: string, path: string, time: string, session = 's1') =>
      base(user, VERB.viewed, { id: courseraIri.page(courseId, path), definition: { type: ACTIVITY_TYPE.page.id } }, time, { [EXT.sourceType]: 'clickstream:page', [EXT.sessionId]: session }),
    /** `discussion_questions`: a new thread. */
    posted: (user: string, questionId: string, time: string) =>
      base(user, VERB.posted, question(questionId), time, { [EXT.sourceType]: 'discussion_questions' }),
    /** `discussion_answers`: an answer in the thread of `questionId`. */
    replied: (user: string, answerId: string, questionId: string, time: string) =>
      base(user, VERB.replied, { id: courseraIri.answer(courseId, answerId), definition: { type: ACTIVITY_TYPE.forumReply.id } }, time, { [EXT.sourceType]: 'discussion_answers' }, [{ objectType: 'Activity', ...question(questionId) }]),
    /** `course_item_grades`. */
    scored: (user: string, item: TestItem, scaled: number, time: string) => ({
      ...base(user, VERB.scored, itemObject(item), time, itemExtensions(item, 'course_item_grades'), itemParents(item)),
      result: { score: { scaled }, success: scaled >= 0.5 },
    }),
  };
}

/** Posts statements to the embedded LRS at `endpoint` (…/xapi/) in batches. */
export async function postStatements(endpoint: string, statements: unknown[]): Promise<void> {
  const auth = `Basic ${Buffer.from(`${LRS_USER.username}:${LRS_USER.password}`).toString('base64')}`;
  for (let i = 0; i < statements.length; i += 200) {
    const res = await fetch(`${endpoint}statements`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json', 'X-Experience-API-Version': '1.0.3' },
      body: JSON.stringify(statements.slice(i, i + 200)),
    });
    if (res.status !== 200) throw new Error(`the LRS refused the statements: ${res.status} ${await res.text()}`);
  }
}
