import { describe, expect, it } from 'vitest';
import type { CourseraRecord } from '../../src/ingest/coursera/records.js';
import type { CourseraStructure, StructureItem } from '../../src/ingest/coursera/structure.js';
import { COURSERA_RULES, translateCourseraRecord, type CourseraTranslateOptions } from '../../src/translators/coursera.js';
import { courseraIri } from '../../src/translators/coursera/iris.js';
import { pseudonym, statementId } from '../../src/xapi/ids.js';
import type { Activity, Statement } from '../../src/xapi/types.js';
import { validateStatement } from '../../src/xapi/validate.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../src/xapi/vocabulary.js';

const SECRET = 'coursera-translator-test-secret';
const COURSE = 'course-abc';
const place = (itemId: string, moduleIndex: number, lessonIndex: number, itemIndex: number, category: string): StructureItem => ({
  itemId, lessonId: `les-${moduleIndex}-${lessonIndex}`, moduleId: `mod-${moduleIndex}`, category, name: `Name of ${itemId}`, moduleIndex, lessonIndex, itemIndex,
});
const STRUCTURE: CourseraStructure = {
  courseId: COURSE,
  items: new Map([
    ['lec01', place('lec01', 1, 1, 1, 'lecture')],
    ['qz001', place('qz001', 1, 2, 1, 'quiz')],
    ['dp001', place('dp001', 2, 1, 2, 'discussionPrompt')],
  ]),
};
const OPTS: CourseraTranslateOptions = { actorName: (id) => pseudonym(SECRET, id), structure: STRUCTURE, courseId: COURSE };

type Stmt = Statement & { id: string };
function translate(r: CourseraRecord, opts = OPTS): Stmt {
  const t = translateCourseraRecord(r, opts);
  if (!('statements' in t)) throw new Error(`not translated: ${JSON.stringify(t)}`);
  expect(t.statements).toHaveLength(1);
  expect(validateStatement(t.statements[0])).toEqual([]);
  return t.statements[0]!;
}

const act = (id: string, type: { id: string }): Activity => ({ objectType: 'Activity', id, definition: { type: type.id } });
const course = act(courseraIri.course(COURSE), ACTIVITY_TYPE.course);
const module = (id: string) => act(courseraIri.module(COURSE, id), ACTIVITY_TYPE.module);
const lesson = (id: string) => act(courseraIri.lesson(COURSE, id), ACTIVITY_TYPE.lesson);
const itemExt = (m: number, l: number, i: number, type: string) => ({ [EXT.moduleIndex]: m, [EXT.lessonIndex]: l, [EXT.itemIndex]: i, [EXT.itemType]: type });

/** What every Coursera statement has, whatever its row. */
function expectCommon(s: Stmt, userId: string, time: string, sourceType: string): void {
  expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: 'https://www.coursera.org', name: pseudonym(SECRET, userId) } });
  expect(s.timestamp).toBe(time);
  expect(s.context?.platform).toBe('Coursera');
  expect(s.context?.extensions?.[EXT.sourceType]).toBe(sourceType);
  expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
}

const T = '2026-09-07T08:00:00.000Z';

describe('the Coursera rule table', () => {
  it('has a rule or ignore for every table used and every clickstream page type', () => {
    expect(Object.keys(COURSERA_RULES).filter((k) => !k.startsWith('clickstream:')).sort()).toEqual(
      ['course_grades', 'course_item_grades', 'course_memberships', 'course_progress', 'discussion_answers', 'discussion_questions', 'peer_comments'],
    );
    expect(COURSERA_RULES).toHaveProperty(['clickstream:lecture']);
    expect(COURSERA_RULES).toHaveProperty(['clickstream:discussions']);
    expect(COURSERA_RULES).toHaveProperty(['clickstream:page']);
  });
});

describe('translateCourseraRecord', () => {
  it('turns a started item of course_progress into attempted, with module, lesson and the item position', () => {
    const s = translate({ type: 'course_progress', courseId: COURSE, itemId: 'qz001', userId: 'u1', state: 1, time: T });
    expectCommon(s, 'u1', T, 'course_progress');
    expect(s.verb).toEqual(VERB.attempted);
    expect(s.object).toEqual(act(courseraIri.item(COURSE, 'qz001'), ACTIVITY_TYPE.assessment));
    expect(s.context?.contextActivities).toEqual({ parent: [course, module('mod-1'), lesson('les-1-2')] });
    expect(s.context?.extensions).toEqual({ [EXT.sourceType]: 'course_progress', ...itemExt(1, 2, 1, 'quiz') });
    expect(s.result).toBeUndefined();
  });

  it('turns a completed item of course_progress into completed', () => {
    const s = translate({ type: 'course_progress', courseId: COURSE, itemId: 'lec01', userId: 'u1', state: 2, time: T });
    expect(s.verb).toEqual(VERB.completed);
    expect(s.object).toEqual(act(courseraIri.item(COURSE, 'lec01'), ACTIVITY_TYPE.video));
    expect(s.context?.extensions).toMatchObject(itemExt(1, 1, 1, 'lecture'));
  });

  it('names an item the structure does not know by its IRI alone, with the course as only parent', () => {
    const s = translate({ type: 'course_progress', courseId: COURSE, itemId: 'zzz99', userId: 'u1', state: 2, time: T });
    expect(s.object).toEqual(act(courseraIri.item(COURSE, 'zzz99'), ACTIVITY_TYPE.resource));
    expect(s.context?.contextActivities).toEqual({ parent: [course] });
    expect(s.context?.extensions).toEqual({ [EXT.sourceType]: 'course_progress' });
  });

  it('turns course_item_grades into scored with the grade as scaled score and success from the passing state', () => {
    const s = translate({ type: 'course_item_grades', courseId: COURSE, itemId: 'qz001', userId: 'u2', overall: 0.8, passingState: 2, time: T });
    expectCommon(s, 'u2', T, 'course_item_grades');
    expect(s.verb).toEqual(VERB.scored);
    expect(s.object).toEqual(act(courseraIri.item(COURSE, 'qz001'), ACTIVITY_TYPE.assessment));
    expect(s.result).toEqual({ score: { scaled: 0.8 }, success: true });
    expect(s.context?.extensions).toMatchObject(itemExt(1, 2, 1, 'quiz'));
    expect(translate({ type: 'course_item_grades', courseId: COURSE, itemId: 'qz001', userId: 'u2', overall: 0.2, passingState: 1, time: T }).result).toEqual({ score: { scaled: 0.2 }, success: false });
    expect(translate({ type: 'course_item_grades', courseId: COURSE, itemId: 'qz001', userId: 'u2', overall: 0.2, time: T }).result).toEqual({ score: { scaled: 0.2 } });
  });

  it('turns course_grades into scored on the course, which is then no parent of itself', () => {
    const s = translate({ type: 'course_grades', courseId: COURSE, userId: 'u2', overall: 0.75, passingState: 3, time: T });
    expectCommon(s, 'u2', T, 'course_grades');
    expect(s.verb).toEqual(VERB.scored);
    expect(s.object).toEqual(course);
    expect(s.result).toEqual({ score: { scaled: 0.75 }, success: true });
    expect(s.context?.contextActivities).toBeUndefined();
  });

  it('turns discussion_questions on a prompt into posted, with the prompt after its module and lesson', () => {
    const s = translate({ type: 'discussion_questions', courseId: COURSE, questionId: 'q1', itemId: 'dp001', userId: 'u3', time: T });
    expectCommon(s, 'u3', T, 'discussion_questions');
    expect(s.verb).toEqual(VERB.posted);
    expect(s.object).toEqual(act(courseraIri.question(COURSE, 'q1'), ACTIVITY_TYPE.discussion));
    expect(s.context?.contextActivities).toEqual({ parent: [course, module('mod-2'), lesson('les-2-1'), act(courseraIri.item(COURSE, 'dp001'), ACTIVITY_TYPE.discussion)] });
    expect(s.context?.extensions).toMatchObject(itemExt(2, 1, 2, 'discussionPrompt'));
  });

  it('turns a question in a week forum into posted with the week as parent', () => {
    const s = translate({ type: 'discussion_questions', courseId: COURSE, questionId: 'q2', moduleId: 'mod1', userId: 'u3', time: T });
    expect(s.context?.contextActivities).toEqual({ parent: [course, module('mod1')] });
    expect(s.context?.extensions).toEqual({ [EXT.sourceType]: 'discussion_questions' });
  });

  it('turns discussion_answers into replied with the thread as parent, and the answer replied to as other', () => {
    const s = translate({ type: 'discussion_answers', courseId: COURSE, answerId: 'a2', questionId: 'q1', parentAnswerId: 'a1', userId: 'u1', time: T });
    expectCommon(s, 'u1', T, 'discussion_answers');
    expect(s.verb).toEqual(VERB.replied);
    expect(s.object).toEqual(act(courseraIri.answer(COURSE, 'a2'), ACTIVITY_TYPE.forumReply));
    expect(s.context?.contextActivities).toEqual({
      parent: [course, act(courseraIri.question(COURSE, 'q1'), ACTIVITY_TYPE.discussion)],
      other: [act(courseraIri.answer(COURSE, 'a1'), ACTIVITY_TYPE.forumReply)],
    });
    const direct = translate({ type: 'discussion_answers', courseId: COURSE, answerId: 'a1', questionId: 'q1', userId: 'u2', time: T });
    expect(direct.context?.contextActivities?.other).toBeUndefined();
  });

  it('turns peer_comments into commented on the peer submission, in the export course when the row names none', () => {
    const s = translate({ type: 'peer_comments', commentId: 'pc1', submissionId: 'sub1', userId: 'u1', time: T });
    expectCommon(s, 'u1', T, 'peer_comments');
    expect(s.verb).toEqual(VERB.commented);
    expect(s.object).toEqual(act(courseraIri.peerSubmission(COURSE, 'sub1'), ACTIVITY_TYPE.assessment));
    expect(s.context?.contextActivities).toEqual({ parent: [course] });
  });

  it('turns course_memberships of LEARNER into registered and NOT_ENROLLED into unregistered, and ignores other roles', () => {
    const joined = translate({ type: 'course_memberships', courseId: COURSE, userId: 'u1', role: 'LEARNER', time: T });
    expectCommon(joined, 'u1', T, 'course_memberships');
    expect(joined.verb).toEqual(VERB.registered);
    expect(joined.object).toEqual(course);
    expect(translate({ type: 'course_memberships', courseId: COURSE, userId: 'u1', role: 'NOT_ENROLLED', time: T }).verb).toEqual(VERB.unregistered);
    expect(translateCourseraRecord({ type: 'course_memberships', courseId: COURSE, userId: 'u1', role: 'MENTOR', time: T }, OPTS)).toEqual({ ignored: 'not learning activity' });
  });

  it('turns a clickstream view of an item page into viewed, with the session and the item position', () => {
    const s = translate({ type: 'clickstream:lecture', segment: 'lecture', itemId: 'lec01', userId: 'u1', sessionId: 'sess-1', path: 'lecture/lec01/intro', time: T });
    expectCommon(s, 'u1', T, 'clickstream:lecture');
    expect(s.verb).toEqual(VERB.viewed);
    expect(s.object).toEqual(act(courseraIri.item(COURSE, 'lec01'), ACTIVITY_TYPE.video));
    expect(s.context?.contextActivities).toEqual({ parent: [course, module('mod-1'), lesson('les-1-1')] });
    expect(s.context?.extensions).toEqual({ [EXT.sourceType]: 'clickstream:lecture', ...itemExt(1, 1, 1, 'lecture'), [EXT.sessionId]: 'sess-1' });
  });

  it('types a viewed item the structure does not know by its URL segment', () => {
    const s = translate({ type: 'clickstream:peer', segment: 'peer', itemId: 'px', userId: 'u1', path: 'peer/px/x', time: T });
    expect(s.object).toEqual(act(courseraIri.item(COURSE, 'px'), ACTIVITY_TYPE.assessment));
    expect(s.context?.extensions).toEqual({ [EXT.sourceType]: 'clickstream:peer' });
  });

  it('turns a clickstream view of a forum page into viewed forums: a forum visit', () => {
    const s = translate({ type: 'clickstream:discussions', userId: 'u2', sessionId: 'sess-2', path: 'discussions/weeks/1', time: T });
    expectCommon(s, 'u2', T, 'clickstream:discussions');
    expect(s.verb).toEqual(VERB.viewed);
    expect(s.object).toEqual(act(courseraIri.forums(COURSE), ACTIVITY_TYPE.discussion));
    expect(s.context?.contextActivities).toEqual({ parent: [course] });
    expect(s.context?.extensions).toEqual({ [EXT.sourceType]: 'clickstream:discussions', [EXT.sessionId]: 'sess-2' });
  });

  it('turns a clickstream view of another course page into viewed page, by its path after the slug', () => {
    const s = translate({ type: 'clickstream:page', userId: 'u2', sessionId: 'sess-2', path: 'home/week/1', time: T });
    expectCommon(s, 'u2', T, 'clickstream:page');
    expect(s.object).toEqual(act(`${courseraIri.course(COURSE)}/pages/home/week/1`, ACTIVITY_TYPE.page));
    expect(s.context?.extensions).toEqual({ [EXT.sourceType]: 'clickstream:page', [EXT.sessionId]: 'sess-2' });
  });

  it('gives the same row the same id twice, and ids from a stable key in the Coursera namespace', () => {
    const row: CourseraRecord = { type: 'course_progress', courseId: COURSE, itemId: 'lec01', userId: 'u1', state: 2, time: T };
    const first = translate(row);
    expect(translate({ ...row }).id).toBe(first.id);
    expect(first.id).toBe(statementId('coursera', `course_progress|${COURSE}|lec01|u1|2|${T}`));
    expect(translate({ ...row, state: 1 }).id).not.toBe(first.id);
    expect(translate({ ...row, courseId: 'other' }).id).not.toBe(first.id);
  });

  it('rejects a row that names no course when none is given', () => {
    const t = translateCourseraRecord({ type: 'clickstream:page', userId: 'u2', path: 'home', time: T }, { ...OPTS, courseId: undefined });
    expect(t).toEqual({ rejection: { code: 'missing_field', field: 'course_id', detail: expect.any(String) } });
  });

  it('uses the injected actor name (a linked ECO user) and puts no item name in a statement', () => {
    const s = translate({ type: 'course_progress', courseId: COURSE, itemId: 'lec01', userId: 'u1', state: 2, time: T }, { ...OPTS, actorName: (id) => (id === 'u1' ? 'eco-42' : id) });
    expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: 'https://www.coursera.org', name: 'eco-42' } });
    expect(JSON.stringify(s)).not.toContain('Name of');
  });
});
