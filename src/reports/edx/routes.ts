/**
 * `GET /reports/edx/<report>?course=<id>[&from=&to=&offset=&limit=]` (admin token): one
 * report of a course as JSON, its rows paged. The report is computed from the course's
 * statements on each request.
 */
import { Router } from 'express';
import { requireBearer } from '../../http/bearer.js';
import { CodedError } from '../../errors.js';
import type { StatementQuery } from '../../lrs/statement-query.js';
import { EDX_REPORTS, type ReportOptions } from './reports.js';
import { runEdxReports } from './run-reports.js';
import { edxCourseScope, newFormCourseId } from './scope.js';
import { courseIdOf } from '../course-id.js';
import { requireStatementsOf } from '../known.js';

/** What the reports API needs. */
export interface ReportDeps {
  statements: StatementQuery;
  adminToken: string | undefined;
  /** The edX LMS base URL; unset, edX reports are refused. */
  edxLmsUrl: string | undefined;
  repositoryId: string;
  options: ReportOptions;
  /** The imported structure of a course (new-form id), for names and order; empty when none. */
  structureOf?: (courseKey: string) => Promise<NonNullable<ReportOptions['structure']>>;
}

const DAY = /^\d{4}-\d\d-\d\d$/;
const MAX_PAGE = 5000;

/** The router of `/reports`. */
export function reportsRouter(deps: ReportDeps): Router {
  const router = Router();
  router.use((req, _res, next) => {
    requireBearer(req, deps.adminToken === undefined ? [] : [deps.adminToken], 'admin', 'the reports API is off: ADMIN_TOKEN is not set');
    next();
  });
  router.get('/edx/:report', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (!Object.hasOwn(EDX_REPORTS, req.params.report)) throw new CodedError('not-found', `no report ${req.params.report}`);
    const course = courseIdOf(req, 'edx');
    for (const name of ['from', 'to'] as const) if (q[name] !== undefined && !DAY.test(q[name]!)) throw new CodedError('invalid', `${name}: must be YYYY-MM-DD`);
    const offset = Number(q.offset ?? 0);
    const limit = Number(q.limit ?? 1000);
    if (!Number.isInteger(offset) || offset < 0) throw new CodedError('invalid', 'offset: must be a non-negative integer');
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new CodedError('invalid', `limit: must be an integer from 1 to ${MAX_PAGE}`);
    if (deps.edxLmsUrl === undefined) throw new CodedError('invalid', 'edX reports need EDX_LMS_URL');
    const scope = edxCourseScope(deps.edxLmsUrl, deps.repositoryId, course, { ...(q.from && { from: q.from }), ...(q.to && { to: q.to }) });
    const structure = (await deps.structureOf?.(newFormCourseId(course)!)) ?? [];
    const options = structure.length > 0 ? { ...deps.options, structure } : deps.options;
    const { tables, statements } = await runEdxReports(deps.statements, scope, options, [req.params.report]);
    // Nothing in the span of a known course (imported structure or statements) is an answer;
    // nothing at all is an unknown course.
    if (statements === 0 && structure.length === 0) await requireStatementsOf(deps.statements, scope.courseIris, `edX course ${course}`);
    const table = tables[0]!;
    const rows = table.rows.slice(offset, offset + limit);
    res.json({
      report: table.name,
      description: table.description,
      columns: table.columns.map((c) => c.name),
      statements,
      total: table.rows.length,
      rows,
      ...(offset + limit < table.rows.length && { next: `offset=${offset + limit}&limit=${limit}` }),
    });
  });
  return router;
}
