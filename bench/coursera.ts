/**
 * Coursera benchmarks on a generated export: the import of a clickstream of N rows into
 * the PostgreSQL outbox (rows/s, peak memory), and the 12 indicators of every learner
 * of a course whose statements (progress, grades, clickstream) stand in the embedded LRS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { courseraActorName, courseraPipeline, importCourseraExport } from '../src/pipelines/coursera.js';
import { importItems } from '../src/pipelines/runner.js';
import { Outbox } from '../src/lrs/outbox.js';
import { EmbeddedStatementQuery } from '../src/lrs/server/statement-reader.js';
import { CourseraIndicatorService } from '../src/reports/coursera/course-indicators.js';
import { putCourseSettings } from '../src/reports/coursera/course-settings.js';
import { LRS_USER, startEmbeddedLrs } from '../test/support/embedded-lrs.js';
import { BENCH_COURSE_ID, writeBenchClickstream, writeBenchTables } from './coursera-export.js';
import { importFigures, measured } from './measured.js';
import { withBenchDatabase } from './bench-database.js';

const SECRET = 'bench-pseudonym-secret-0123456789';
const config = loadConfig({ ...process.env, PSEUDONYM_SECRET: SECRET });

/** Runs both Coursera benchmarks; returns their figures. */
export async function benchCoursera(clickstreamRows: number, learners: number, statements: number): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'xgw-bench-coursera-'));
  try {
    return { clickstreamImport: await benchClickstreamImport(dir, clickstreamRows, learners), indicators: await benchIndicators(dir, learners, statements) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchClickstreamImport(dir: string, rows: number, learners: number): Promise<Record<string, unknown>> {
  const folder = join(dir, 'clickstream-only');
  await writeBenchClickstream(folder, rows, learners);
  return withBenchDatabase(async (database) => {
    const outbox = new Outbox(database, { baseMs: 1000, maxMs: 60_000, maxAttempts: 50 });
    const run = await measured(() => importCourseraExport({ database, outbox, secret: SECRET, path: folder, courseId: BENCH_COURSE_ID }));
    const results = importFigures(run);
    console.error(`clickstream import of ${results.rows} rows: ${results.rowsPerSecond} rows/s, peak RSS ${results.peakRssMb} MB`);
    return results;
  });
}

async function benchIndicators(dir: string, learners: number, target: number): Promise<Record<string, unknown>> {
  const folder = join(dir, 'course');
  const tableRows = await writeBenchTables(folder, learners);
  // The clickstream brings the course to `target` statements in all.
  await writeBenchClickstream(folder, Math.max(0, target - tableRows), learners);
  return withBenchDatabase(async (database) => {
    const lrs = await startEmbeddedLrs(database, { bodyLimitBytes: 50 * 1024 * 1024 });
    const auth = `Basic ${Buffer.from(`${LRS_USER.username}:${LRS_USER.password}`).toString('base64')}`;
    let stored = 0;
    let batch: unknown[] = [];
    const post = async () => {
      const res = await fetch(`${lrs.origin}/xapi/statements`, { method: 'POST', headers: { authorization: auth, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      if (!res.ok) throw new Error(`storing statements: HTTP ${res.status}`);
      stored += batch.length;
      batch = [];
    };
    for await (const item of importItems(courseraPipeline([folder], { actorName: courseraActorName(SECRET), courseId: BENCH_COURSE_ID }))) {
      if ('statements' in item) batch.push(...item.statements);
      if (batch.length >= 500) await post();
    }
    if (batch.length > 0) await post();
    await lrs.close();
    console.error(`stored ${stored} statements of ${learners} learners`);
    await database.query('VACUUM ANALYZE');
    await putCourseSettings(database, BENCH_COURSE_ID, { cohortStart: '2026-09-07T00:00:00Z', moduleLengthDays: 7, gradeWeights: {}, maxima: {}, previousCourseId: null, forumWeights: null });
    const service = new CourseraIndicatorService({ database, statements: new EmbeddedStatementQuery(database) });
    const run = await measured(() => service.courseIndicators(BENCH_COURSE_ID, new Date('2026-10-31T00:00:00Z')));
    const results = {
      statements: run.value.statements,
      learners: run.value.learners.length,
      seconds: Number(run.seconds.toFixed(1)),
      statementsPerSecond: Math.round(run.value.statements / run.seconds),
      peakRssMb: run.peakRssMb,
    };
    console.error(`indicators of ${results.learners} learners over ${results.statements} statements: ${results.seconds} s, peak RSS ${results.peakRssMb} MB`);
    return results;
  });
}
