import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { saveCoach } from '../../src/ingest/khan/coach-store.js';
import { KhanOAuthClient } from '../../src/ingest/khan/oauth.js';
import { parseVaultKey } from '../../src/ingest/khan/token-vault.js';
import { eraseLearner } from '../../src/learners/erase.js';
import { findLearner } from '../../src/learners/find.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { pullKhan, type KhanPullOptions } from '../../src/pipelines/khan.js';
import { pseudonym } from '../../src/xapi/ids.js';
import { startFakeKhan, type FakeKhan } from '../fakes/khan.js';
import { KHAN_CONSUMER as CONSUMER, KHAN_SCHOOL as FIXTURE } from '../fixtures/khan-school.js';
import { testClock } from '../support/clock.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';

const KEY = parseVaultKey(randomBytes(32).toString('hex'));
const SECRET = 'pseudonym-secret-for-khan-erasure';
const KHAN_TABLES = ['khan_stu_detail', 'khan_composite_exercises', 'khan_exercise_states', 'khan_badge_detail', 'khan_composite_badges', 'khan_coach_students'];

describe.each(DATABASE_KINDS)('erasing a Khan student on %s', (kind) => {
  let t: TestDatabase;
  let fake: FakeKhan;
  let options: KhanPullOptions;
  const config = loadConfig({ PSEUDONYM_SECRET: SECRET });

  beforeEach(async () => {
    t = await freshDatabase(kind);
    fake = await startFakeKhan(structuredClone(FIXTURE));
    for (const c of FIXTURE.coaches) await saveCoach(t.database, KEY, { coachId: c.user_id, email: c.email, token: fake.grantAccess(c.user_id) });
    options = {
      database: t.database, outbox: new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 }), key: KEY, secret: SECRET, concurrency: 2, logger: pino({ level: 'silent' }),
      client: new KhanOAuthClient({ baseUrl: fake.baseUrl, consumerKey: CONSUMER.key, consumerSecret: CONSUMER.secret, timeoutMs: 5000, clock: testClock() }),
      retry: { attempts: 3, baseMs: 1, maxMs: 20 },
    };
  });
  afterEach(async () => {
    await fake.close();
    await t.drop();
  });

  /** Rows of each Khan table and the outbox, of `student` (a pseudonym) and of everyone else. */
  const rowsBy = async (student: string) => {
    const counts: Record<string, { theirs: number; others: number }> = {};
    for (const table of KHAN_TABLES) {
      const { rows } = await t.database.query<{ theirs: number; others: number }>(
        `SELECT count(*) FILTER (WHERE student = $1)::int AS theirs, count(*) FILTER (WHERE student <> $1)::int AS others FROM ${table}`, [student]);
      counts[table] = rows[0]!;
    }
    const { rows } = await t.database.query<{ theirs: number; others: number }>(
      `SELECT count(*) FILTER (WHERE statement->'actor'->'account'->>'name' = $1)::int AS theirs, count(*) FILTER (WHERE statement->'actor'->'account'->>'name' <> $1)::int AS others FROM statement_outbox`, [student]);
    counts.outbox = rows[0]!;
    return counts;
  };

  it('erases the warehouse rows and statements of the student, and the next pull neither fetches nor stores them', async () => {
    await pullKhan(options);
    const student = pseudonym(SECRET, 'kaid_s2');
    const before = await rowsBy(student);
    const found = await findLearner({ config, database: t.database }, 'khan', 'kaid_s2');
    for (const table of [...KHAN_TABLES, 'outbox']) expect(found.places.find((p) => p.name === table)?.rows, table).toBe(before[table]!.theirs);
    expect(found.total).toBeGreaterThan(0);

    const report = await eraseLearner({ config, database: t.database, erasedBy: 'test' }, 'khan', 'kaid_s2');
    expect(report.total).toBe(found.total);
    const fetched = fake.countStudent('kaid_s2');

    const again = await pullKhan(options);
    expect(again).toMatchObject({ coaches: 2, students: 3, erased: 1, errors: [] });
    expect(fake.countStudent('kaid_s2')).toBe(fetched);
    const after = await rowsBy(student);
    for (const [place, counts] of Object.entries(after)) {
      expect(counts.theirs, place).toBe(0);
      expect(counts.others, place).toBe(before[place]!.others);
    }
  });
});
