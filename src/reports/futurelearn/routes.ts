/**
 * The FutureLearn run reports over HTTP (admin token):
 * - `GET /reports/futurelearn/:course/:run.json` every report of the run as JSON,
 * - `GET /reports/futurelearn/:course/:run` the run's dashboard, an HTML page.
 * Both take the admin token as a bearer token, or as the password of HTTP Basic with
 * user `admin`: a browser asks for Basic credentials itself, so the dashboard opens in a
 * browser with no proxy in front. Reports are computed on each request.
 */
import { Router, type Request } from 'express';
import { bearerMatches, sameSecret } from '../../http/bearer.js';
import { CodedError } from '../../errors.js';
import { HttpFault } from '../../http/errors.js';
import type { StatementQuery } from '../../lrs/statement-query.js';
import type { RunKey } from '../../translators/futurelearn/iris.js';
import { DASHBOARD_CSP, renderDashboard } from './dashboard.js';
import { runFutureLearnReports } from './run-stats.js';
import type { VideoStatsReader } from './video-stats.js';

/** What the FutureLearn reports need. */
export interface FutureLearnReportDeps {
  statements: StatementQuery;
  /** The run's video figures, as the import stored them. */
  videoStats: VideoStatsReader;
  /** ADMIN_TOKEN; unset, every request is refused. */
  adminToken: string | undefined;
}

/** The user name of Basic credentials; the password is the admin token. */
export const BASIC_USER = 'admin';

// FutureLearn course slugs are lowercase words joined by hyphens, runs are numbers;
// a little wider than that, but never a slash, a dot or anything needing escapes.
const COURSE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const RUN = /^[A-Za-z0-9_-]{1,32}$/;

/** Whether the request carries `admin:<token>` as HTTP Basic credentials. */
function basicMatches(req: Request, token: string): boolean {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.get('authorization') ?? '')?.[1];
  if (encoded === undefined) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared, always: the time taken says nothing about which one was wrong.
  const user = sameSecret(decoded.slice(0, colon), BASIC_USER);
  const password = sameSecret(decoded.slice(colon + 1), token);
  return user && password;
}

/** Throws 401 unless the admin token came as bearer or Basic; `challenge` is what to ask a client for. */
function requireAdmin(req: Request, token: string | undefined, challenge: string): void {
  if (token !== undefined && (bearerMatches(req, [token]) || basicMatches(req, token))) return;
  throw new HttpFault('unauthorized', token === undefined ? 'the reports API is off: ADMIN_TOKEN is not set' : 'the admin token is required', { 'WWW-Authenticate': challenge });
}

function runKeyOf(req: Request): RunKey {
  const { course, run } = req.params as { course: string; run: string };
  if (!COURSE.test(course)) throw new CodedError('invalid', 'course: must be a FutureLearn course slug (letters, digits, - and _)');
  if (!RUN.test(run)) throw new CodedError('invalid', 'run: must be a run number (letters, digits, - and _)');
  return { course, run };
}

const BASIC_CHALLENGE = 'Basic realm="xapi-gateway reports", charset="UTF-8"';
const BEARER_CHALLENGE = 'Bearer realm="admin"';

/**
 * The router of the FutureLearn reports; mount it at the root, before `/reports`.
 * @example app.use(futurelearnReportsRouter({ statements, videoStats: (key) => readVideoStats(database, key), adminToken }));
 */
export function futurelearnReportsRouter(deps: FutureLearnReportDeps): Router {
  const router = Router();
  router.get('/reports/futurelearn/:course/:run.json', async (req, res) => {
    requireAdmin(req, deps.adminToken, BEARER_CHALLENGE);
    const reports = await runFutureLearnReports(deps.statements, deps.videoStats, runKeyOf(req));
    res.set('Cache-Control', 'no-store').json(reports);
  });
  router.get('/reports/futurelearn/:course/:run', async (req, res) => {
    requireAdmin(req, deps.adminToken, BASIC_CHALLENGE);
    const reports = await runFutureLearnReports(deps.statements, deps.videoStats, runKeyOf(req));
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
