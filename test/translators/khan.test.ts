import { describe, expect, it } from 'vitest';
import type {
  KhanBadgeRecord,
  KhanExerciseRecord,
  KhanProgressChangeRecord,
  KhanRecord,
  KhanUserRecord,
} from '../../src/ingest/khan/records.js';
import { KHAN_RULE_TABLE, translateKhanRecord } from '../../src/translators/khan.js';
import { khanIri } from '../../src/translators/khan/iris.js';
import { pseudonym, statementId } from '../../src/xapi/ids.js';
import type { Activity, Statement } from '../../src/xapi/types.js';
import { validateStatement } from '../../src/xapi/validate.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../src/xapi/vocabulary.js';

const SECRET = 'khan-translator-test-secret';
const STUDENT = 'http://googleid.khanacademy.org/103958210394857';
const OPTS = { actorName: (id: string) => pseudonym(SECRET, id) };

type Stmt = Statement & { id: string };
function translate(r: KhanRecord): Stmt[] {
  const t = translateKhanRecord(r, OPTS);
  if (!('statements' in t)) throw new Error(`not translated: ${JSON.stringify(t)}`);
  for (const s of t.statements) expect(validateStatement(s)).toEqual([]);
  return t.statements;
}

const act = (id: string, type: { id: string }): Activity => ({ objectType: 'Activity', id, definition: { type: type.id } });
const home = act('https://www.khanacademy.org', ACTIVITY_TYPE.lms);
const exercise = (name: string) => act(`https://www.khanacademy.org/exercise/${name}`, ACTIVITY_TYPE.exercise);
const id = (endpoint: string, what: string, key: string) => statementId('khan', `${endpoint}|${STUDENT}|${what}|${key}`);

/** What every Khan statement has, whatever its endpoint. */
function expectCommon(s: Stmt, endpoint: string, grouped = true): void {
  expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: 'https://www.khanacademy.org', name: pseudonym(SECRET, STUDENT) } });
  expect(s.context?.platform).toBe('Khan Academy');
  expect(s.context?.extensions?.[EXT.sourceType]).toBe(endpoint);
  expect(s.context?.contextActivities).toEqual(grouped ? { grouping: [home] } : undefined);
}

const USER: KhanUserRecord = {
  type: '/api/v1/user', userId: STUDENT, points: 48250, totalSecondsWatched: 12345,
  badgeCounts: { '1': 4, '0': 12, '5': 2 }, proficientExercises: ['addition_1'], allProficientExercises: ['addition_1'],
  firstVisit: '2013-09-02T08:15:00.000Z', joined: '2013-09-02T08:16:41.000Z',
};
const EXERCISE: KhanExerciseRecord = {
  type: '/api/v1/user/exercises', userId: STUDENT, exercise: 'addition_1', displayName: 'Addition 1', level: 'mastery2',
  mastered: false, practiced: true, proficient: true, struggling: false, streak: 3, longestStreak: 11, totalDone: 40, totalCorrect: 33,
  lastDone: '2014-02-10T19:02:11.000Z',
};
const change = (toLevel: string, fromLevel?: string): KhanProgressChangeRecord => ({
  type: '/api/v1/user/exercises/progress_changes', userId: STUDENT, exercise: 'addition_1', date: '2014-01-05T10:00:00.000Z', toLevel,
  ...(fromLevel === undefined ? {} : { fromLevel }),
});
const BADGE: KhanBadgeRecord = {
  type: '/api/v1/user/badges', userId: STUDENT, badge: 'streak10', slug: 'streak-10', category: 1,
  date: '2014-01-06T10:00:00.000Z', targetContext: 'Addition 1', pointsEarned: 100,
};

describe('translateKhanRecord', () => {
  it('has a rule for every endpoint read', () => {
    expect(Object.keys(KHAN_RULE_TABLE).sort()).toEqual([
      '/api/v1/user', '/api/v1/user/badges', '/api/v1/user/exercises', '/api/v1/user/exercises/progress_changes',
    ]);
  });

  it('turns a profile into joining, points with badge counts, and time watched', () => {
    const [joined, points, video] = translate(USER);
    expectCommon(joined!, '/api/v1/user', false);
    expect(joined).toMatchObject({ id: id('/api/v1/user', 'joined', '2013-09-02T08:16:41.000Z'), verb: VERB.registered, object: home, timestamp: '2013-09-02T08:16:41.000Z' });
    expect(joined!.result).toBeUndefined();

    expectCommon(points!, '/api/v1/user', false);
    expect(points!.verb).toEqual(VERB.scored);
    expect(points!.object).toEqual(home);
    // A total has no date: the LRS stamps it when it stores it.
    expect(points!.timestamp).toBeUndefined();
    expect(points!.result).toEqual({ score: { raw: 48250, min: 0 }, extensions: { [EXT.badgeCounts]: { '0': 12, '1': 4, '5': 2 } } });
    expect(points!.id).toBe(id('/api/v1/user', 'points', '48250|{"0":12,"1":4,"5":2}'));

    expectCommon(video!, '/api/v1/user');
    expect(video).toMatchObject({ verb: VERB.experienced, object: act(khanIri.videos, ACTIVITY_TYPE.media), result: { duration: 'PT12345S' } });
    expect(video!.timestamp).toBeUndefined();
  });

  it('leaves out joining and time watched where the profile has none', () => {
    const { joined: _j, ...noJoined } = USER;
    const statements = translate({ ...noJoined, totalSecondsWatched: 0 });
    expect(statements.map((s) => s.verb)).toEqual([VERB.scored]);
  });

  it('scores the totals of an exercise: correct of done, with streaks and level', () => {
    const [s, ...more] = translate(EXERCISE);
    expect(more).toEqual([]);
    expectCommon(s!, '/api/v1/user/exercises');
    expect(s).toMatchObject({ verb: VERB.scored, object: exercise('addition_1'), timestamp: '2014-02-10T19:02:11.000Z' });
    expect(s!.result).toEqual({
      score: { raw: 33, min: 0, max: 40, scaled: 0.825 },
      extensions: { [EXT.streak]: 3, [EXT.longestStreak]: 11, [EXT.level]: 'mastery2' },
    });
    expect(s!.id).toBe(id('/api/v1/user/exercises', 'totals', 'addition_1|40|33|3|11|mastery2|2014-02-10T19:02:11.000Z'));
  });

  it('ignores an exercise never answered', () => {
    expect(translateKhanRecord({ ...EXERCISE, totalDone: 0, totalCorrect: 0 }, OPTS)).toEqual({ ignored: 'not learning activity' });
  });

  it.each([
    ['practiced', VERB.practiced, undefined],
    ['proficient', VERB.passed, true],
    ['mastery3', VERB.mastered, true],
    ['mastered', VERB.mastered, true],
    ['struggling', VERB.attempted, false],
    ['mastery1', VERB.progressed, undefined],
    ['mastery2', VERB.progressed, undefined],
    ['unstarted', VERB.progressed, undefined],
  ])('turns a progress change to %s into the verb %o', (level, verb, success) => {
    const [s] = translate(change(level, 'unstarted'));
    expectCommon(s!, '/api/v1/user/exercises/progress_changes');
    expect(s).toMatchObject({ verb, object: exercise('addition_1'), timestamp: '2014-01-05T10:00:00.000Z' });
    expect(s!.result).toEqual({ ...(success === undefined ? {} : { success }), extensions: { [EXT.level]: level, [EXT.levelFrom]: 'unstarted' } });
    expect(s!.id).toBe(id('/api/v1/user/exercises/progress_changes', 'level', `addition_1|2014-01-05T10:00:00.000Z|unstarted|${level}`));
  });

  it('leaves out the level before when the change does not say it', () => {
    const [s] = translate(change('practiced'));
    expect(s!.result).toEqual({ extensions: { [EXT.level]: 'practiced' } });
  });

  it('turns a badge award into earned, with points, category and context', () => {
    const [s] = translate(BADGE);
    expectCommon(s!, '/api/v1/user/badges');
    expect(s).toMatchObject({ verb: VERB.earned, object: act('https://www.khanacademy.org/badges/streak-10', ACTIVITY_TYPE.badge), timestamp: '2014-01-06T10:00:00.000Z' });
    expect(s!.result).toEqual({ score: { raw: 100, min: 0 } });
    expect(s!.context?.extensions).toEqual({ [EXT.sourceType]: '/api/v1/user/badges', [EXT.badgeCategory]: 1, [EXT.targetContext]: 'Addition 1' });
    expect(s!.id).toBe(id('/api/v1/user/badges', 'earned', 'streak10|2014-01-06T10:00:00.000Z|Addition 1|100'));
  });

  it('gives an award without points, category or context no result and no such extensions', () => {
    const { pointsEarned: _p, category: _c, targetContext: _t, ...bare } = BADGE;
    const [s] = translate(bare);
    expect(s!.result).toBeUndefined();
    expect(s!.context?.extensions).toEqual({ [EXT.sourceType]: '/api/v1/user/badges' });
  });

  it('gives the same ids for the same data pulled twice', () => {
    for (const r of [USER, EXERCISE, change('practiced', 'unstarted'), BADGE]) {
      expect(translate(structuredClone(r)).map((s) => s.id)).toEqual(translate(r).map((s) => s.id));
    }
    // Badge counts in another key order are the same counts.
    expect(translate({ ...USER, badgeCounts: { '5': 2, '0': 12, '1': 4 } })[1]!.id).toBe(translate(USER)[1]!.id);
  });

  it('gives a new id when a total changes, and keeps the ids of what did not', () => {
    const [joined, points, video] = translate(USER).map((s) => s.id);
    const more = translate({ ...USER, points: 48750, totalSecondsWatched: 12400 }).map((s) => s.id);
    expect(more[0]).toBe(joined);
    expect(more[1]).not.toBe(points);
    expect(more[2]).not.toBe(video);
    expect(translate({ ...USER, badgeCounts: { ...USER.badgeCounts, '2': 1 } })[1]!.id).not.toBe(points);

    const totals = translate(EXERCISE)[0]!.id;
    for (const changed of [{ totalDone: 41 }, { totalCorrect: 34 }, { streak: 4 }, { longestStreak: 12 }, { level: 'mastery3' }]) {
      expect(translate({ ...EXERCISE, ...changed })[0]!.id).not.toBe(totals);
    }
    // Another student's same totals are another statement.
    expect(translate({ ...EXERCISE, userId: 'http://googleid.khanacademy.org/2' })[0]!.id).not.toBe(totals);
  });

  it('puts no student id, name, username or email into a statement', () => {
    const all = [USER, EXERCISE, change('struggling', 'practiced'), BADGE].flatMap(translate);
    const json = JSON.stringify(all);
    for (const personal of [STUDENT, 'googleid', '103958210394857', '@', 'norm:']) expect(json).not.toContain(personal);
  });
});
