import { ValidationError } from '../../../src/catalog/schemas.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ChoiceClosedError,
  chooseIndicators,
  choiceHistory,
  currentChoice,
  openWeeklyChoices,
} from '../../../src/reports/coursera/choice.js';
import { weeklyChoiceJob } from '../../../src/jobs.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';

const COURSE = 'C1';
const LEARNER = 'pseudonym-of-a';
const DAY = 24 * 60 * 60 * 1000;

describe.each(DATABASE_KINDS)('Coursera indicator choices on %s', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await freshDatabase(kind);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('records a first choice as current and closed', async () => {
    expect(await currentChoice(db.database, COURSE, LEARNER)).toBeUndefined();
    const chosen = await chooseIndicators(db.database, COURSE, LEARNER, { consent: true, goal: 'pass the course', indicators: [1, 7, 12] });
    expect(chosen).toMatchObject({ courseId: COURSE, learner: LEARNER, consent: true, goal: 'pass the course', indicators: [1, 7, 12], open: false, reason: 'learner' });
    expect(await currentChoice(db.database, COURSE, LEARNER)).toEqual(chosen);
  });

  it('refuses a new choice of indicators or goal while closed, but lets consent change', async () => {
    await chooseIndicators(db.database, COURSE, LEARNER, { consent: true, goal: 'g', indicators: [1, 2] });
    await expect(chooseIndicators(db.database, COURSE, LEARNER, { consent: true, goal: 'g', indicators: [3] })).rejects.toBeInstanceOf(ChoiceClosedError);
    await expect(chooseIndicators(db.database, COURSE, LEARNER, { consent: true, goal: 'other', indicators: [1, 2] })).rejects.toThrow(/closed/);
    const withdrawn = await chooseIndicators(db.database, COURSE, LEARNER, { consent: false, goal: 'g', indicators: [2, 1] });
    expect(withdrawn).toMatchObject({ consent: false, indicators: [2, 1], open: false });
    expect((await choiceHistory(db.database, COURSE, LEARNER)).map((c) => c.consent)).toEqual([true, false]);
  });

  it('opens closed choices once a week, keeps the history, and lets the learner choose again', async () => {
    const now = new Date();
    await chooseIndicators(db.database, COURSE, LEARNER, { consent: true, indicators: [1] });
    await chooseIndicators(db.database, COURSE, 'pseudonym-of-b', { consent: true, indicators: [4] });
    await chooseIndicators(db.database, 'C2', LEARNER, { consent: false, indicators: [] });
    expect(await openWeeklyChoices(db.database, now)).toBe(3);
    // The job running again, or on another instance, within the week opens nothing more.
    expect(await openWeeklyChoices(db.database, new Date(now.getTime() + 60_000))).toBe(0);
    expect(await weeklyChoiceJob(db.database, '0 18 * * 0').run()).toBe(0);
    expect(await currentChoice(db.database, COURSE, LEARNER)).toMatchObject({ open: true, reason: 'weekly', indicators: [1], consent: true });

    await chooseIndicators(db.database, COURSE, LEARNER, { consent: true, goal: 'week 2', indicators: [5, 6] });
    // Chosen again after the reopening: still within the week, so it stays closed...
    expect(await openWeeklyChoices(db.database, new Date(now.getTime() + 2 * DAY))).toBe(0);
    // ...until next week's run.
    expect(await openWeeklyChoices(db.database, new Date(now.getTime() + 7 * DAY))).toBe(1);
    const history = await choiceHistory(db.database, COURSE, LEARNER);
    expect(history.map((c) => [c.reason, c.open, c.indicators])).toEqual([
      ['learner', false, [1]],
      ['weekly', true, [1]],
      ['learner', false, [5, 6]],
      ['weekly', true, [5, 6]],
    ]);
  });

  it('names every bad field of a choice', async () => {
    const err = await chooseIndicators(db.database, COURSE, LEARNER, { consent: 'yes', indicators: [0, 13, 2.5], extra: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const fields = (err as ValidationError).problems.map((p) => p.field).sort();
    expect(fields).toEqual(['/consent', '/extra', '/indicators/0', '/indicators/1', '/indicators/2']);
    const missing = await chooseIndicators(db.database, COURSE, LEARNER, {}).catch((e: unknown) => e);
    expect((missing as ValidationError).problems.map((p) => p.field).sort()).toEqual(['/consent', '/indicators']);
    await expect(chooseIndicators(db.database, COURSE, LEARNER, { consent: true, indicators: [3, 3] })).rejects.toBeInstanceOf(ValidationError);
    expect(await choiceHistory(db.database, COURSE, LEARNER)).toEqual([]);
  });
});
