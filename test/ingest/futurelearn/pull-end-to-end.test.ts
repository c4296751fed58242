import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullFutureLearn } from '../../../src/pipelines/futurelearn-pull.js';
import { loadConfig } from '../../../src/config/index.js';
import { LrsClient } from '../../../src/lrs/client.js';
import { DeliveryStats } from '../../../src/lrs/delivery-stats.js';
import { Flusher } from '../../../src/lrs/flusher.js';
import { Outbox } from '../../../src/lrs/outbox.js';
import { futurelearnRunTables } from '../../../src/ingest/futurelearn/side-tables.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { runFutureLearnReports } from '../../../src/reports/futurelearn/run-stats.js';
import { startFakeFutureLearn, type FakeFutureLearn } from '../../fakes/futurelearn.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { LRS_USER, startEmbeddedLrs } from '../../support/embedded-lrs.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/futurelearn/uni-x/climate-change/3 - 2026-01-05 - 2026-01-19/', import.meta.url));
const ACCOUNT = { email: 'facilitator@uni-x.example', password: 'correct horse battery staple' };
const silent = pino({ level: 'silent' });

describe.each(DATABASE_KINDS)('the scheduled FutureLearn pull, end to end, on %s', (kind) => {
  let t: TestDatabase;
  let dir: string;
  let fake: FakeFutureLearn;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'futurelearn-e2e-'));
    // The hand-built run of test/fixtures, served as the admin site serves it.
    const datasets: Record<string, string> = {};
    for (const name of await readdir(FIXTURE)) datasets[name.replace(/\.csv$/, '')] = await readFile(join(FIXTURE, name), 'utf8');
    fake = await startFakeFutureLearn({
      ...ACCOUNT,
      organisation: 'uni-x',
      courses: [{ slug: 'climate-change', title: 'Climate Change', runs: [{ run: 3, start: '2026-01-05', weeks: 2, status: 'finished', datasets }] }],
    });
  });
  afterEach(async () => {
    await fake.close();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('scrapes the datasets into the layout, imports and delivers them; the run reports come from the delivered statements', async () => {
    const config = loadConfig({
      FUTURELEARN_URL: fake.baseUrl, FUTURELEARN_EMAIL: ACCOUNT.email, FUTURELEARN_PASSWORD: ACCOUNT.password,
      FUTURELEARN_ORGANISATION: 'uni-x', FUTURELEARN_DATA_DIR: dir, PSEUDONYM_SECRET: 'futurelearn-e2e-pseudonym-secret',
    });
    const outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    const pull = await pullFutureLearn({ config, database: t.database, outbox, logger: silent });
    expect(pull).toMatchObject({ complete: true, errors: [], downloaded: 11 });
    const folder = join(dir, 'uni-x', 'climate-change', '3 - 2026-01-05 - 2026-01-18');
    expect(pull.changedRuns).toEqual([folder]);
    expect((await readdir(folder)).sort()).toEqual([...(await readdir(FIXTURE)), 'metadata.csv'].sort());
    expect(await readFile(join(dir, 'uni-x', 'update.txt'), 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(pull.imported).toHaveLength(1);
    const { summary } = pull.imported[0]!;
    expect(summary).toMatchObject({ rejected: 0 });
    // metadata.csv describes the run: the import reads no row of it.
    expect(summary.byType).not.toHaveProperty('metadata');

    // The next day's pull finds nothing changed and imports nothing.
    const again = await pullFutureLearn({ config, database: t.database, outbox, logger: silent });
    expect(again).toMatchObject({ downloaded: 0, unchanged: 11, changedRuns: [], imported: [] });

    const lrs = await startEmbeddedLrs(t.database);
    try {
      const client = new LrsClient({ endpoint: lrs.endpoint, ...LRS_USER, timeoutMs: 10_000 });
      const flushed = await new Flusher({ outbox, client, stats: new DeliveryStats(), logger: silent, batchSize: 100, leaseSeconds: 30 }).flushUntilIdle();
      expect(flushed.sent).toBe(summary.statements);
    } finally {
      await lrs.close();
    }

    const reports = await runFutureLearnReports(new EmbeddedStatementQuery(t.database), futurelearnRunTables(t.database), { course: 'climate-change', run: '3' });
    const overview = Object.fromEntries(reports.overview.map((f) => [f.figure, f.learners]));
    // Joiners a, b, c, d (the educator is none); b unenrolled and answered the leaving survey;
    // a and c completed steps in both weeks; a, b and c commented; a completed all six steps.
    expect(overview).toEqual({
      joiners: 4, leavers: 1, learners: 4, active_learners: 3, returning_learners: 2, social_learners: 3,
      fully_participating_learners: 1, completed_50_percent: 2, completed_90_percent: 1, statements_bought: 1,
    });
    // Step 1.1: all four joiners visited it, a, b and c completed it.
    expect(reports.stepFunnel.find((s) => s.week === 1 && s.step === 1)).toMatchObject({ visited: 4, completed: 3 });
    // Question 1.3.1: a right, c wrong.
    expect(reports.quiz.find((q) => q.week === 1 && q.step === 3 && q.question === 1)).toMatchObject({ responses: 2, correct: 1, learnersCorrectFirst: 1 });
    // The video stats came in beside the statements.
    expect(reports.videos.map((v) => v.title)).toEqual(['Welcome to the course', 'What is a carbon budget?']);
  });
});
