import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { futurelearnRunTables } from '../../../src/ingest/futurelearn/side-tables.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { StatementStore } from '../../../src/lrs/server/statement-store.js';
import { writeFutureLearnReports } from '../../../src/reports/futurelearn/csv.js';
import { runFutureLearnReports } from '../../../src/reports/futurelearn/run-stats.js';
import { futurelearnIri } from '../../../src/translators/futurelearn/iris.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { tickingClock } from '../../support/clock.js';
import { startEmbeddedLrs, type RunningLrs } from '../../support/embedded-lrs.js';
import { seedTestRun, TEST_RUN, TEST_RUN_LATER_EXPORT, TEST_RUN_NAME, TEST_RUN_STATEMENTS } from '../../support/futurelearn-statements.js';

// The run (test/support/futurelearn-statements.ts) has 6 steps: 1.1 1.2 1.3 2.1 2.2 2.3,
// and 5 joiners A B C D E; X is an educator with no enrolment.
//   A: visits and completes all 6 steps (weeks 1 and 2), posts c1 on 1.1, fully participates, buys.
//   B: visits 1.1 1.2 1.3 2.1, completes 1.1 1.2 1.3 (3 of 6), replies c5 to c1, buys.
//   C: visits 1.1 1.2, completes 1.1, unregisters.
//   D: nothing but the leaving survey.
//   E: visits and completes 1.1 and 2.1 (weeks 1 and 2), posts c2 and c3 on 2.1.
const OVERVIEW = {
  joiners: [5, 100], // A B C D E
  leavers: [2, 40], // C unregistered, D left
  learners: [4, 80], // A B C E visited a step; D did not
  active_learners: [4, 80], // A B C E completed a step
  returning_learners: [2, 40], // A and E completed steps in weeks 1 and 2; B and C in week 1 only
  social_learners: [3, 60], // A posted, B replied, E posted; X commented but is no joiner
  fully_participating_learners: [1, 20], // A
  completed_50_percent: [2, 40], // 2·completed ≥ 6: A (6), B (3); C (1), E (2) not
  completed_90_percent: [1, 20], // 10·completed ≥ 54: A (6) only
  statements_bought: [2, 40], // A, B
};

// Percentages of the 4 learners (A B C E).
const FUNNEL = [
  { week: 1, step: 1, visited: 4, completed: 4, visitedPercent: 100, completedPercent: 100 }, // A B C E / A B C E
  { week: 1, step: 2, visited: 3, completed: 2, visitedPercent: 75, completedPercent: 50 }, // A B C / A B
  { week: 1, step: 3, visited: 2, completed: 2, visitedPercent: 50, completedPercent: 50 }, // A B / A B
  { week: 2, step: 1, visited: 3, completed: 2, visitedPercent: 75, completedPercent: 50 }, // A B E / A E
  { week: 2, step: 2, visited: 1, completed: 1, visitedPercent: 25, completedPercent: 25 }, // A / A
  { week: 2, step: 3, visited: 1, completed: 1, visitedPercent: 25, completedPercent: 25 }, // A / A
];

const COMMENTS = [
  // c1 by A (3 likes, then 5 in the later export: 5 counts) and reply c5 by B (1 like): 6 likes.
  { week: 1, step: 1, comments: 1, replies: 1, likes: 6, commenters: 2 },
  // c2 (2 likes) and c3 (0) by E, reply c4 by educator X (1 like): 3 likes, 2 commenters.
  { week: 2, step: 1, comments: 2, replies: 1, likes: 3, commenters: 2 },
];

const QUIZ = [
  // A wrong 10:21, wrong 10:22, right 10:23; B right; E wrong: 2 of 5, 3 learners, only B right first.
  { week: 1, step: 3, question: 1, responses: 5, correct: 2, percentCorrect: 40, learners: 3, learnersCorrectFirst: 1, leftOut: 0 },
  // A right; E wrong then right: 2 of 3 = 66.7%, 2 learners, A right first.
  { week: 1, step: 3, question: 2, responses: 3, correct: 2, percentCorrect: 66.7, learners: 2, learnersCorrectFirst: 1, leftOut: 0 },
  // A wrong.
  { week: 2, step: 2, question: 1, responses: 1, correct: 0, percentCorrect: 0, learners: 1, learnersCorrectFirst: 0, leftOut: 0 },
];

describe.each(DATABASE_KINDS)('FutureLearn run reports on %s', (kind) => {
  let db: TestDatabase;
  let lrs: RunningLrs;
  let query: EmbeddedStatementQuery;
  let out: string | undefined;
  // The LRS stamps `stored` on this clock: the later export is stored later without a wait.
  const clock = tickingClock();
  beforeEach(async () => {
    db = await freshDatabase(kind);
    lrs = await startEmbeddedLrs(db.database, { statementStore: new StatementStore(db.database, clock.now) });
    await seedTestRun(db.database, lrs.endpoint, clock);
    query = new EmbeddedStatementQuery(db.database);
  });
  afterEach(async () => {
    await lrs.close();
    await db.drop();
    if (out !== undefined) await rm(out, { recursive: true, force: true });
    out = undefined;
  });

  it('reads the run\'s statements only, and names the run as its statements do', async () => {
    const r = await runFutureLearnReports(query, futurelearnRunTables(db.database), TEST_RUN);
    expect(r.statements).toBe(TEST_RUN_STATEMENTS.length + TEST_RUN_LATER_EXPORT.length);
    expect(r.runIri).toBe(futurelearnIri.run(TEST_RUN));
    expect(r.title).toBe(TEST_RUN_NAME);
    expect(r.steps).toBe(6);
  });

  it('computes every overview figure, as a share of the joiners, as worked out by hand', async () => {
    const r = await runFutureLearnReports(query, futurelearnRunTables(db.database), TEST_RUN);
    expect(Object.fromEntries(r.overview.map((f) => [f.figure, [f.learners, f.percentOfJoiners]]))).toEqual(OVERVIEW);
    expect(r.overview.map((f) => f.figure)).toEqual(Object.keys(OVERVIEW));
  });

  it('gives the step funnel in week and step order, with shares of the learners', async () => {
    const r = await runFutureLearnReports(query, futurelearnRunTables(db.database), TEST_RUN);
    expect(r.stepFunnel).toEqual(FUNNEL);
  });

  it('counts comments, replies, the latest likes of each comment and distinct commenters per step', async () => {
    const r = await runFutureLearnReports(query, futurelearnRunTables(db.database), TEST_RUN);
    expect(r.comments).toEqual(COMMENTS);
  });

  it('counts quiz responses per question, and who was right on their first response by submission time', async () => {
    const r = await runFutureLearnReports(query, futurelearnRunTables(db.database), TEST_RUN);
    expect(r.quiz).toEqual(QUIZ);
  });

  it('lists the run\'s video figures from futurelearn_video_stats in numeric step order', async () => {
    const r = await runFutureLearnReports(query, futurelearnRunTables(db.database), TEST_RUN);
    expect(r.videos.map((v) => [v.stepPosition, v.title, v.durationSeconds, v.totalViews])).toEqual([
      ['1.2', 'Welcome', 125, 12],
      ['1.10', 'Extra', 45, 3],
      ['2.1', 'Week 2 <b>recap</b>', 300, 7],
    ]);
    expect(r.videos[0]!.stats).toEqual({ step_position: '1.2', total_views: '12' });
  });

  it('gives empty reports for a run with no statements', async () => {
    const r = await runFutureLearnReports(query, futurelearnRunTables(db.database), { course: TEST_RUN.course, run: '9' });
    expect(r).toMatchObject({ statements: 0, steps: 0, title: TEST_RUN.course, stepFunnel: [], comments: [], quiz: [], videos: [] });
    expect(r.overview.every((f) => f.learners === 0 && f.percentOfJoiners === null)).toBe(true);
  });

  it('writes every report as a CSV file, and a README of their columns', async () => {
    out = await mkdtemp(join(tmpdir(), 'fl-reports-'));
    const { files, statements } = await writeFutureLearnReports(query, futurelearnRunTables(db.database), TEST_RUN, out);
    expect(statements).toBe(TEST_RUN_STATEMENTS.length + TEST_RUN_LATER_EXPORT.length);
    expect(files.map((f) => f.slice(out!.length + 1))).toEqual([
      'overview.csv', 'step_funnel.csv', 'comment_activity.csv', 'quiz_results.csv', 'video_stats.csv',
      'demographics.csv', 'signups_per_day.csv', 'step_first_visits.csv', 'comments_per_course_week.csv', 'comments_per_calendar_week.csv', 'README.txt',
    ]);
    const csv = async (name: string) => parse(await readFile(join(out!, name), 'utf8'), { columns: true }) as Record<string, string>[];
    const overview = await csv('overview.csv');
    expect(overview.map((r) => [r.figure, Number(r.learners), Number(r.percent_of_joiners)])).toEqual(Object.entries(OVERVIEW).map(([k, [n, p]]) => [k, n, p]));
    expect((await csv('step_funnel.csv'))[1]).toEqual({ week: '1', step: '2', visited: '3', completed: '2', visited_percent: '75', completed_percent: '50' });
    expect((await csv('comment_activity.csv'))[0]).toEqual({ week: '1', step: '1', comments: '1', replies: '1', likes: '6', commenters: '2' });
    expect((await csv('quiz_results.csv'))[1]).toMatchObject({ question: '2', percent_correct: '66.7', learners_correct_first: '1' });
    expect((await csv('video_stats.csv')).map((r) => r.title)).toEqual(['Welcome', 'Extra', 'Week 2 <b>recap</b>']);
    // One column per figure, no JSON: the stored `stats` are spread out.
    const videos = await csv('video_stats.csv');
    expect(Object.keys(videos[0]!)).not.toContain('stats');
    expect(videos[0]).toMatchObject({ step_position: '1.2', total_views: '12', total_downloads: '' });
    // The hand-built run: C unenrolled on 5 March, A fully participated on 9 March; nobody has demographics.
    expect((await csv('signups_per_day.csv')).filter((r) => r.joined !== '0' || r.unenrolled !== '0' || r.fully_participated !== '0')).toEqual([
      { day: '2026-03-01', joined: '5', unenrolled: '0', fully_participated: '0' },
      { day: '2026-03-05', joined: '0', unenrolled: '1', fully_participated: '0' },
      { day: '2026-03-09', joined: '0', unenrolled: '0', fully_participated: '1' },
    ]);
    expect(await csv('demographics.csv')).toEqual([]);
    // 1.1 first visited by A and E on 2 March, B on the 3rd, C on the 4th.
    expect((await csv('step_first_visits.csv')).filter((r) => r.week === '1' && r.step === '1').map((r) => [r.day, r.learners])).toEqual([['2026-03-02', '2'], ['2026-03-03', '1'], ['2026-03-04', '1']]);
    expect(await csv('comments_per_course_week.csv')).toEqual([{ week: '1', comments: '1', replies: '1' }, { week: '2', comments: '2', replies: '1' }]);
    expect(await csv('comments_per_calendar_week.csv')).toEqual([{ week_of: '2026-03-02', comments: '1', replies: '1' }, { week_of: '2026-03-09', comments: '2', replies: '1' }]);
    const readme = await readFile(join(out, 'README.txt'), 'utf8');
    for (const column of ['percent_of_joiners', 'completed_percent', 'commenters', 'learners_correct_first', 'video_duration_seconds']) expect(readme).toContain(`  ${column}: `);
  });
});
