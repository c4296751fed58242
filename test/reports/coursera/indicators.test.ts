import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { CourseraIndicatorService, type CourseIndicators } from '../../../src/reports/coursera/course-indicators.js';
import { putCourseSettings } from '../../../src/reports/coursera/course-settings.js';
import type { ScaledIndicator } from '../../../src/reports/coursera/scaling.js';
import { courseraStatements, learnerOf, postStatements, type TestItem } from '../../support/coursera-statements.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { startEmbeddedLrs, type RunningLrs } from '../../support/embedded-lrs.js';

// The course: cohort start Monday 2026-03-02 00:00Z, 7-day modules, so module 1 is open
// 03-02..03-09 (deadline 03-09 00:00), module 2 03-09..03-16, module 3 from 03-16.
// Every indicator is taken at AT = 03-12 00:00Z: modules 1 and 2 are open, 3 is not.
const COURSE = 'C1';
const AT = new Date('2026-03-12T00:00:00Z');
const L1: TestItem = { id: 'L1', module: 1, type: 'lecture' };
const S1: TestItem = { id: 'S1', module: 1, type: 'supplement' };
const D1: TestItem = { id: 'D1', module: 1, type: 'discussionPrompt' };
const Q1: TestItem = { id: 'Q1', module: 1, type: 'quiz' };
const L2: TestItem = { id: 'L2', module: 2, type: 'lecture' };
const P2: TestItem = { id: 'P2', module: 2, type: 'peer' };
const Q2: TestItem = { id: 'Q2', module: 2, type: 'quiz' };
const L3: TestItem = { id: 'L3', module: 3, type: 'lecture' };
const t = (day: number, time: string) => `2026-03-${String(day).padStart(2, '0')}T${time}Z`;

const c = courseraStatements(COURSE);
const A = learnerOf('hashA');
const B = learnerOf('hashB');
const C = learnerOf('hashC');

const STATEMENTS = [
  // Learner A
  c.started('hashA', L1, t(2, '10:00:00')),
  c.completed('hashA', L1, t(2, '10:10:00')),
  c.started('hashA', S1, t(2, '10:15:00')),
  c.completed('hashA', S1, t(3, '08:00:00')),
  c.viewed('hashA', L1, t(3, '08:10:00')), // after L1's completion: reviewed
  c.started('hashA', Q1, t(4, '12:00:00')),
  c.completed('hashA', Q1, t(4, '12:20:00')),
  c.scored('hashA', Q1, 0.8, t(4, '12:20:00')),
  c.started('hashA', D1, t(5, '09:00:00')),
  c.scored('hashA', Q1, 0.6, t(5, '09:10:00')), // a lower later grade: the best counts
  c.completed('hashA', D1, t(5, '09:30:00')),
  c.forumVisit('hashA', t(5, '09:40:00')),
  c.posted('hashA', 'QA', t(5, '09:45:00')),
  c.forumVisit('hashA', t(5, '09:50:00')),
  c.started('hashA', L2, t(9, '12:00:00')),
  c.viewed('hashA', L2, t(9, '12:05:00')), // before L2's completion: not a review
  c.completed('hashA', L2, t(9, '12:30:00')),
  c.replied('hashA', 'AA1', 'QA', t(9, '12:40:00')), // in A's own thread
  c.replied('hashA', 'AA2', 'QB', t(9, '12:45:00')), // in B's thread
  c.completed('hashA', Q2, t(13, '10:00:00')), // after AT: ignored
  // Learner B
  c.started('hashB', L1, t(2, '09:00:00')),
  c.completed('hashB', L1, t(2, '09:20:00')),
  c.started('hashB', Q1, t(2, '09:25:00')),
  c.completed('hashB', Q1, t(2, '09:40:00')),
  c.scored('hashB', Q1, 0.5, t(2, '09:40:00')),
  c.forumVisit('hashB', t(6, '14:00:00')),
  c.posted('hashB', 'QB', t(6, '14:05:00')),
  c.replied('hashB', 'AB1', 'QA', t(6, '14:10:00')),
  c.forumVisit('hashB', t(6, '14:20:00')),
  c.forumVisit('hashB', t(6, '14:25:00')),
  c.forumVisit('hashB', t(6, '14:30:00')),
  c.page('hashB', 'home/welcome', t(7, '20:00:00')),
  c.page('hashB', 'home/welcome', t(7, '20:00:03')), // a 3-second session: dropped
  c.started('hashB', P2, t(10, '08:00:00')), // alone: a 0-second session, dropped
  c.completed('hashB', P2, t(11, '09:00:00')),
  c.scored('hashB', P2, 0.9, t(11, '09:00:00')),
  c.started('hashB', Q2, t(11, '09:10:00')),
  c.completed('hashB', Q2, t(11, '09:30:00')),
  c.scored('hashB', Q2, 1, t(11, '09:30:00')),
  // Learner C: previews an item of module 3 (not open yet at AT), completes after AT
  c.viewed('hashC', L3, t(11, '10:00:00')),
  c.page('hashC', 'home/welcome', t(11, '10:00:30')),
  c.completed('hashC', L1, t(13, '09:00:00')),
];

// The previous cohort C0 (no settings, so no cohortStart): one learner P.
const X1: TestItem = { id: 'X1', module: 1, type: 'lecture' };
const p = courseraStatements('C0');
const PREVIOUS = [
  p.started('hashP', X1, '2025-10-06T10:00:00Z'),
  p.completed('hashP', X1, '2025-10-06T10:30:00Z'),
  p.viewed('hashP', X1, '2025-10-06T11:00:00Z'),
  p.posted('hashP', 'QP', '2025-10-06T11:10:00Z'),
];

/** indicator number → [value, absolute, total]; undefined absolute/total where there is none. */
type Expected = Record<number, [number | null, number?, number?]>;

// Days before a deadline are worked out in minutes (1 day = 1440).
const EXPECTED: Record<string, Expected> = {
  [A]: {
    1: [20, 1, 5], // completed L1 S1 Q1 D1 L2; only L1 viewed after completion: 1/5
    2: [1 / 3], // 0.5·1 question + 0.2·1 own-thread answer + 0.3·1 other answer = 1.0, over max(2 visits, 3 posts, 1) = 3
    3: [80, 4, 5], // S1 started 03-02, completed 03-03; the other 4 the same day
    4: [140], // sessions 03-02 10:00–10:15 (15) + 03-03 08:00–08:10 (10) + 03-04 12:00–12:20 (20) + 03-05 09:00–09:50 (50) + 03-09 12:00–12:45 (45)
    5: [(9480 + 9360) / 2 / 1440], // m1 first start 03-02 10:00 → 03-09: 6d14h = 9480 min; m2 03-09 12:00 → 03-16: 6d12h = 9360
    6: [(9470 + 8160 + 6460 + 5190 + 9330) / 5 / 1440], // L1 6d13h50, S1 5d16h, Q1 4d11h40, D1 3d14h30, L2 6d11h30 → 5.3625 d
    7: [(100 * 5) / 7, 5, 7], // open items L1 S1 D1 Q1 L2 P2 Q2 (L3's module 3 opens 03-16)
    8: [100, 1, 1], // D1
    9: [0, 0, 1], // P2
    10: [100, 1, 1], // S1
    11: [100, 2, 2], // L1 L2
    12: [(100 * 0.8) / 3], // no weights: Q1, Q2, P2 were scored in the cohort, weigh 1 each; A's best Q1 0.8
  },
  [B]: {
    1: [0, 0, 4], // L1 Q1 P2 Q2, none viewed again
    2: [0.2], // 0.5·1 + 0.3·1 = 0.8 over max(4 visits, 2 posts, 1) = 4
    3: [75, 3, 4], // P2 started 03-10, completed 03-11
    4: [100], // 03-02 09:00–09:40 (40) + 03-06 14:00–14:30 (30) + 03-11 09:00–09:30 (30); 3 s and 0 s sessions dropped
    5: [(9540 + 8160) / 2 / 1440], // m1 03-02 09:00 → 6d15h = 9540; m2 03-10 08:00 → 5d16h = 8160
    6: [(9520 + 9500 + 6660 + 6630) / 4 / 1440], // L1 6d14h40, Q1 6d14h20, P2 4d15h, Q2 4d14h30
    7: [(100 * 4) / 7, 4, 7],
    8: [0, 0, 1],
    9: [100, 1, 1],
    10: [0, 0, 1],
    11: [50, 1, 2],
    12: [(100 * (0.5 + 0.9 + 1)) / 3], // 80
  },
  [C]: {
    1: [0, 0, 0], 2: [0], 3: [0, 0, 0], 4: [0.5], 5: [0], 6: [0], // one 30-second session; nothing begun or completed by AT
    7: [0, 0, 7], 8: [0, 0, 1], 9: [0, 0, 1], 10: [0, 0, 1], 11: [0, 0, 2], 12: [0],
  },
};

const byNumber = (indicators: ScaledIndicator[]) => new Map(indicators.map((i) => [i.indicator, i]));
const learnerRow = (r: CourseIndicators, learner: string) => byNumber(r.learners.find((l) => l.learner === learner)!.indicators);

describe.each(DATABASE_KINDS)('Coursera learner indicators on %s', (kind) => {
  let db: TestDatabase;
  let lrs: RunningLrs;
  let service: CourseraIndicatorService;
  beforeEach(async () => {
    db = await freshDatabase(kind);
    lrs = await startEmbeddedLrs(db.database);
    await postStatements(lrs.endpoint, [...STATEMENTS, ...PREVIOUS]);
    service = new CourseraIndicatorService({ database: db.database, statements: new EmbeddedStatementQuery(db.database) });
  });
  afterEach(async () => {
    await lrs.close();
    await db.drop();
  });

  it('computes each of the 12 indicators of every learner as worked out by hand', async () => {
    await putCourseSettings(db.database, COURSE, { cohortStart: '2026-03-02' });
    const r = await service.courseIndicators(COURSE, AT);
    expect(r.statements).toBe(STATEMENTS.length);
    expect(r.learners.map((l) => l.learner)).toEqual([A, B, C].sort());
    for (const [learner, expected] of Object.entries(EXPECTED)) {
      const got = learnerRow(r, learner);
      for (const [n, [value, absolute, total]] of Object.entries(expected)) {
        const i = got.get(Number(n))!;
        expect(i.value, `${learner.slice(0, 6)} indicator ${n}`).toBeCloseTo(value!, 9);
        expect(i.absolute_value, `indicator ${n} absolute`).toBe(absolute);
        expect(i.total, `indicator ${n} total`).toBe(total);
      }
    }
  });

  it('scales by the natural bounds and the current cohort when nothing else is given; 50% reviewed is 5, not 500', async () => {
    await putCourseSettings(db.database, COURSE, { cohortStart: '2026-03-02' });
    const r = await service.courseIndicators(COURSE, AT);
    const a = learnerRow(r, A);
    const b = learnerRow(r, B);
    expect(a.get(1)).toMatchObject({ value: 20, scaled_value: 2, max_used: { value: 100, source: 'bound' } }); // 10·20/100
    expect(b.get(11)).toMatchObject({ value: 50, scaled_value: 5 });
    expect(a.get(5)!.max_used).toEqual({ value: 7, source: 'bound' });
    expect(a.get(5)!.scaled_value).toBeCloseTo((10 * (18840 / 2 / 1440)) / 7, 9);
    // No bound for forum and time: the cohort's best (A: 1/3, 140 min) is 10.
    expect(a.get(2)).toMatchObject({ scaled_value: 10, max_used: { source: 'cohort' } });
    expect(b.get(2)!.scaled_value).toBeCloseTo(6, 9); // 10·0.2/(1/3)
    expect(b.get(4)!.scaled_value).toBeCloseTo(1000 / 140, 9);
    expect(a.get(4)!.max_used).toEqual({ value: 140, source: 'cohort' });
  });

  it('scales by the maxima of the settings, and weighs grades by the settings', async () => {
    await putCourseSettings(db.database, COURSE, { cohortStart: '2026-03-02', maxima: { 1: 50, 2: 0.4, 4: 200 }, gradeWeights: { Q1: 1, Q2: 1, P2: 2 } });
    const r = await service.courseIndicators(COURSE, AT);
    const a = learnerRow(r, A);
    expect(a.get(1)).toMatchObject({ scaled_value: 4, max_used: { value: 50, source: 'settings' } }); // 10·20/50
    expect(a.get(2)!.scaled_value).toBeCloseTo((10 * (1 / 3)) / 0.4, 9);
    expect(a.get(4)!.scaled_value).toBeCloseTo(7, 9); // 10·140/200
    expect(a.get(12)!.value).toBeCloseTo(20, 9); // 100·(1·0.8)/(1+1+2)
    expect(learnerRow(r, B).get(12)!.value).toBeCloseTo(82.5, 9); // 100·(0.5 + 1 + 2·0.9)/4
  });

  it('scales by the previous cohort, falling back to settings and bounds where it says nothing', async () => {
    await putCourseSettings(db.database, COURSE, { cohortStart: '2026-03-02', previousCourseId: 'C0', maxima: { 5: 6 } });
    const r = await service.courseIndicators(COURSE, AT);
    const a = learnerRow(r, A);
    // P reviewed 1/1 (100%), forum 0.5 (one question, max(0 visits, 1 post, 1)), 70 minutes (10:00–11:10).
    expect(a.get(1)).toMatchObject({ scaled_value: 2, max_used: { value: 100, source: 'previous_cohort' } });
    expect(a.get(2)!.scaled_value).toBeCloseTo((10 * (1 / 3)) / 0.5, 9);
    expect(a.get(4)).toMatchObject({ scaled_value: 10, max_used: { value: 70, source: 'previous_cohort' } }); // 140/70 capped at 10
    expect(learnerRow(r, C).get(4)!.scaled_value).toBeCloseTo((10 * 0.5) / 70, 9);
    // C0 has no cohortStart: indicator 5 falls to the settings, 6 to its bound; C0 has no peer items nor grades.
    expect(a.get(5)!.max_used).toEqual({ value: 6, source: 'settings' });
    expect(a.get(6)!.max_used).toEqual({ value: 7, source: 'bound' });
    expect(a.get(9)!.max_used).toEqual({ value: 100, source: 'bound' });
    expect(a.get(12)!.max_used).toEqual({ value: 100, source: 'bound' });
  });

  it('gives null with a reason for early start and timeliness without a cohort start, and counts every item as open', async () => {
    const r = await service.courseIndicators(COURSE, AT);
    const a = learnerRow(r, A);
    for (const n of [5, 6]) expect(a.get(n)).toMatchObject({ value: null, scaled_value: null, reason: expect.stringContaining('cohortStart') });
    expect(a.get(11)).toMatchObject({ absolute_value: 2, total: 3 }); // L3 counts once no module window can exclude it
  });

  it('gives one learner the same indicators from their own statements as from the whole course', async () => {
    await putCourseSettings(db.database, COURSE, { cohortStart: '2026-03-02' });
    const all = await service.courseIndicators(COURSE, AT);
    for (const learner of [A, B, C]) {
      expect(await service.learnerIndicators(COURSE, learner, AT)).toEqual(all.learners.find((l) => l.learner === learner)!.indicators);
    }
    const stranger = byNumber(await service.learnerIndicators(COURSE, learnerOf('nobody'), AT));
    expect(stranger.get(7)).toMatchObject({ value: 0, absolute_value: 0, total: 7, scaled_value: 0 });
    expect(stranger.get(12)).toMatchObject({ value: 0 });
  });
});
