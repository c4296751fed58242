import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { desc } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { importRuns } from '../../src/lrs/schema.js';
import { loadConfig } from '../../src/config/index.js';
import { edxTranslateOptions } from '../../src/pipelines/edx.js';
import { createLogger } from '../../src/logger.js';
import { freshCliSession } from '../support/cli.js';
import { DATABASE_KINDS, freshDatabase } from '../support/databases.js';
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

/** Makes every write of a rejected record fail as a constraint violation, whose driver error quotes the row. */
async function breakRejectedRecords(database: Database): Promise<void> {
  await database.query('ALTER TABLE rejected_records ADD CONSTRAINT no_rejections CHECK (payload IS NULL) NOT VALID');
}

async function lastRunError(database: Database): Promise<string | null> {
  const [run] = await database.db.select().from(importRuns).orderBy(desc(importRuns.id)).limit(1);
  expect(run?.status).toBe('failed');
  return run!.error;
}

describe.each(DATABASE_KINDS)('learner data and database failures on %s', (kind) => {
  it('a failing import writes none of the learner\'s values to its output or to import_runs.error', async () => {
    const session = await freshCliSession(kind, { PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS, LOG_LEVEL: 'info' });
    onTestFinished(() => session.close());
    // Broken, the test's database is not reused after it.
    const database = await session.database();
    await breakRejectedRecords(database);
    const file = join(session.dir, 'tracking.log');
    await writeFile(file, ndjson([rejectedEvent()]));
    const run = await session.run(['import', 'edx', file]);
    expect(run.code).not.toBe(0);
    expectNoLearnerData(run.stdout + run.stderr);
    expect(run.stderr).toContain('the database refused the query');
    const error = await lastRunError(database);
    expectNoLearnerData(error ?? '');
    expect(error).toContain('check_violation');
  });

  it('a failing POST /ingest/edx writes none of the learner\'s values to the log or to import_runs.error', async () => {
    const t = await freshDatabase(kind);
    onTestFinished(() => t.drop());
    await breakRejectedRecords(t.database);
    let logged = '';
    const logger = createLogger('info', new Writable({ write(chunk: Buffer, _enc, done) { logged += chunk.toString(); done(); } }));
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    const app = await startEmbeddedLrs(t.database, {
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
    const error = await lastRunError(t.database);
    expectNoLearnerData(error ?? '');
    expect(error).toContain('check_violation');
    expectNoLearnerData(logged);
    expect(logged).toContain('DatabaseQueryError');
  });
});
