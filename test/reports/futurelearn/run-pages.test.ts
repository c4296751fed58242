/**
 * The dashboard's sections of who the learners are and what they did over time, the
 * index of runs and the comparison of runs, over HTTP, from the realistic datasets of
 * test/fixtures/futurelearn (runs 1 and 3 of climate-change) imported by the real
 * pipeline and delivered to the embedded LRS.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listImportedRuns } from '../../../src/ingest/futurelearn/run-list.js';
import { LrsClient } from '../../../src/lrs/client.js';
import { DeliveryStats } from '../../../src/lrs/delivery-stats.js';
import { Flusher } from '../../../src/lrs/flusher.js';
import { Outbox } from '../../../src/lrs/outbox.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { importFutureLearnRun } from '../../../src/pipelines/futurelearn.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../../support/embedded-lrs.js';

const ROOT = fileURLToPath(new URL('../../fixtures/futurelearn/uni-x', import.meta.url));
const TOKEN = 'fl-admin-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
const silent = pino({ level: 'silent' });

/** `data-value` of every element of `attr="value"` pairs given, in page order. */
const valuesOf = (html: string, tag: string, attrs: Record<string, string>): number[] => {
  const found: number[] = [];
  for (const m of html.matchAll(new RegExp(`<${tag} [^>]*>`, 'g'))) {
    const el = m[0];
    if (Object.entries(attrs).every(([k, v]) => el.includes(` ${k}="${v}"`))) found.push(Number(/ data-value="([^"]*)"/.exec(el)?.[1]));
  }
  return found;
};

describe.each(DATABASE_KINDS)('FutureLearn run sections, index and comparison on %s', (kind) => {
  let db: TestDatabase;
  let lrs: RunningLrs;
  beforeEach(async () => {
    db = await freshDatabase(kind);
    lrs = await startEmbeddedLrs(db.database, { adminToken: TOKEN, futurelearnReports: { statements: new EmbeddedStatementQuery(db.database) } });
    const outbox = new Outbox(db.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    const { summary } = await importFutureLearnRun({ database: db.database, outbox, secret: 'run-pages-pseudonym-secret', path: ROOT });
    expect(summary.rejected).toBe(0);
    const client = new LrsClient({ endpoint: lrs.endpoint, ...LRS_USER, timeoutMs: 10_000 });
    await new Flusher({ outbox, client, stats: new DeliveryStats(), logger: silent, batchSize: 100, leaseSeconds: 30 }).flushUntilIdle();
  });
  afterEach(async () => {
    await lrs.close();
    await db.drop();
  });

  it('records each imported run with the days of its folder and the learners of its enrolments file', async () => {
    const runs = await listImportedRuns(db.database);
    expect(runs.map(({ importedAt: _at, ...r }) => r)).toEqual([
      { course: 'climate-change', run: '1', startDate: '2016-09-05', endDate: '2016-10-03', learners: 2 },
      { course: 'climate-change', run: '3', startDate: '2026-01-05', endDate: '2026-01-19', learners: 4 },
    ]);
  });

  it('keeps the days and learners a later import does not read again', async () => {
    // A file kept outside the layout: its name gives the run, but no days and no enrolments.
    const loose = await mkdtemp(join(tmpdir(), 'fl-loose-'));
    try {
      await copyFile(join(ROOT, 'climate-change', '3 - 2026-01-05 - 2026-01-19', 'comments.csv'), join(loose, 'climate-change-3_comments.csv'));
      const outbox = new Outbox(db.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
      await importFutureLearnRun({ database: db.database, outbox, secret: 'run-pages-pseudonym-secret', path: loose });
    } finally {
      await rm(loose, { recursive: true, force: true });
    }
    expect((await listImportedRuns(db.database)).find((r) => r.run === '3')).toMatchObject({ startDate: '2026-01-05', endDate: '2026-01-19', learners: 4 });
  });

  it('counts the joiners\' demographics per answer, Unknown as an answer, and those who gave none', async () => {
    const res = await request(lrs.origin).get('/reports/futurelearn/climate-change/3.json').set(auth);
    const byField: Record<string, { answers: { value: string }[] }> = Object.fromEntries((res.body.demographics as { field: string; answers: { value: string }[] }[]).map((t) => [t.field, t]));
    // Joiners a b c d; d's row has no demographics, the educator's never counts.
    expect(byField.gender).toEqual({
      field: 'gender', label: 'Gender', inData: true, answered: 3, notAnswered: 1,
      answers: [{ value: 'Unknown', learners: 1, percent: 33.3 }, { value: 'female', learners: 1, percent: 33.3 }, { value: 'male', learners: 1, percent: 33.3 }],
    });
    expect(byField.employment_area!.answers).toEqual([{ value: 'Unknown', learners: 2, percent: 66.7 }, { value: 'teaching_and_education', learners: 1, percent: 33.3 }]);
    expect(byField.age_range!.answers.map((a) => a.value)).toEqual(['26-35', '36-45', 'Unknown']);
    const page = (await request(lrs.origin).get('/reports/futurelearn/climate-change/3').set(auth)).text;
    expect(page).toContain('<table data-demographic="gender" data-answered="3" data-not-answered="1">');
    expect(valuesOf(page, 'rect', { 'data-group': 'Unknown', 'data-metric': 'learners' })).toEqual([1, 1, 1, 1, 1, 2]);
  });

  it('says a question is not in the data when no joiner answered it, instead of drawing zeros', async () => {
    // Run 1's enrolments have no demographic columns: only a, who answered in run 3, has answers.
    const res = await request(lrs.origin).get('/reports/futurelearn/climate-change/1.json').set(auth);
    expect(res.body.demographics.find((t: { field: string }) => t.field === 'gender')).toMatchObject({ inData: true, answered: 1, notAnswered: 1 });
    await db.database.query("UPDATE learner_profiles SET employment_area = NULL WHERE platform = 'futurelearn'");
    const page = (await request(lrs.origin).get('/reports/futurelearn/climate-change/3').set(auth)).text;
    expect(page).toContain('<p class="empty" data-demographic="employment_area">Not in the imported data');
    expect(page).not.toContain('data-chart="demographics-employment_area"');
  });

  it('gives sign-ups, unenrolments and full participation per day, every day from the first to the last', async () => {
    const { body } = await request(lrs.origin).get('/reports/futurelearn/climate-change/3.json').set(auth);
    expect(body.signups.hasUnenrolments).toBe(true);
    expect(body.signups.days).toHaveLength(17);
    const day = (d: string) => body.signups.days.find((x: { day: string }) => x.day === d);
    expect(body.signups.days.slice(0, 4).map((d: { joined: number }) => d.joined)).toEqual([1, 1, 1, 1]);
    expect(day('2026-01-10')).toEqual({ day: '2026-01-10', joined: 0, unenrolled: 1, fullyParticipated: 0 });
    expect(day('2026-01-18')).toEqual({ day: '2026-01-18', joined: 0, unenrolled: 0, fullyParticipated: 1 });
    const page = (await request(lrs.origin).get('/reports/futurelearn/climate-change/3').set(auth)).text;
    expect(valuesOf(page, 'circle', { 'data-label': '2026-01-03', 'data-metric': 'joined' })).toEqual([1]);
    expect(valuesOf(page, 'circle', { 'data-label': '2026-01-10', 'data-metric': 'unenrolled' })).toEqual([1]);
    expect(valuesOf(page, 'circle', { 'data-metric': 'fully_participated' }).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('maps first visits per step and day', async () => {
    const { body } = await request(lrs.origin).get('/reports/futurelearn/climate-change/3.json').set(auth);
    expect(body.stepHeatmap.unit).toBe('day');
    expect(body.stepHeatmap.columns).toEqual(['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11', '2026-01-12', '2026-01-13']);
    expect(body.stepHeatmap.steps).toEqual([
      { week: 1, step: 1, learners: [1, 1, 1, 1, 0, 0, 0, 0, 0] }, // a b c d on four days
      { week: 1, step: 2, learners: [1, 1, 0, 0, 0, 0, 0, 0, 0] }, // a, b
      { week: 1, step: 3, learners: [1, 0, 1, 0, 0, 0, 0, 0, 0] }, // a, c
      { week: 2, step: 1, learners: [0, 0, 0, 0, 0, 0, 0, 1, 0] },
      { week: 2, step: 2, learners: [0, 0, 0, 0, 0, 0, 0, 1, 0] },
      { week: 2, step: 3, learners: [0, 0, 0, 0, 0, 0, 0, 1, 1] }, // a, then c the next day
    ]);
    const page = (await request(lrs.origin).get('/reports/futurelearn/climate-change/3').set(auth)).text;
    expect(valuesOf(page, 'rect', { 'data-row': 'Step 2.3', 'data-column': '2026-01-13' })).toEqual([1]);
    expect(valuesOf(page, 'rect', { 'data-row': 'Step 1.2', 'data-column': '2026-01-07' })).toEqual([0]);
  });

  it('counts comments and replies per course week and per calendar week', async () => {
    const { body } = await request(lrs.origin).get('/reports/futurelearn/climate-change/3.json').set(auth);
    // 1001 on 1.2 (Mon 5 Jan) with replies 1002 and 1003 (7 Jan, one by the educator); 1004 on 2.2 (12 Jan).
    expect(body.commentWeeks).toEqual({
      courseWeeks: [{ week: 1, comments: 1, replies: 2 }, { week: 2, comments: 1, replies: 0 }],
      calendarWeeks: [{ weekOf: '2026-01-05', comments: 1, replies: 2 }, { weekOf: '2026-01-12', comments: 1, replies: 0 }],
    });
    const page = (await request(lrs.origin).get('/reports/futurelearn/climate-change/3').set(auth)).text;
    expect(valuesOf(page, 'rect', { 'data-group': 'Week of 2026-01-05', 'data-metric': 'replies' })).toEqual([2]);
  });

  it('lists every course and run imported, linking to each dashboard and to the comparison', async () => {
    const json = await request(lrs.origin).get('/reports/futurelearn/courses.json').set(auth);
    expect(json.status).toBe(200);
    expect(json.body.courses).toHaveLength(1);
    expect(json.body.courses[0]).toMatchObject({ course: 'climate-change', compare: '/reports/futurelearn/climate-change/compare' });
    expect(json.body.courses[0].runs.map((r: { run: string; dashboard: string; learners: number }) => [r.run, r.dashboard, r.learners])).toEqual([
      ['1', '/reports/futurelearn/climate-change/1', 2],
      ['3', '/reports/futurelearn/climate-change/3', 4],
    ]);
    const page = await request(lrs.origin).get('/reports/futurelearn/courses').set(auth);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(page.text).toContain('<a href="/reports/futurelearn/climate-change/3">Run 3</a>');
    expect(page.text).toContain('<a href="/reports/futurelearn/climate-change/compare">');
    expect(page.text).toMatch(/<tr data-course="climate-change" data-run="1"><td>.*<\/td><td>2016-09-05<\/td><td>2016-10-03<\/td><td class="n">2<\/td>/);
  });

  it('compares the runs of a course side by side', async () => {
    const { body } = await request(lrs.origin).get('/reports/futurelearn/climate-change/compare.json').set(auth);
    const [one, three] = body.runs;
    expect(one).toMatchObject({ run: '1', joiners: 2, learners: 2, activeLearners: 1, fullyParticipating: 1, leavers: 1, comments: 1, replies: 1, quizResponses: 1, quizCorrect: 1, quizPercentCorrect: 100 });
    expect(three).toMatchObject({ run: '3', joiners: 4, learners: 4, activeLearners: 3, fullyParticipating: 1, leavers: 1, comments: 2, replies: 2, quizResponses: 5, quizCorrect: 3, quizPercentCorrect: 60 });
    expect(three.weekFunnel).toEqual([
      { week: 1, visited: 4, completed: 3, visitedPercent: 100, completedPercent: 75 },
      { week: 2, visited: 2, completed: 2, visitedPercent: 50, completedPercent: 50 },
    ]);
    const page = (await request(lrs.origin).get('/reports/futurelearn/climate-change/compare').set(auth)).text;
    expect(page).toMatch(/<tr data-figure="joiners"><th scope="row">Joiners<\/th><td class="n" data-run="1">2<\/td><td class="n" data-run="3">4<\/td><\/tr>/);
    expect(valuesOf(page, 'rect', { 'data-group': 'Week 2', 'data-metric': 'run-3' })).toEqual([50]);
    // Run 1 has one week: no bar of 0 for its week 2.
    expect(valuesOf(page, 'rect', { 'data-group': 'Week 2', 'data-metric': 'run-1' })).toEqual([]);
    expect(valuesOf(page, 'rect', { 'data-group': 'Week 1', 'data-metric': 'run-1' })).toEqual([100]);
    const csv = await request(lrs.origin).get('/reports/futurelearn/climate-change/compare.csv?runs=3,1').set(auth);
    expect(csv.type).toBe('text/csv');
    expect(csv.text.split('\r\n').slice(0, 3)).toEqual([
      'run,joiners,learners,active_learners,fully_participating_learners,leavers,comments,replies,quiz_percent_correct,week_1_visited_percent,week_2_visited_percent',
      '3,4,4,3,1,1,2,2,60,100,50',
      '1,2,2,1,1,1,1,1,100,100,',
    ]);
  });

  it('limits the runs of a comparison and refuses what is not a run list, naming the parameter', async () => {
    const ask = (q: string) => request(lrs.origin).get(`/reports/futurelearn/climate-change/compare.json?${q}`).set(auth);
    for (const q of ['runs=1,2,3,4,5,6,7,8,9', 'runs=1,1', 'runs=1,', 'runs=1/2', 'runs=1&runs=3']) {
      const res = await ask(q);
      expect(res.status, q).toBe(400);
      expect(res.body.detail, q).toMatch(/^runs: /);
    }
    expect((await request(lrs.origin).get('/reports/futurelearn/no-such-course/compare').set(auth)).status).toBe(404);
    expect((await request(lrs.origin).get('/reports/futurelearn/courses')).status).toBe(401);
    expect((await request(lrs.origin).get('/reports/futurelearn/climate-change/compare.csv')).status).toBe(401);
  });
});
