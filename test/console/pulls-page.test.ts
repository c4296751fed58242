import { createSecretKey, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courseraExportJobs } from '../../src/ingest/coursera/schema.js';
import { saveCoach } from '../../src/ingest/khan/coach-store.js';
import { runImport } from '../../src/lrs/import-run.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { makeStatement } from '../support/statements.js';
import { consoleApp, signedIn } from './console-app.js';

const TOKEN_SECRET = 'khan-token-secret-never-shown';

describe.each(DATABASE_KINDS)('the console\'s pulls page on %s', (kind) => {
  let t: TestDatabase;
  let runId: number;
  let signed: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    t = await freshDatabase(kind);
    const made = consoleApp(t.database);
    ({ runId } = await runImport([{ at: 'comments.csv:2', type: 'comments', statements: [makeStatement('pulls-fl', 1)] }], { database: t.database, outbox: made.outbox, source: 'futurelearn', input: 'data/futurelearn/climate/3' }));
    // As the Coursera pull records them: one job imported, one whose download failed.
    await t.database.db.insert(courseraExportJobs).values([
      { id: 'job-ok', courseId: 'intro-data', kind: 'tables', day: '2026-10-20', status: 'SUCCESSFUL', importedAt: new Date(), importRunId: runId },
      { id: 'job-failed', courseId: 'intro-data', kind: 'clickstream', day: '2026-10-20', status: 'SUCCESSFUL', lastError: 'download: the link had expired (403)' },
    ]);
    await saveCoach(t.database, createSecretKey(randomBytes(32)), { coachId: 'kaid_coach_1', email: 'coach@example.org', token: { token: 'khan-token', tokenSecret: TOKEN_SECRET } });
    signed = await signedIn(made.app);
  });
  afterAll(() => t.drop());

  it('lists Coursera jobs with their status and last error, FutureLearn imports and Khan coaches without their tokens', async () => {
    const page = await signed.agent.get('/console/pulls').expect(200);
    expect(page.text).toContain(`<td><code>job-ok</code></td><td>intro-data</td><td>tables</td><td>2026-10-20</td><td>SUCCESSFUL</td><td><a href="/console/imports/${runId}">Run ${runId}</a></td>`);
    expect(page.text).toMatch(/<td><code>job-failed<\/code><\/td>.*<td>download: the link had expired \(403\)<\/td>/);
    expect(page.text).toContain(`<td><a href="/console/imports/${runId}">Run ${runId}</a></td><td>finished</td>`);
    expect(page.text).toMatch(/<td><code>kaid_coach_1<\/code><\/td><td>authorized /);
    expect(page.text).not.toContain(TOKEN_SECRET);
    expect(page.text).toContain('<a href="/console/pulls" aria-current="page">Pulls</a>');
  });
});
