/**
 * The FutureLearn run reports over HTTP (admin token):
 * - `GET /reports/futurelearn/courses` (and `.json`) the index of courses and runs imported,
 * - `GET /reports/futurelearn/:course/compare` (and `.json`, `.csv`) runs of a course side by side,
 * - `GET /reports/futurelearn/:course/:run.json` every report of the run as JSON,
 * - `GET /reports/futurelearn/:course/:run` the run's dashboard, an HTML page.
 * All take the admin token as a bearer token, or as the password of HTTP Basic with
 * user `admin`: a browser asks for Basic credentials itself, so the dashboard opens in a
 * browser with no proxy in front. Reports are computed on each request.
 */
import { Router, type Request } from 'express';
import { CodedError } from '../../errors.js';
import { BASIC_CHALLENGE, BEARER_CHALLENGE, requireAdmin } from '../admin-auth.js';
import type { StatementQuery } from '../../lrs/statement-query.js';
import type { RunKey } from '../../translators/futurelearn/iris.js';
import { csvOf } from '../table.js';
import { compareRuns, comparisonTable } from './comparison.js';
import { renderComparison } from './comparison-page.js';
import { renderDashboard } from './dashboard.js';
import { sendPage } from './page.js';
import { courseIndexOf, renderRunIndex, type RunLister } from './run-index-page.js';
import { runFutureLearnReports, type FutureLearnRunReports, type RunTableReaders } from './run-stats.js';
import { courseIdOf, rawQueryParam } from '../course-id.js';

/** What the FutureLearn reports need. */
export interface FutureLearnReportDeps {
  statements: StatementQuery;
  /** What the import stored beside statements: video figures, demographics. */
  tables: RunTableReaders;
  /** The runs imported, for the index and the comparison. */
  runs: RunLister;
  /** ADMIN_TOKEN; unset, every request is refused. */
  adminToken: string | undefined;
}

/** The most runs one comparison reads: each is a full read of the run's statements. */
export const MAX_COMPARED_RUNS = 8;

// Runs are numbers; a little wider than that, but never a slash, a dot or an escape.
const RUN = /^[A-Za-z0-9_-]{1,32}$/;

function runKeyOf(req: Request): RunKey {
  const course = courseIdOf(req, 'futurelearn');
  const { run } = req.params as { run: string };
  if (!RUN.test(run)) throw new CodedError('invalid', 'run: must be a run number (letters, digits, - and _)');
  return { course, run };
}

/** The run's reports; `not-found` when nothing was imported of it (no statement, no video figure). */
async function knownRunReports(deps: FutureLearnReportDeps, key: RunKey): Promise<FutureLearnRunReports> {
  const reports = await runFutureLearnReports(deps.statements, deps.tables, key);
  if (reports.statements === 0 && reports.videos.length === 0) throw new CodedError('not-found', `no statements of FutureLearn course ${key.course} run ${key.run}`);
  return reports;
}

/**
 * The runs of a comparison: `?runs=1,2` as given (each a run, no repeats, at most
 * `MAX_COMPARED_RUNS`), else the course's imported runs, the latest `MAX_COMPARED_RUNS`;
 * `not-found` when the course has none.
 */
async function comparedRuns(deps: FutureLearnReportDeps, req: Request, course: string): Promise<string[]> {
  const asked = rawQueryParam(req, 'runs');
  if (asked !== undefined) {
    const runs = asked.split(',');
    if (runs.some((r) => !RUN.test(r))) throw new CodedError('invalid', 'runs: must be run numbers separated by commas (letters, digits, - and _)', { field: 'runs' });
    if (new Set(runs).size !== runs.length) throw new CodedError('invalid', 'runs: a run is named twice', { field: 'runs' });
    if (runs.length > MAX_COMPARED_RUNS) throw new CodedError('invalid', `runs: at most ${MAX_COMPARED_RUNS} runs`, { field: 'runs' });
    return runs;
  }
  const runs = (await deps.runs()).filter((r) => r.course === course).map((r) => r.run);
  if (runs.length === 0) throw new CodedError('not-found', `no imported run of FutureLearn course ${course}`);
  return runs.slice(-MAX_COMPARED_RUNS);
}

/**
 * The router of the FutureLearn reports; mount it at the root, before `/reports`.
 * @example app.use(futurelearnReportsRouter({ statements, tables: futurelearnRunTables(database), runs: () => listImportedRuns(database), adminToken }));
 */
export function futurelearnReportsRouter(deps: FutureLearnReportDeps): Router {
  const router = Router();
  // Before `/:course/:run`: `courses` and `compare` would read as a course and a run.
  router.get('/reports/futurelearn/courses.json', async (req, res) => {
    requireAdmin(req, deps.adminToken, BEARER_CHALLENGE);
    res.set('Cache-Control', 'no-store').json({ courses: courseIndexOf(await deps.runs()) });
  });
  router.get('/reports/futurelearn/courses', async (req, res) => {
    requireAdmin(req, deps.adminToken, BASIC_CHALLENGE);
    sendPage(res, renderRunIndex(courseIndexOf(await deps.runs())));
  });
  router.get('/reports/futurelearn/:course/compare.json', async (req, res) => {
    requireAdmin(req, deps.adminToken, BEARER_CHALLENGE);
    const course = courseIdOf(req, 'futurelearn');
    res.set('Cache-Control', 'no-store').json(await compareRuns(deps.statements, deps.tables, course, await comparedRuns(deps, req, course)));
  });
  router.get('/reports/futurelearn/:course/compare.csv', async (req, res) => {
    requireAdmin(req, deps.adminToken, BEARER_CHALLENGE);
    const course = courseIdOf(req, 'futurelearn');
    const comparison = await compareRuns(deps.statements, deps.tables, course, await comparedRuns(deps, req, course));
    res.set('Cache-Control', 'no-store').type('text/csv; charset=utf-8').send(csvOf(comparisonTable(comparison)));
  });
  router.get('/reports/futurelearn/:course/compare', async (req, res) => {
    requireAdmin(req, deps.adminToken, BASIC_CHALLENGE);
    const course = courseIdOf(req, 'futurelearn');
    sendPage(res, renderComparison(await compareRuns(deps.statements, deps.tables, course, await comparedRuns(deps, req, course))));
  });
  router.get('/reports/futurelearn/:course/:run.json', async (req, res) => {
    requireAdmin(req, deps.adminToken, BEARER_CHALLENGE);
    res.set('Cache-Control', 'no-store').json(await knownRunReports(deps, runKeyOf(req)));
  });
  router.get('/reports/futurelearn/:course/:run', async (req, res) => {
    requireAdmin(req, deps.adminToken, BASIC_CHALLENGE);
    sendPage(res, renderDashboard(await knownRunReports(deps, runKeyOf(req))));
  });
  return router;
}
