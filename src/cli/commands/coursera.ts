/** The Coursera commands: `import coursera`, `translate coursera`, `coursera pull|jobs`, `report coursera`. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { configuredStatementQuery } from '../../configured.js';
import { listExportFiles } from '../../ingest/coursera/export-files.js';
import { listExportJobs } from '../../ingest/coursera/fetch-run.js';
import { writeCourseraIndicatorsCsv } from '../../reports/coursera/indicators-csv.js';
import { UsageError } from '../failure.js';
import { configAndLogger, printJson, pullNow, withContext, type CliIo } from '../context.js';
import { printSummary, PULLS, RUNS, type SummaryOptions } from '../summaries.js';
import { importCoursera, translateCoursera, type CourseraRunInput } from '../../pipelines/coursera.js';
import { pullCoursera } from '../../pipelines/coursera-pull.js';
import { ADVISORY_LOCKS } from '../../db/advisory-locks.js';

/** The input of a Coursera run; a missing or unreadable export is known before the database is opened. */
async function courseraRunInput(paths: string[], opts: { course?: string }): Promise<CourseraRunInput> {
  for (const path of paths) (await listExportFiles(path)).close();
  return { paths, ...(opts.course && { courseId: opts.course }) };
}

export async function importExports(io: CliIo, paths: string[], opts: { course?: string } & SummaryOptions): Promise<void> {
  const input = await courseraRunInput(paths, opts);
  await withContext(io, async (ctx) => {
    const { runId, summary } = await importCoursera(input, ctx);
    printSummary(io, opts, { runId, ...summary }, RUNS);
  });
}

export async function translateExports(io: CliIo, paths: string[], opts: { course?: string } & SummaryOptions): Promise<void> {
  const input = await courseraRunInput(paths, opts);
  const summary = await translateCoursera(input, { ...configAndLogger(io), out: io.stdout });
  printSummary(io, opts, summary, RUNS, io.stderr);
}

export function pull(io: CliIo, opts: SummaryOptions): Promise<void> {
  return pullNow(io, opts, ADVISORY_LOCKS.courseraPull, 'Coursera exports', pullCoursera, PULLS.coursera);
}

export function jobs(io: CliIo, opts: { course?: string }): Promise<void> {
  return withContext(io, async ({ database }) => {
    for (const job of await listExportJobs(database, opts.course)) io.stdout.write(`${JSON.stringify(job)}\n`);
  });
}

export function report(io: CliIo, opts: { course: string; at?: string; out?: string }): Promise<void> {
  return withContext(io, async ({ config, database }) => {
    const at = opts.at === undefined ? undefined : new Date(opts.at);
    if (at !== undefined && Number.isNaN(at.getTime())) throw new UsageError('--at', 'expected an ISO 8601 time, e.g. 2026-10-01T00:00:00Z');
    const out = opts.out === undefined ? io.stdout : createWriteStream(opts.out);
    const counts = await writeCourseraIndicatorsCsv({ database, statements: configuredStatementQuery(config, database) }, opts.course, out, at);
    if (opts.out !== undefined) {
      out.end();
      await once(out, 'finish');
      printJson(io, { file: opts.out, ...counts });
    }
  });
}
