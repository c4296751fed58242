/**
 * Reports benchmark: N realistic edX statements (the bench log's event mix, translated)
 * stored in the embedded LRS on PostgreSQL, then every edX course report in one run,
 * reading the course's statements through StatementQuery in process.
 */
import { reportOptions } from '../src/reports/edx/reports.js';
import { loadConfig } from '../src/config/index.js';
import { openDatabase } from '../src/db/connection.js';
import { runMigrations } from '../src/db/migrate.js';
import { edxItem, edxTranslateOptions } from '../src/pipelines/edx.js';
import { fromValue } from '../src/ingest/edx/tracking-log.js';
import { EmbeddedStatementQuery } from '../src/lrs/server/statement-reader.js';
import { runEdxReports } from '../src/reports/edx/run-reports.js';
import { edxCourseScope } from '../src/reports/edx/scope.js';
import { createPostgresDatabase } from '../test/support/databases.js';
import { LRS_USER, startEmbeddedLrs } from '../test/support/embedded-lrs.js';
import { edxEvent } from './edx-log.js';
import { BENCH_DATABASE_URL } from './lrs-process.js';

const LMS = 'https://lms.example.org/';
const COURSE = 'course-v1:OrgX+CS101+2026';

/** Stores `count` statements of one course, then runs every report; returns the figures. */
export async function benchReports(count: number): Promise<Record<string, unknown>> {
  const created = await createPostgresDatabase(BENCH_DATABASE_URL);
  const database = await openDatabase({ url: created.url });
  try {
    await runMigrations(database);
    const lrs = await startEmbeddedLrs(database, { bodyLimitBytes: 50 * 1024 * 1024 });
    const origin = lrs.origin;
    const opts = edxTranslateOptions(loadConfig({ PSEUDONYM_SECRET: 'bench-secret-0123456789abcdef', EDX_LMS_URL: LMS }), 'bench-secret-0123456789abcdef');
    const auth = `Basic ${Buffer.from(`${LRS_USER.username}:${LRS_USER.password}`).toString('base64')}`;
    let stored = 0;
    let batch: unknown[] = [];
    const post = async () => {
      const res = await fetch(`${origin}/xapi/statements`, { method: 'POST', headers: { authorization: auth, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      if (!res.ok) throw new Error(`storing statements: HTTP ${res.status}`);
      stored += batch.length;
      batch = [];
    };
    for (let i = 0; stored + batch.length < count; i++) {
      // Every event in the one course the reports are about.
      const event = { ...edxEvent(i), context: { ...(edxEvent(i).context as object), course_id: COURSE } };
      const item = edxItem(fromValue(`${i}`, event, ''), opts);
      if ('statements' in item) batch.push(...item.statements);
      if (batch.length >= 500) await post();
    }
    if (batch.length > 0) await post();
    await lrs.close();
    console.error(`stored ${stored} statements of one course`);
    // As autovacuum leaves a table in steady use: visibility maps set, so index-only scans stay cheap.
    await database.query('VACUUM ANALYZE');
    const started = performance.now();
    const { tables, statements } = await runEdxReports(new EmbeddedStatementQuery(database), edxCourseScope(LMS, 'eco.example.org', COURSE), reportOptions(loadConfig({})));
    const seconds = (performance.now() - started) / 1000;
    const results = {
      statements,
      reports: tables.length,
      seconds: Number(seconds.toFixed(1)),
      statementsPerSecond: Math.round(statements / seconds),
      rows: Object.fromEntries(tables.map((t) => [t.name, t.rows.length])),
    };
    console.error(`every report over ${statements} statements: ${results.seconds} s, ${results.statementsPerSecond} statements/s`);
    return results;
  } finally {
    await database.close();
    await created.drop();
  }
}
