/**
 * The FutureLearn run reports over HTTP (admin token):
 * - `GET /reports/futurelearn/:course/:run.json` every report of the run as JSON,
 * - `GET /reports/futurelearn/:course/:run` the run's dashboard, an HTML page.
 * Both take the admin token as a bearer token, or as the password of HTTP Basic with
 * user `admin`: a browser asks for Basic credentials itself, so the dashboard opens in a
 * browser with no proxy in front. Reports are computed on each request.
 */
import { Router, type Request } from 'express';
import { CodedError } from '../../errors.js';
import { BASIC_CHALLENGE, BEARER_CHALLENGE, requireAdmin } from '../admin-auth.js';
import type { StatementQuery } from '../../lrs/statement-query.js';
import type { RunKey } from '../../translators/futurelearn/iris.js';
import { DASHBOARD_CSP, renderDashboard } from './dashboard.js';
import { runFutureLearnReports, type FutureLearnRunReports } from './run-stats.js';
import { courseIdOf } from '../course-id.js';
import type { VideoStatsReader } from './video-stats.js';

/** What the FutureLearn reports need. */
export interface FutureLearnReportDeps {
  statements: StatementQuery;
  /** The run's video figures, as the import stored them. */
  videoStats: VideoStatsReader;
  /** ADMIN_TOKEN; unset, every request is refused. */
  adminToken: string | undefined;
}

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
  const reports = await runFutureLearnReports(deps.statements, deps.videoStats, key);
  if (reports.statements === 0 && reports.videos.length === 0) throw new CodedError('not-found', `no statements of FutureLearn course ${key.course} run ${key.run}`);
  return reports;
}

/**
 * The router of the FutureLearn reports; mount it at the root, before `/reports`.
 * @example app.use(futurelearnReportsRouter({ statements, videoStats: (key) => readVideoStats(database, key), adminToken }));
 */
export function futurelearnReportsRouter(deps: FutureLearnReportDeps): Router {
  const router = Router();
  router.get('/reports/futurelearn/:course/:run.json', async (req, res) => {
    requireAdmin(req, deps.adminToken, BEARER_CHALLENGE);
    res.set('Cache-Control', 'no-store').json(await knownRunReports(deps, runKeyOf(req)));
  });
  router.get('/reports/futurelearn/:course/:run', async (req, res) => {
    requireAdmin(req, deps.adminToken, BASIC_CHALLENGE);
    const reports = await knownRunReports(deps, runKeyOf(req));
    res
      .set({
        'Content-Security-Policy': DASHBOARD_CSP,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .type('text/html; charset=utf-8')
      .send(renderDashboard(reports));
  });
  return router;
}
