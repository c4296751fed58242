/**
 * `report edx <report|all> --course <id> --out <folder>` and `report edx learner-events`:
 * the course-run reports as CSV files, and one learner's statements for checking odd
 * aggregates. Statements are read from the embedded LRS in process, or from
 * LRS_ENDPOINT over HTTP.
 */
import type { Writable } from 'node:stream';
import { edxReadiness, type Config } from '../config/index.js';
import { CodedError } from '../errors.js';
import { allStatements, type StatementQuery } from '../lrs/statement-query.js';
import { DEFAULT_REPOSITORY_ID } from '../oai-pmh/routes.js';
import { csvText, writeReportFiles } from '../reports/table.js';
import type { ReportOptions } from '../reports/edx/reports.js';
import { runEdxReports, type ReportScope } from '../reports/edx/run-reports.js';
import { edxCourseScope as courseScope } from '../reports/edx/scope.js';

/** The scope of an edX course from the settings. */
export function edxCourseScope(config: Config, courseId: string, span: { from?: string; to?: string } = {}): ReportScope {
  if (!edxReadiness(config).ready) throw new CodedError('setup', 'EDX_LMS_URL is not set: it names the course in statements', { field: 'EDX_LMS_URL' });
  return courseScope(config.edxLmsUrl!, config.oaiRepositoryId ?? DEFAULT_REPOSITORY_ID, courseId, span);
}

/** Writes the reports (`all` or one name) of a course into `out`; returns the files and counts. */
export async function reportEdxToFolder(query: StatementQuery, scope: ReportScope, options: ReportOptions, report: string, out: string): Promise<{ files: string[]; statements: number; seconds: number }> {
  const started = performance.now();
  const { tables, statements } = await runEdxReports(query, scope, options, report === 'all' ? undefined : [report]);
  const about = `edX course reports of ${scope.courseIris[0]}${scope.from || scope.to ? `, ${scope.from ?? '…'} to ${scope.to ?? '…'}` : ''}, from ${statements} statements.`;
  const files = await writeReportFiles(out, tables, about);
  return { files, statements, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) };
}

/**
 * Writes one learner's statements in the course as CSV, oldest first by when the learner
 * acted (`timestamp`): the LRS gives them in the order it stored them, and an import
 * stores a day's log, or a late batch, in one go. One learner's statements of one course
 * are held to be sorted; statements without a timestamp come last, in stored order.
 */
export async function learnerEventsCsv(query: StatementQuery, scope: ReportScope, learner: string, homePage: string, out: Writable): Promise<number> {
  const courses = new Set(scope.courseIris);
  const rows: { at: number; row: string[] }[] = [];
  for await (const s of allStatements(query, { agent: { objectType: 'Agent', account: { homePage, name: learner } }, ascending: true, limit: 500 })) {
    const inCourse = [(s.object as { id?: string }).id, ...(s.context?.contextActivities?.parent ?? []).map((p) => p.id)].some((id) => id !== undefined && courses.has(id));
    if (!inCourse) continue;
    const at = s.timestamp === undefined ? NaN : Date.parse(s.timestamp);
    rows.push({ at: Number.isNaN(at) ? Infinity : at, row: [s.timestamp ?? '', s.verb.id, (s.object as { id?: string }).id ?? '', s.result === undefined ? '' : JSON.stringify(s.result)] });
  }
  // Array.prototype.sort is stable: equal times keep the stored order.
  rows.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1));
  out.write(csvText([['timestamp', 'verb', 'object', 'result'], ...rows.map((r) => r.row)]));
  return rows.length;
}
