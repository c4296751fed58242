import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { FutureLearnRecord } from '../../src/ingest/futurelearn/records.js';
import { FUTURELEARN_RULE_TABLE, translateFutureLearnRecord } from '../../src/translators/futurelearn.js';
import type { FutureLearnRule } from '../../src/translators/futurelearn/rule.js';
import { futurelearnIri } from '../../src/translators/futurelearn/iris.js';
import { pseudonym, statementId } from '../../src/xapi/ids.js';
import type { Activity, Statement } from '../../src/xapi/types.js';
import { validateStatement } from '../../src/xapi/validate.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../src/xapi/vocabulary.js';

const SECRET = 'futurelearn-translator-test-secret';
const RUN = { course: 'climate-change', run: '3' };
const OPTS = { actorName: (id: string) => pseudonym(SECRET, id) };

type Stmt = Statement & { id: string };
function translate(r: FutureLearnRecord): Stmt[] {
  const t = translateFutureLearnRecord(r, OPTS);
  if (!('statements' in t)) throw new Error(`not translated: ${JSON.stringify(t)}`);
  for (const s of t.statements) expect(validateStatement(s)).toEqual([]);
  return t.statements;
}

const act = (id: string, type: { id: string }): Activity => ({ objectType: 'Activity', id, definition: { type: type.id } });
const run = act(futurelearnIri.run(RUN), ACTIVITY_TYPE.course);
const week = (w: number) => act(futurelearnIri.week(RUN, w), ACTIVITY_TYPE.module);
const step = (w: number, s: number) => act(futurelearnIri.step(RUN, w, s), ACTIVITY_TYPE.page);
const comment = (id: string) => act(futurelearnIri.comment(RUN, id), ACTIVITY_TYPE.comment);
const assignment = (id: string) => act(futurelearnIri.assignment(RUN, id), ACTIVITY_TYPE.assessment);
const id = (dataset: string, rowKey: string, what: string) => statementId('futurelearn', `${dataset}|climate-change|3|${rowKey}|${what}`);

/** What every FutureLearn statement has, whatever its row. */
function expectCommon(s: Stmt, learnerId: string, time: string, dataset: string, place?: [number, number]): void {
  expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: 'https://www.futurelearn.com', name: pseudonym(SECRET, learnerId) } });
  expect(s.timestamp).toBe(time);
  expect(s.context?.platform).toBe('FutureLearn');
  // The step is a parent unless it is the object itself; the run always is.
  const parents = place === undefined ? [run] : [run, week(place[0]), step(place[0], place[1])];
  expect(s.context?.contextActivities?.parent).toEqual(parents.filter((p, i) => i === 0 || p.id !== (s.object as Activity).id));
  expect(s.context?.extensions).toMatchObject(
    place === undefined ? { [EXT.sourceType]: dataset } : { [EXT.sourceType]: dataset, [EXT.moduleIndex]: place[0], [EXT.itemIndex]: place[1] },
  );
  if (place === undefined) expect(s.context?.extensions).not.toHaveProperty([EXT.moduleIndex]);
}

const T1 = '2026-01-05T09:00:00.000Z';
const T2 = '2026-01-05T09:10:00.000Z';
const T3 = '2026-01-18T20:00:00.000Z';
const T4 = '2026-01-19T08:00:00.000Z';

describe('the FutureLearn rule table', () => {
  it('has a rule or ignore for every dataset read into records', () => {
    expect(Object.keys(FUTURELEARN_RULE_TABLE).sort()).toEqual([
      'comments', 'enrolments', 'leaving-survey-responses', 'peer-review-assignments', 'peer-review-reviews', 'question-response', 'step-activity', 'video-stats',
    ]);
    expect(FUTURELEARN_RULE_TABLE['video-stats']).toBe('ignore');
  });

  it('gives each dataset the verbs of the table of docs/futurelearn.md, and no other', async () => {
    const doc = await readFile(new URL('../../docs/futurelearn.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('## Datasets → statements'), doc.indexOf('One row gives'));
    const documented = new Set([...table.matchAll(/^\| `([^`]+)`[^|]*\| `([^`]+)`/gm)].map((m) => `${m[1]} ${m[2]}`));
    const ruled = new Set(
      Object.entries(FUTURELEARN_RULE_TABLE).flatMap(([dataset, rule]) =>
        rule === 'ignore' ? [] : (rule as FutureLearnRule<unknown>).statements.map((s) => `${dataset} ${s.verb.display?.['en-US']}`),
      ),
    );
    expect(documented).toEqual(ruled);
  });
});

describe('translateFutureLearnRecord', () => {
  it('turns a learner enrolment with every timestamp into registered, unregistered, completed and earned', () => {
    const [registered, unregistered, completed, earned, ...rest] = translate({
      type: 'enrolments', run: RUN, learnerId: 'l1', role: 'learner', enrolledAt: T1, unenrolledAt: T2, fullyParticipatedAt: T3, purchasedStatementAt: T4, profile: { gender: 'female', country: 'NL' },
    });
    expect(rest).toEqual([]);
    const key = `l1|${T1}`;
    for (const [s, verb, time, what] of [[registered, VERB.registered, T1, 'enrolled'], [unregistered, VERB.unregistered, T2, 'unenrolled'], [completed, VERB.completed, T3, 'fully-participated']] as const) {
      expectCommon(s!, 'l1', time, 'enrolments');
      expect(s!.verb).toEqual(verb);
      expect(s!.object).toEqual(run);
      expect(s!.id).toBe(id('enrolments', key, what));
      expect(s!.result).toBeUndefined();
    }
    expectCommon(earned!, 'l1', T4, 'enrolments');
    expect(earned!.verb).toEqual(VERB.earned);
    expect(earned!.object).toEqual(act(futurelearnIri.statementOfParticipation(RUN), ACTIVITY_TYPE.certificate));
    expect(earned!.id).toBe(id('enrolments', key, 'purchased-statement'));
    // Demographics stay in learner_profiles.
    expect(JSON.stringify([registered, earned])).not.toMatch(/female|"NL"/);
  });

  it('gives one statement per timestamp an enrolment has, and none for educators and other roles', () => {
    expect(translate({ type: 'enrolments', run: RUN, learnerId: 'l2', role: 'learner', enrolledAt: T1, profile: {} }).map((s) => s.verb)).toEqual([VERB.registered]);
    for (const role of ['educator', 'mentor', 'organisation_admin']) {
      expect(translateFutureLearnRecord({ type: 'enrolments', run: RUN, learnerId: 'e1', role, enrolledAt: T1, profile: {} }, OPTS)).toEqual({ ignored: 'not learning activity' });
    }
  });

  it('turns step-activity into viewed at the first visit and completed at the last completion, with week and step', () => {
    const [viewed, completed] = translate({ type: 'step-activity', run: RUN, learnerId: 'l1', week: 1, step: 2, firstVisitedAt: T1, lastCompletedAt: T2 });
    expectCommon(viewed!, 'l1', T1, 'step-activity', [1, 2]);
    expect(viewed!.context?.contextActivities?.parent).toEqual([run, week(1)]);
    expect(viewed!.verb).toEqual(VERB.viewed);
    expect(viewed!.object).toEqual(step(1, 2));
    expect(viewed!.id).toBe(id('step-activity', 'l1|1.2', 'visited'));
    expectCommon(completed!, 'l1', T2, 'step-activity', [1, 2]);
    expect(completed!.verb).toEqual(VERB.completed);
    expect(completed!.object).toEqual(step(1, 2));
    expect(completed!.id).toBe(id('step-activity', 'l1|1.2', 'completed'));
    expect(translate({ type: 'step-activity', run: RUN, learnerId: 'l1', week: 1, step: 2, firstVisitedAt: T1 })).toHaveLength(1);
    expect(translateFutureLearnRecord({ type: 'step-activity', run: RUN, learnerId: 'l1', week: 1, step: 2 }, OPTS)).toEqual({ ignored: 'not learning activity' });
  });

  it('turns a comment into posted with its likes, and a reply into replied with the parent comment in other', () => {
    const [posted, ...more] = translate({ type: 'comments', run: RUN, id: '1001', authorId: 'l1', week: 1, step: 2, time: T1, likes: 3 });
    expect(more).toEqual([]);
    expectCommon(posted!, 'l1', T1, 'comments', [1, 2]);
    expect(posted!.verb).toEqual(VERB.posted);
    expect(posted!.object).toEqual(comment('1001'));
    expect(posted!.result).toEqual({ extensions: { [EXT.likes]: 3 } });
    expect(posted!.context?.contextActivities?.other).toBeUndefined();
    expect(posted!.id).toBe(id('comments', '1001', 'posted'));

    const [replied] = translate({ type: 'comments', run: RUN, id: '1002', authorId: 'l3', parentId: '1001', week: 1, step: 2, time: T2, likes: 0 });
    expectCommon(replied!, 'l3', T2, 'comments', [1, 2]);
    expect(replied!.verb).toEqual(VERB.replied);
    expect(replied!.object).toEqual(comment('1002'));
    expect(replied!.context?.contextActivities?.other).toEqual([comment('1001')]);
    expect(replied!.result).toEqual({ extensions: { [EXT.likes]: 0 } });
    expect(replied!.id).toBe(id('comments', '1002', 'replied'));
    expect(translate({ type: 'comments', run: RUN, id: '1003', authorId: 'l3', week: 1, step: 2, time: T2 })[0]!.result).toBeUndefined();
  });

  it('turns a question response into answered a choice interaction, with success, the options and the question type', () => {
    const [right] = translate({ type: 'question-response', run: RUN, learnerId: 'l1', week: 1, step: 3, question: 2, questionType: 'MultipleChoiceQuestion', response: '1,4', submittedAt: T1, correct: true });
    expectCommon(right!, 'l1', T1, 'question-response', [1, 3]);
    expect(right!.verb).toEqual(VERB.answered);
    expect(right!.object).toEqual({ objectType: 'Activity', id: futurelearnIri.question(RUN, 1, 3, 2), definition: { type: ACTIVITY_TYPE.cmiInteraction.id, interactionType: 'choice' } });
    expect(right!.result).toEqual({ success: true, response: '1[,]4' });
    expect(right!.context?.extensions?.[EXT.questionType]).toBe('MultipleChoiceQuestion');
    expect(right!.id).toBe(id('question-response', `l1|1.3.2|${T1}`, 'answered'));
    const [wrong] = translate({ type: 'question-response', run: RUN, learnerId: 'l1', week: 1, step: 3, question: 2, response: '3', submittedAt: T2, correct: false });
    expect(wrong!.result).toEqual({ success: false, response: '3' });
    expect(wrong!.id).not.toBe(right!.id);
  });

  it('answers a cloze question with a fill-in interaction and the cloze response', () => {
    const [cloze] = translate({ type: 'question-response', run: RUN, learnerId: 'l3', week: 1, step: 3, question: 3, questionType: 'ClozeQuestion', clozeResponse: 'carbon dioxide', submittedAt: T1, correct: true });
    expect((cloze!.object as Activity).definition?.interactionType).toBe('fill-in');
    expect(cloze!.result).toEqual({ success: true, response: 'carbon dioxide' });
  });

  it('turns a submitted peer review assignment into submitted, and an unsubmitted one into nothing', () => {
    const [submitted] = translate({ type: 'peer-review-assignments', run: RUN, id: '501', authorId: 'l1', week: 2, step: 3, submittedAt: T2 });
    expectCommon(submitted!, 'l1', T2, 'peer-review-assignments', [2, 3]);
    expect(submitted!.verb).toEqual(VERB.submitted);
    expect(submitted!.object).toEqual(assignment('501'));
    expect(submitted!.id).toBe(id('peer-review-assignments', '501', 'submitted'));
    expect(translateFutureLearnRecord({ type: 'peer-review-assignments', run: RUN, id: '502', authorId: 'l3', week: 2, step: 3 }, OPTS)).toEqual({ ignored: 'not learning activity' });
  });

  it('turns a peer review into reviewed the reviewed assignment', () => {
    const [reviewed] = translate({ type: 'peer-review-reviews', run: RUN, id: '901', reviewerId: 'l3', assignmentId: '501', week: 2, step: 3, createdAt: T3 });
    expectCommon(reviewed!, 'l3', T3, 'peer-review-reviews', [2, 3]);
    expect(reviewed!.verb).toEqual(VERB.reviewed);
    expect(reviewed!.object).toEqual(assignment('501'));
    expect(reviewed!.id).toBe(id('peer-review-reviews', '901', 'reviewed'));
  });

  it('turns a leaving survey response into left the run with the reason', () => {
    const [left] = translate({ type: 'leaving-survey-responses', run: RUN, key: '71', learnerId: 'l2', leftAt: T2, leavingReason: "I don't have enough time" });
    expectCommon(left!, 'l2', T2, 'leaving-survey-responses');
    expect(left!.verb).toEqual(VERB.left);
    expect(left!.object).toEqual(run);
    expect(left!.result).toEqual({ extensions: { [EXT.leavingReason]: "I don't have enough time" } });
    expect(left!.id).toBe(id('leaving-survey-responses', '71', 'left'));
    expect(translate({ type: 'leaving-survey-responses', run: RUN, key: '72', learnerId: 'l2', leftAt: T2 })[0]!.result).toBeUndefined();
  });

  it('keeps video figures out of statements', () => {
    expect(translateFutureLearnRecord({ type: 'video-stats', run: RUN, stepPosition: '1.1', title: 'Welcome', stats: {} }, OPTS)).toEqual({ ignored: 'not learning activity' });
  });

  it('gives the same ids for the same row twice, and other ids in another run', () => {
    const row: FutureLearnRecord = { type: 'step-activity', run: RUN, learnerId: 'l1', week: 1, step: 1, firstVisitedAt: T1, lastCompletedAt: T2 };
    expect(translate(row).map((s) => s.id)).toEqual(translate({ ...row }).map((s) => s.id));
    expect(translate({ ...row, run: { course: 'climate-change', run: '4' } }).map((s) => s.id)).not.toEqual(translate(row).map((s) => s.id));
  });
});
