import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { desc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { runMigrations } from '../../src/db/migrate.js';
import { importRuns } from '../../src/lrs/schema.js';
import { loadConfig } from '../../src/config/index.js';
import { edxTranslateOptions } from '../../src/pipelines/edx.js';
import { createLogger } from '../../src/logger.js';
import { runCli } from '../support/cli.js';
import { createPostgresDatabase, DATABASE_KINDS } from '../support/databases.js';
import { LMS, ndjson, playVideo, SECRET } from '../support/edx-events.js';
import { startEmbeddedLrs } from '../support/embedded-lrs.js';

/** What an edX event tells about its learner: none of it may reach a log or a stored error. */
const LEARNER = { username: 'alice-learner-42', ip: '198.51.100.23', email: 'alice.learner@example.org', userId: 73519846 };
const TOKEN = 'edx-instance-token-0123456789abcdef';

/** An event the translator rejects (its time is no time), so that its raw record is written to rejected_records. */
function rejectedEvent(): Record<string, unknown> {
  return playVideo(LEARNER.userId, 0, {
    username: LEARNER.username,
    ip: LEARNER.ip,
    time: 'yesterday',
    event: JSON.stringify({ id: '0b9e39477cf34507a7a48f74be381fdd', currentTime: 1, email: LEARNER.email }),
  });
}

function expectNoLearnerData(text: string): void {
  for (const value of [LEARNER.username, LEARNER.ip, LEARNER.email, String(LEARNER.userId)]) expect(text).not.toContain(value);
}

/** The database of one test: a PGlite folder the CLI can open too, or a PostgreSQL database. */
async function testTarget(kind: 'pglite' | 'postgres'): Promise<{ env: Record<string, string>; open(): Promise<Database>; drop(): Promise<void> }> {
  if (kind === 'postgres') {
    const created = await createPostgresDatabase();
    return { env: { DATABASE_URL: created.url }, open: () => openDatabase({ url: created.url }), drop: created.drop };
  }
  const dir = await mkdtemp(join(tmpdir(), 'xgw-logs-'));
  return { env: { DATA_DIR: dir }, open: () => openDatabase({ dataDir: dir }), drop: () => rm(dir, { recursive: true, force: true }) };
}

/** Makes every write of a rejected record fail as a constraint violation, whose driver error quotes the row. */
async function breakRejectedRecords(database: Database): Promise<void> {
  await runMigrations(database);
  await database.query('ALTER TABLE rejected_records ADD CONSTRAINT no_rejections CHECK (payload IS NULL) NOT VALID');
}

async function lastRunError(database: Database): Promise<string | null> {
  const [run] = await database.db.select().from(importRuns).orderBy(desc(importRuns.id)).limit(1);
  expect(run?.status).toBe('failed');
  return run!.error;
}

describe.each(DATABASE_KINDS)('learner data and database failures on %s', (kind) => {
  let target: Awaited<ReturnType<typeof testTarget>>;
  beforeEach(async () => {
    target = await testTarget(kind);
  });
  afterEach(async () => {
    await target.drop();
  });

  it('a failing import writes none of the learner\'s values to its output or to import_runs.error', async () => {
    const database = await target.open();
    await breakRejectedRecords(database);
    await database.close();
    const dir = await mkdtemp(join(tmpdir(), 'xgw-logs-in-'));
    try {
      const file = join(dir, 'tracking.log');
      await writeFile(file, ndjson([rejectedEvent()]));
      const run = await runCli(['import', 'edx', file], { ...target.env, PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS, LOG_LEVEL: 'info' });
      expect(run.code).not.toBe(0);
      expectNoLearnerData(run.stdout + run.stderr);
      expect(run.stderr).toContain('the database refused the query');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const after = await target.open();
    try {
      const error = await lastRunError(after);
      expectNoLearnerData(error ?? '');
      expect(error).toContain('check_violation');
    } finally {
      await after.close();
    }
    // A child process opening the embedded database is slow on a busy machine: a longer timeout.
  }, 120_000);

  it('a failing POST /ingest/edx writes none of the learner\'s values to the log or to import_runs.error', async () => {
    const database = await target.open();
    let logged = '';
    const logger = createLogger('info', new Writable({ write(chunk: Buffer, _enc, done) { logged += chunk.toString(); done(); } }));
    try {
      await breakRejectedRecords(database);
      const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
      const app = await startEmbeddedLrs(database, {
        logger,
        edxIngest: { tokens: new Map([[TOKEN, 'lms-test']]), translate: edxTranslateOptions(config, SECRET) },
      });
      try {
        const res = await fetch(`${app.origin}/ingest/edx`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify([rejectedEvent()]),
        });
        expect(res.status).toBe(500);
        expectNoLearnerData(await res.text());
      } finally {
        await app.close();
      }
      const error = await lastRunError(database);
      expectNoLearnerData(error ?? '');
      expect(error).toContain('check_violation');
      expectNoLearnerData(logged);
      expect(logged).toContain('DatabaseQueryError');
    } finally {
      await database.close();
    }
  });
});
