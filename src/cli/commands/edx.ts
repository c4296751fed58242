/** The edX commands: `import edx`, `import edx-package`, `translate edx`, `report edx`, `edx sync`, `export-edx-email-opt-in`. */
import { join } from 'node:path';
import { courseStructure } from '../../catalog/course-structure.js';
import { configuredStatementQuery } from '../../configured.js';
import { listLogFiles } from '../../ingest/edx/log-lines.js';
import { EDX_REPORTS, reportOptions } from '../../reports/edx/reports.js';
import { newFormCourseId } from '../../reports/edx/scope.js';
import { checkDays, configAndLogger, printJson, pullNow, span, withContext, type CliIo } from '../context.js';
import { edxLearnerName, importEdx, translateEdx, type EdxRunInput } from '../../pipelines/edx.js';
import { exportEmailOptIn } from '../edx-opt-in.js';
import { UsageError } from '../failure.js';
import type { Config } from '../../config/index.js';
import type { Database } from '../../db/connection.js';
import { printSummary, PULLS, RUNS, type SummaryOptions } from '../summaries.js';
import { syncEdxS3 } from '../../pipelines/edx-s3-sync.js';
import { startProgress, type Progress } from '../../pipelines/progress.js';
import { importEdxPackage } from '../../pipelines/edx-package.js';
import { edxCourseScope, learnerEventsCsv, reportEdxToFolder } from '../report-edx.js';
import { samcedCommand, writeSamcedBundle } from '../report-samced.js';
import { ADVISORY_LOCKS } from '../../db/advisory-locks.js';

/** The options of an edX log run. */
interface EdxRunOptions extends SummaryOptions {
  from?: string;
  to?: string;
  course?: string[];
}

/** The input of an edX log run; bad days or a missing input are known before anything is opened. */
async function edxRunInput(paths: string[], opts: EdxRunOptions): Promise<EdxRunInput> {
  checkDays(opts);
  await listLogFiles(paths, opts);
  return { paths, ...span(opts), ...(opts.course && { courses: opts.course }) };
}

export async function importLogs(io: CliIo, paths: string[], opts: EdxRunOptions): Promise<void> {
  const input = await edxRunInput(paths, opts);
  await withContext(io, async (ctx) => {
    const { runId, summary } = await importEdx(input, ctx);
    printSummary(io, opts, { runId, ...summary }, RUNS);
  });
}

export async function translateLogs(io: CliIo, paths: string[], opts: EdxRunOptions): Promise<void> {
  const input = await edxRunInput(paths, opts);
  const summary = await translateEdx(input, { ...configAndLogger(io), out: io.stdout });
  printSummary(io, opts, summary, RUNS, io.stderr);
}

export async function importPackage(io: CliIo, root: string, opts: { course: string; from?: string; to?: string } & SummaryOptions): Promise<void> {
  checkDays(opts);
  await withContext(io, async (ctx) => {
    const { runId, summary, snapshot, blocks } = await importEdxPackage({ root, course: opts.course, ...span(opts) }, ctx);
    if (!opts.json) io.stdout.write(`snapshot ${snapshot}: ${blocks} course blocks\n`);
    printSummary(io, opts, { runId, snapshot, blocks, ...summary }, RUNS);
  });
}

/** `edx sync`: the S3 sync now, under its advisory lock, with a progress bar of the objects to fetch. */
export function sync(io: CliIo, opts: SummaryOptions): Promise<void> {
  return pullNow(io, opts, ADVISORY_LOCKS.edxS3Sync, 'edX S3', async (ctx) => {
    let progress: Progress | undefined;
    try {
      return await syncEdxS3({ ...ctx, onProgress: (done, total) => (progress ??= startProgress('edX S3 objects', ctx.logger, total)).update(done) });
    } finally {
      progress?.stop();
    }
  }, PULLS.edx);
}

// edX user ids are whole numbers (auth_user.id); anything else would silently match no one.
const EDX_USER_ID = /^[1-9][0-9]{0,18}$/;

/** The learner of `--learner <pseudonym>` or `--user <edX user id>`; the id is never echoed, in an error neither. */
async function learnerOf(config: Config, database: Database, opts: { learner?: string; user?: string }): Promise<string> {
  if (opts.learner !== undefined && opts.user !== undefined) throw new UsageError('--user', 'give --learner or --user, not both');
  if (opts.learner !== undefined) return opts.learner;
  if (opts.user === undefined) throw new UsageError('--learner', 'learner-events needs the learner\'s pseudonym (--learner) or edX user id (--user)');
  if (!EDX_USER_ID.test(opts.user)) throw new UsageError('--user', 'an edX user id is a whole number');
  return edxLearnerName(config, database, opts.user);
}

export async function report(io: CliIo, name: string, opts: { course: string; out?: string; learner?: string; user?: string; from?: string; to?: string; package?: string }): Promise<void> {
  checkDays(opts);
  return withContext(io, async ({ config, database }) => {
    const scope = edxCourseScope(config, opts.course, opts);
    const query = configuredStatementQuery(config, database);
    if (name === 'learner-events') {
      const learner = await learnerOf(config, database, opts);
      await learnerEventsCsv(query, scope, learner, config.edxLmsUrl!.replace(/\/$/, ''), io.stdout);
      return;
    }
    if (opts.out === undefined) throw new UsageError('--out', 'the folder of the CSV files is required');
    const structure = await courseStructure(database, newFormCourseId(opts.course)!);
    const options = structure.length > 0 ? { ...reportOptions(config), structure } : reportOptions(config);
    if (name !== 'samced') {
      printJson(io, await reportEdxToFolder(query, scope, options, name, opts.out));
      return;
    }
    const { out } = opts;
    const input = { query, scope, options, courseId: opts.course, out, defaultRoot: join(config.dataDir, 'edx-data'), command: samcedCommand({ ...opts, out }), now: () => new Date() };
    printJson(io, await writeSamcedBundle(opts.package === undefined ? input : { ...input, packageRoot: opts.package }));
  });
}

export async function exportOptIn(io: CliIo, root: string, opts: { course: string; out: string }): Promise<void> {
  io.stderr.write('xapi-gateway: this export holds personal data (emails and names) of learners who opted in to email; keep it safe and delete it after use.\n');
  printJson(io, await exportEmailOptIn(root, opts.course, opts.out));
}

/** The help of `report edx <report>`, read when that command runs. */
export function reportNames(): string {
  return `a report (${Object.keys(EDX_REPORTS).join(', ')}), all, samced (the ChalmersX toolkit's bundle), or learner-events`;
}
