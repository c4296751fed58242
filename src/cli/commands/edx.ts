/** The edX commands: `import edx`, `import edx-package`, `translate edx`, `report edx`, `export-edx-email-opt-in`. */
import { courseStructure } from '../../catalog/course-structure.js';
import { configuredStatementQuery } from '../../configured.js';
import { listLogFiles } from '../../ingest/edx/log-lines.js';
import { EDX_REPORTS, reportOptions } from '../../reports/edx/reports.js';
import { newFormCourseId } from '../../reports/edx/scope.js';
import { checkDays, printJson, span, withContext, withoutDatabase } from '../context.js';
import { importEdx, translateEdx, type EdxRunInput } from '../../pipelines/edx.js';
import { exportEmailOptIn } from '../edx-opt-in.js';
import { importEdxPackage } from '../../pipelines/edx-package.js';
import { edxCourseScope, learnerEventsCsv, reportEdxToFolder } from '../report-edx.js';

/** The options of an edX log run. */
interface EdxRunOptions {
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

export async function importLogs(paths: string[], opts: EdxRunOptions): Promise<void> {
  const input = await edxRunInput(paths, opts);
  await withContext(async (ctx) => {
    const { runId, summary } = await importEdx(input, ctx);
    printJson({ runId, ...summary });
  });
}

export async function translateLogs(paths: string[], opts: EdxRunOptions): Promise<void> {
  const input = await edxRunInput(paths, opts);
  const summary = await translateEdx(input, { ...withoutDatabase(), out: process.stdout });
  process.stderr.write(`${JSON.stringify(summary)}\n`);
}

export async function importPackage(root: string, opts: { course: string; from?: string; to?: string }): Promise<void> {
  checkDays(opts);
  await withContext(async (ctx) => {
    const { runId, summary, snapshot, blocks } = await importEdxPackage({ root, course: opts.course, ...span(opts) }, ctx);
    printJson({ runId, snapshot, blocks, ...summary });
  });
}

export function report(name: string, opts: { course: string; out?: string; learner?: string; from?: string; to?: string }): Promise<void> {
  return withContext(async ({ config, database }) => {
    const scope = edxCourseScope(config, opts.course, opts);
    const query = configuredStatementQuery(config, database);
    if (name === 'learner-events') {
      if (opts.learner === undefined) throw new Error('learner-events needs --learner');
      await learnerEventsCsv(query, scope, opts.learner, config.edxLmsUrl!.replace(/\/$/, ''), process.stdout);
      return;
    }
    if (opts.out === undefined) throw new Error('--out: the folder of the CSV files is required');
    const structure = await courseStructure(database, newFormCourseId(opts.course)!);
    const options = structure.length > 0 ? { ...reportOptions(config), structure } : reportOptions(config);
    printJson(await reportEdxToFolder(query, scope, options, name, opts.out));
  });
}

export async function exportOptIn(root: string, opts: { course: string; out: string }): Promise<void> {
  process.stderr.write('xapi-gateway: this export holds personal data (emails and names) of learners who opted in to email; keep it safe and delete it after use.\n');
  printJson(await exportEmailOptIn(root, opts.course, opts.out));
}

/** The help of `report edx <report>`, read when that command runs. */
export function reportNames(): string {
  return `a report (${Object.keys(EDX_REPORTS).join(', ')}), all, or learner-events`;
}
