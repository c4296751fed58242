/**
 * Rows of learners FutureLearn erased (empty learner_id) give no statement: the run
 * reports say beside their figures how many they leave out, since FutureLearn's own
 * statistics count them.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { futurelearnRunTables } from '../../../src/ingest/futurelearn/side-tables.js';
import { LrsClient } from '../../../src/lrs/client.js';
import { DeliveryStats } from '../../../src/lrs/delivery-stats.js';
import { Flusher } from '../../../src/lrs/flusher.js';
import { Outbox } from '../../../src/lrs/outbox.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { importFutureLearnRun } from '../../../src/pipelines/futurelearn.js';
import { futurelearnTables } from '../../../src/reports/futurelearn/csv.js';
import { runFutureLearnReports } from '../../../src/reports/futurelearn/run-stats.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../../support/embedded-lrs.js';

const TOKEN = 'fl-admin-token-0123456789';
const silent = pino({ level: 'silent' });
const RUN = { course: 'course-x', run: '2' };

describe.each(DATABASE_KINDS)('FutureLearn figures beside the rows of learners FutureLearn erased on %s', (kind) => {
  let db: TestDatabase;
  let lrs: RunningLrs;
  let dir: string;
  let runDir: string;
  beforeEach(async () => {
    db = await freshDatabase(kind);
    lrs = await startEmbeddedLrs(db.database, { adminToken: TOKEN, futurelearnReports: { statements: new EmbeddedStatementQuery(db.database) } });
    dir = await mkdtemp(join(tmpdir(), 'xgw-fl-left-out-'));
    runDir = join(dir, 'uni', 'course-x', '2 - 2026-03-02 - 2026-03-30');
    await mkdir(runDir, { recursive: true });
    // Both question forms FutureLearn has written; blank and whitespace-only learner ids.
    await writeFile(join(runDir, 'question-response.csv'), [
      'learner_id,quiz_question,question_type,response,submitted_at,correct',
      'l1,2.4.3,MultipleChoiceQuestion,2,2026-03-10 10:00:00 UTC,false',
      ',2.4.3,MultipleChoiceQuestion,1,2026-03-10 10:01:00 UTC,true',
      '  ,2.4.3,MultipleChoiceQuestion,1,2026-03-10 10:02:00 UTC,true',
      ',2.4.4,MultipleChoiceQuestion,1,2026-03-10 10:03:00 UTC,true',
      '',
    ].join('\n'));
    await writeFile(join(runDir, 'step-activity.csv'), 'learner_id,step,first_visited_at,last_completed_at\n,1.1,2026-03-02 10:00:00 UTC,\nl1,1.1,2026-03-02 11:00:00 UTC,\n');
  });
  afterEach(async () => {
    await lrs.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const importAndDeliver = async () => {
    const outbox = new Outbox(db.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    await importFutureLearnRun({ database: db.database, outbox, secret: 'left-out-secret', path: runDir });
    const client = new LrsClient({ endpoint: lrs.endpoint, ...LRS_USER, timeoutMs: 10_000 });
    await new Flusher({ outbox, client, stats: new DeliveryStats(), logger: silent, batchSize: 100, leaseSeconds: 30 }).flushUntilIdle();
  };

  it('counts them per dataset and question, once however often the run is imported, and shows them beside the quiz figures', async () => {
    await importAndDeliver();
    await importAndDeliver();
    const reports = await runFutureLearnReports(new EmbeddedStatementQuery(db.database), futurelearnRunTables(db.database), RUN);
    expect(reports.erasedByPlatform).toEqual({ 'question-response': 3, 'step-activity': 1 });
    expect(reports.quiz).toEqual([expect.objectContaining({ week: 2, step: 4, question: 3, responses: 1, leftOut: 2 })]);

    const quizTable = futurelearnTables(reports).find((t) => t.name === 'quiz_results')!;
    const leftOut = quizTable.columns.findIndex((c) => c.name === 'responses_left_out');
    expect(quizTable.rows.map((row) => row[leftOut])).toEqual([2]);
    const page = await request(lrs.origin).get('/reports/futurelearn/course-x/2').set('Authorization', `Bearer ${TOKEN}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('2 responses of learners FutureLearn erased are left out of these figures');
  });
});
