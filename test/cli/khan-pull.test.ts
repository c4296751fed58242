import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullKhanNow } from '../../src/pipelines/khan.js';
import { khanPullJob } from '../../src/jobs.js';
import { CodedError } from '../../src/errors.js';
import { khanReadiness, loadConfig, type Config } from '../../src/config/index.js';
import { saveCoach } from '../../src/ingest/khan/coach-store.js';
import { parseVaultKey } from '../../src/ingest/khan/token-vault.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { startFakeKhan, type FakeKhan } from '../fakes/khan.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { ADVISORY_LOCKS } from '../../src/db/advisory-locks.js';

const CONSUMER = { key: 'pull-consumer', secret: 'pull-consumer-secret' };
const TOKEN_KEY = randomBytes(32).toString('hex');
const logger = pino({ level: 'silent' });
const RETRY = { baseMs: 10, maxMs: 100, maxAttempts: 5 };

describe.each(DATABASE_KINDS)('the configured Khan pull on %s', (kind) => {
  let t: TestDatabase;
  let fake: FakeKhan;
  let config: Config;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    fake = await startFakeKhan({
      consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret,
      coaches: [{ user_id: 'kaid_coach1', email: 'coach1@school.example', students: ['kaid_s1', 'kaid_s2'] }],
      students: {
        kaid_s1: { profile: { nickname: 'Ada', username: 'ada_l', points: 10, total_seconds_watched: 0 } },
        kaid_s2: { profile: { nickname: 'Bo', points: 20, total_seconds_watched: 5 } },
      },
    });
    config = loadConfig({
      PSEUDONYM_SECRET: 'khan-pull-secret', KHAN_URL: fake.baseUrl, KHAN_CONSUMER_KEY: CONSUMER.key, KHAN_CONSUMER_SECRET: CONSUMER.secret,
      KHAN_TOKEN_KEY: TOKEN_KEY, KHAN_PULL_CRON: '30 1 * * *', KHAN_CONCURRENCY: '1', KHAN_STORE_NAMES: 'true',
    });
    await saveCoach(t.database, parseVaultKey(TOKEN_KEY), { coachId: 'kaid_coach1', email: 'coach1@school.example', token: fake.grantAccess('kaid_coach1') });
  });
  afterEach(async () => {
    await fake.close();
    await t.drop();
  });

  it('is a job on KHAN_PULL_CRON under its own lock that pulls with the settings (KHAN_STORE_NAMES)', async () => {
    const outbox = new Outbox(t.database, RETRY);
    const job = khanPullJob({ config, database: t.database, outbox, logger });
    expect(job).toMatchObject({ name: 'khan-pull', cron: '30 1 * * *', lockKey: ADVISORY_LOCKS.khanPull });
    const result = await t.database.withAdvisoryLock(job.lockKey!, job.run, { wait: false });
    expect(result).toMatchObject({ ran: true, value: { coaches: 1, students: 2, errors: [] } });
    const names = await t.database.query<{ nickname: string }>('SELECT nickname FROM khan_stu_detail ORDER BY nickname');
    expect(names.rows.map((r) => r.nickname)).toEqual(['Ada', 'Bo']);
  });

  it('is not scheduled without its settings, and says which one is missing when run', async () => {
    expect(khanReadiness(config).ready).toBe(true);
    const without = { ...config, khanConsumerSecret: undefined };
    expect(khanReadiness(without).ready).toBe(false);
    const err = await pullKhanNow({ config: without, database: t.database, outbox: new Outbox(t.database, RETRY), logger }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toMatchObject({ code: 'setup', field: 'KHAN_CONSUMER_SECRET' });
    expect(fake.count('/api/v1/user/students')).toBe(0);
  });
});
