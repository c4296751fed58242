import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../src/config/index.js';
import { openDatabase, type Database } from '../src/db/connection.js';
import { edxS3SyncJobs, pullJobs, weeklyChoiceJob } from '../src/jobs.js';
import { partLines } from '../src/config/index.js';
import { Outbox } from '../src/lrs/outbox.js';
import { startScheduler, type Job, type Scheduler } from '../src/scheduler.js';
import { fakeTimersAt } from './support/clock.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases.js';
import { ADVISORY_LOCKS } from '../src/db/advisory-locks.js';

/** A logger whose lines the test reads, and can wait for by message. */
function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[]; next(msg: string): Promise<Record<string, unknown>> } {
  const lines: Record<string, unknown>[] = [];
  const waiting: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  const logger = pino({ level: 'debug' }, {
    write(text: string) {
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      for (const w of waiting.filter((w) => w.msg === line.msg)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    },
  });
  return { logger, lines, next: (msg) => new Promise((resolve) => waiting.push({ msg, resolve })) };
}

/** A promise the test settles by hand: a job in flight until the test says. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const EVERY_10_SECONDS = '*/10 * * * * *';
// A Monday at 10:00:00 UTC: the first 10-second slot after it is 10:00:10.
const START = new Date('2026-01-05T10:00:00.000Z');

const fakeClock = () => fakeTimersAt(START);

describe('startScheduler', () => {
  let t: TestDatabase;
  let scheduler: Scheduler | undefined;
  let log: ReturnType<typeof recordingLogger>;
  beforeEach(async () => {
    t = await freshDatabase('pglite');
    log = recordingLogger();
    fakeClock();
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    vi.useRealTimers();
    await t.drop();
  });

  it('runs a job on each slot of its cron', async () => {
    const runs: string[] = [];
    scheduler = startScheduler([{ name: 'tick', cron: EVERY_10_SECONDS, run: async () => runs.push(new Date().toISOString()) }], t.database, log.logger);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(31_000);
    expect(runs).toEqual(['2026-01-05T10:00:10.000Z', '2026-01-05T10:00:20.000Z', '2026-01-05T10:00:30.000Z', '2026-01-05T10:00:40.000Z']);
  });

  it('never overlaps a job with itself: slots that come while it runs are skipped', async () => {
    const held = gate();
    let runs = 0;
    let inFlight = 0;
    let most = 0;
    const run = async () => {
      runs += 1;
      inFlight += 1;
      most = Math.max(most, inFlight);
      if (runs === 1) await held.promise;
      inFlight -= 1;
    };
    scheduler = startScheduler([{ name: 'slow', cron: EVERY_10_SECONDS, run }], t.database, log.logger);
    await vi.advanceTimersByTimeAsync(40_000);
    expect(runs).toBe(1);
    held.open();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(2);
    expect(most).toBe(1);
  });

  it('logs a failing job with its name and error, and runs it again on the next slot', async () => {
    let runs = 0;
    const run = async () => {
      runs += 1;
      if (runs === 1) throw new Error('the platform answered 503');
    };
    scheduler = startScheduler([{ name: 'flaky', cron: EVERY_10_SECONDS, run }], t.database, log.logger);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log.lines.filter((l) => l.msg === 'scheduled job failed')).toEqual([
      expect.objectContaining({ level: 50, job: 'flaky', err: expect.objectContaining({ name: 'Error', message: 'the platform answered 503' }) }),
    ]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(2);
    expect(log.lines.filter((l) => l.msg === 'scheduled job failed')).toHaveLength(1);
  });

  it('runs every job on its own cron', async () => {
    const runs: string[] = [];
    const jobs: Job[] = [
      { name: 'often', cron: EVERY_10_SECONDS, run: async () => runs.push('often') },
      { name: 'minutely', cron: '0 * * * * *', run: async () => runs.push('minutely') },
    ];
    scheduler = startScheduler(jobs, t.database, log.logger);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs.filter((r) => r === 'often')).toHaveLength(6);
    expect(runs.filter((r) => r === 'minutely')).toHaveLength(1);
  });

  it('stops firing after stop()', async () => {
    let runs = 0;
    scheduler = startScheduler([{ name: 'tick', cron: EVERY_10_SECONDS, run: async () => void (runs += 1) }], t.database, log.logger);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(runs).toBe(2);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runs).toBe(2);
  });
});

describe.each(DATABASE_KINDS)('a job with a lock key on %s', (kind) => {
  let t: TestDatabase;
  let second: Database | undefined;
  let schedulers: Scheduler[];
  let log: ReturnType<typeof recordingLogger>;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    schedulers = [];
    log = recordingLogger();
  });
  afterEach(async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    vi.useRealTimers();
    await second?.close();
    second = undefined;
    await t.drop();
  });

  it.runIf(kind === 'pglite')('runs in its single process (PGlite serves one process: no lock to take)', async () => {
    fakeClock();
    let runs = 0;
    schedulers.push(startScheduler([{ name: 'pull', cron: EVERY_10_SECONDS, lockKey: 4242, run: async () => void (runs += 1) }], t.database, log.logger));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(runs).toBe(2);
  });

  // Skipped on PGlite: its advisory lock is a no-op by design (DESIGN.md invariant 6, one process).
  it.runIf(kind === 'postgres')('runs on one instance only: the second skips while the first holds the advisory lock', async () => {
    second = await openDatabase({ url: t.url! });
    const held = gate();
    const runs: string[] = [];
    let firstRun = () => {};
    let nextRun = () => {};
    const job = (instance: string): Job => ({
      name: 'pull',
      cron: EVERY_10_SECONDS,
      lockKey: 4242,
      run: async () => {
        runs.push(instance);
        if (runs.length === 1) {
          firstRun();
          await held.promise;
        } else nextRun();
      },
    });
    fakeClock();
    const ranFirst = new Promise<void>((resolve) => (firstRun = resolve));
    schedulers.push(startScheduler([job('a')], t.database, log.logger), startScheduler([job('b')], second, log.logger));
    const skipped = log.next('another instance runs this job');
    await vi.advanceTimersByTimeAsync(10_000);
    // The refusal can reach this process before the holder's own grant does: wait for both.
    expect(await skipped).toMatchObject({ level: 20, job: 'pull' });
    await ranFirst;
    expect(runs).toHaveLength(1);

    // Once the holder finished and let the lock go (the test takes it in turn, waiting on
    // PostgreSQL rather than on a clock), the next slot runs the job again.
    held.open();
    await t.database.withAdvisoryLock(4242, async () => undefined);
    const ran = new Promise<void>((resolve) => (nextRun = resolve));
    await vi.advanceTimersByTimeAsync(10_000);
    await ran;
    expect(runs.length).toBeGreaterThanOrEqual(2);
  });
});

describe('scheduled jobs of the server', () => {
  // The jobs are only built here, never run: one database serves every test.
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase('pglite');
  });
  afterAll(() => t.drop());

  const deps = (env: NodeJS.ProcessEnv) => {
    const database = t.database;
    return { config: loadConfig(env), database, outbox: new Outbox(database, { baseMs: 1000, maxMs: 60_000, maxAttempts: 5 }), logger: pino({ level: 'silent' }) };
  };
  const coursera = { COURSERA_TOKEN: 'token', COURSERA_COURSE_IDS: 'course-a', COURSERA_FETCH_CRON: '0 6 * * *' };
  const futurelearn = { FUTURELEARN_EMAIL: 'admin@example.org', FUTURELEARN_PASSWORD: 'pw', FUTURELEARN_ORGANISATION: 'org', FUTURELEARN_FETCH_CRON: '0 4 * * *' };
  const khan = { KHAN_CONSUMER_KEY: 'key', KHAN_CONSUMER_SECRET: 'secret', KHAN_TOKEN_KEY: 'token', KHAN_PULL_CRON: '0 2 * * *' };

  it('schedules no pull when no platform is configured', () => {
    expect(pullJobs(deps({}))).toEqual([]);
  });

  it.each([
    ['coursera', coursera, { name: 'coursera-pull', cron: '0 6 * * *', lockKey: ADVISORY_LOCKS.courseraPull }],
    ['futurelearn', futurelearn, { name: 'futurelearn-pull', cron: '0 4 * * *', lockKey: ADVISORY_LOCKS.futurelearnPull }],
    ['khan', khan, { name: 'khan-pull', cron: '0 2 * * *', lockKey: ADVISORY_LOCKS.khanPull }],
  ])('schedules the %s pull on its cron and lock once its settings are ready', (_platform, env, expected) => {
    expect(pullJobs(deps(env))).toEqual([expect.objectContaining(expected)]);
  });

  it('schedules no pull whose settings are incomplete', () => {
    const { COURSERA_COURSE_IDS: _ids, ...noCourses } = coursera;
    const { FUTURELEARN_PASSWORD: _pw, ...noPassword } = futurelearn;
    const { KHAN_TOKEN_KEY: _token, ...noToken } = khan;
    expect(pullJobs(deps({ ...noCourses, ...noPassword, ...noToken }))).toEqual([]);
  });

  it('schedules every pull whose settings are ready, each with its own lock', () => {
    const jobs = pullJobs(deps({ ...coursera, ...futurelearn, ...khan }));
    expect(jobs.map((j) => j.name)).toEqual(['coursera-pull', 'futurelearn-pull', 'khan-pull']);
    expect(new Set(jobs.map((j) => j.lockKey)).size).toBe(3);
  });

  const edxS3 = {
    EDX_S3_PREFIX: 'orgx', EDX_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', EDX_S3_SECRET_ACCESS_KEY: 'secret', EDX_GPG_KEY_FILE: '/keys/edx.asc', EDX_GPG_PASSPHRASE: 'passphrase',
  };

  it('schedules the edX S3 sync on EDX_S3_SYNC_CRON under a lock of its own, and says so at start-up', () => {
    const config = deps({ ...edxS3, EDX_S3_SYNC_CRON: '0 5 * * *' }).config;
    expect(edxS3SyncJobs(deps({ ...edxS3, EDX_S3_SYNC_CRON: '0 5 * * *' }))).toEqual([expect.objectContaining({ name: 'edx-s3-sync', cron: '0 5 * * *', lockKey: ADVISORY_LOCKS.edxS3Sync })]);
    expect(partLines(config).at(-1)!.line).toBe('edX S3 sync: on (cron 0 5 * * *)');
    const others = pullJobs(deps({ ...coursera, ...futurelearn, ...khan })).map((j) => j.lockKey);
    expect(others).not.toContain(ADVISORY_LOCKS.edxS3Sync);
    // No two jobs share a lock key.
    expect(new Set(Object.values(ADVISORY_LOCKS)).size).toBe(Object.keys(ADVISORY_LOCKS).length);
  });

  it('schedules no edX S3 sync without its cron or its settings, and says which is unset', () => {
    expect(edxS3SyncJobs(deps(edxS3))).toEqual([]);
    expect(partLines(deps(edxS3).config).at(-1)!.line).toBe('edX S3 sync: off (EDX_S3_SYNC_CRON unset)');
    const { EDX_GPG_PASSPHRASE: _p, ...noPassphrase } = edxS3;
    expect(edxS3SyncJobs(deps({ ...noPassphrase, EDX_S3_SYNC_CRON: '0 5 * * *' }))).toEqual([]);
  });

  it('runs the weekly Coursera choice on its cron under its own lock', () => {
    expect(weeklyChoiceJob(t.database, '0 18 * * 0')).toEqual(expect.objectContaining({ name: 'coursera-weekly-choice', cron: '0 18 * * 0', lockKey: ADVISORY_LOCKS.courseraWeeklyChoice }));
  });
});
