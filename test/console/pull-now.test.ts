import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PullRuns } from '../../src/console/pull-runs.js';
import { loadConfig } from '../../src/config/index.js';
import { futurelearnPullJob } from '../../src/jobs.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { startFakeFutureLearn, type FakeFutureLearn } from '../fakes/futurelearn.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { consoleApp, signedIn } from './console-app.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/futurelearn/uni-x/climate-change/3 - 2026-01-05 - 2026-01-19/', import.meta.url));
const PASSWORD = 'futurelearn-console-password-123';

describe.each(DATABASE_KINDS)('running a pull now from the console on %s', (kind) => {
  let t: TestDatabase;
  let dir: string;
  let fake: FakeFutureLearn;
  let runs: PullRuns;
  let signed: Awaited<ReturnType<typeof signedIn>>;
  let outbox: Outbox;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'console-pull-'));
    const datasets: Record<string, string> = {};
    for (const name of await readdir(FIXTURE)) datasets[name.replace(/\.csv$/, '')] = await readFile(join(FIXTURE, name), 'utf8');
    fake = await startFakeFutureLearn({
      email: 'team@uni-x.example', password: PASSWORD, organisation: 'uni-x',
      courses: [{ slug: 'climate-change', title: 'Climate Change', runs: [{ run: 3, start: '2026-01-05', weeks: 2, status: 'finished', datasets }] }],
    });
    const config = loadConfig({
      PSEUDONYM_SECRET: 'console-pull-pseudonym-secret', FUTURELEARN_URL: fake.baseUrl, FUTURELEARN_EMAIL: 'team@uni-x.example',
      FUTURELEARN_PASSWORD: PASSWORD, FUTURELEARN_ORGANISATION: 'uni-x', FUTURELEARN_DATA_DIR: join(dir, 'datasets'),
    });
    outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    runs = new PullRuns(t.database, [futurelearnPullJob({ config, database: t.database, outbox, logger: pino({ level: 'silent' }) })]);
    signed = await signedIn(consoleApp(t.database, undefined, { console: { pullRuns: runs } }).app);
  });
  afterEach(async () => {
    await fake.close();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('offers the pulls set up, starts one with its button, and shows how it went', async () => {
    const before = await signed.agent.get('/console/pulls').expect(200);
    expect(before.text).toContain('<td>FutureLearn pull</td><td>not started from here</td>');
    expect(before.text).not.toContain('Run the Coursera pull now');
    await signed.agent.post('/console/pulls/run').type('form').send({ csrf: signed.csrf, job: 'futurelearn-pull' }).expect(303).expect('Location', '/console/pulls?started=futurelearn-pull');
    await runs.settled('futurelearn-pull');
    expect((await outbox.status()).counts.pending).toBeGreaterThan(0);
    const after = await signed.agent.get('/console/pulls').expect(200);
    expect(after.text).toMatch(/<td>FutureLearn pull<\/td><td>finished /);
    expect(after.text).toMatch(/<td><a href="\/console\/imports\/\d+">Run \d+<\/a><\/td><td>finished<\/td>/);
    expect(after.text).not.toContain(PASSWORD);
  });

  it('refuses a pull that is not set up, or one already running, and starts nothing', async () => {
    await signed.agent.post('/console/pulls/run').type('form').send({ csrf: signed.csrf, job: 'coursera-pull' }).expect(303).expect('Location', '/console/pulls?busy=coursera-pull');
    await signed.agent.post('/console/pulls/run').type('form').send({ csrf: signed.csrf, job: 'futurelearn-pull' }).expect(303);
    await signed.agent.post('/console/pulls/run').type('form').send({ csrf: signed.csrf, job: 'futurelearn-pull' }).expect(303).expect('Location', '/console/pulls?busy=futurelearn-pull');
    await runs.settled('futurelearn-pull');
    expect((await signed.agent.get('/console/pulls?busy=coursera-pull').expect(200)).text).toContain('That pull is not set up here, or it is running already.');
  });
});
