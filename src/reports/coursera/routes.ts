/**
 * The HTTP API of the Coursera learning-tracker widget and its administration:
 * - `GET /reports/coursera/:course/learners/:learner[?at=]` a learner's 12 indicators
 *   (a past day from its snapshot, snapshots.ts),
 * - `GET|PUT /reports/coursera/:course/learners/:learner/choice[?history=true]` the
 *   learner's choice of indicators (widget or admin token),
 * - `GET /reports/coursera/:course/indicators.csv[?at=]` every learner (admin token),
 * - `GET|PUT /admin/coursera/courses/:course/settings` the course settings (admin token).
 * `:learner` is the hashed Coursera user id of the exports; the server turns it into the
 * pseudonym that statements carry, so the widget never needs the pseudonym key.
 */
import express, { Router, type Request, type RequestHandler } from 'express';
import type { Database } from '../../db/connection.js';
import { bearerMatches, requireBearer } from '../../http/bearer.js';
import { CodedError } from '../../errors.js';
import type { StatementQuery } from '../../lrs/statement-query.js';
import { COURSERA_HOME, courseraIri } from '../../translators/coursera/iris.js';
import { accountActor, pseudonym } from '../../xapi/ids.js';
import { courseIdOf } from '../course-id.js';
import { requireStatementsOf } from '../known.js';
import { chooseIndicators, choiceHistory, currentChoice, type IndicatorChoice } from './choice.js';
import { CourseraIndicatorService } from './course-indicators.js';
import { getCourseSettings, putCourseSettings, settingsJson } from './course-settings.js';
import { courseraIndicatorsCsv } from './indicators-csv.js';
import { readSnapshot, utcDay } from './snapshots.js';

/** What the Coursera widget API needs. */
export interface CourseraReportDeps {
  database: Database;
  statements: StatementQuery;
  /** COURSERA_WIDGET_TOKENS: token → widget name. */
  widgetTokens: ReadonlyMap<string, string>;
  adminToken: string | undefined;
  /** The pseudonym key, or how to get it (it may live in the database). */
  pseudonymSecret: string | (() => Promise<string>);
  /** Largest accepted body; default 64 kB (a choice or the settings, never bulk data). */
  bodyLimitBytes?: number;
  /** Cache lifetimes of the indicator service. */
  contextTtlMs?: number;
  previousTtlMs?: number;
  /** What "today" is: an `at` of an earlier day reads that day's snapshot. */
  now?: () => Date;
}

const DEFAULT_BODY_LIMIT = 64 * 1024;
const LEARNER = /^[^\s/?#]{1,300}$/;

/** `?at=`: a date-time, or a day (UTC) meaning its end. */
function atOf(req: Request): Date | undefined {
  const raw = req.query.at;
  if (raw === undefined) return undefined;
  const text = typeof raw === 'string' && /^\d{4}-\d\d-\d\d$/.test(raw) ? `${raw}T23:59:59.999Z` : raw;
  const at = typeof text === 'string' && /^\d{4}-\d\d-\d\dT/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new CodedError('invalid', 'at: must be an ISO 8601 day or date-time, e.g. 2026-03-09 or 2026-03-09T12:00:00Z');
  return at;
}

function ids(req: Request): { course: string; learner?: string } {
  const course = courseIdOf(req, 'coursera');
  const { learner } = req.params as { learner?: string };
  if (learner !== undefined && !LEARNER.test(learner)) throw new CodedError('invalid', 'learner: must be a hashed Coursera user id');
  return learner === undefined ? { course } : { course, learner };
}

/** A choice as the widget sees it: the learner is the one of the path. */
function choiceJson(c: IndicatorChoice): Record<string, unknown> {
  return { consent: c.consent, goal: c.goal, indicators: c.indicators, open: c.open, reason: c.reason, createdAt: c.createdAt };
}

/**
 * The router of the Coursera widget API; mount it at the root, before `/reports` and `/admin`.
 * @example app.use(courseraReportsRouter({ database, statements, widgetTokens, adminToken, pseudonymSecret }));
 */
export function courseraReportsRouter(deps: CourseraReportDeps): Router {
  const service = new CourseraIndicatorService({
    database: deps.database,
    statements: deps.statements,
    ...(deps.contextTtlMs !== undefined && { contextTtlMs: deps.contextTtlMs }),
    ...(deps.previousTtlMs !== undefined && { previousTtlMs: deps.previousTtlMs }),
  });
  const now = deps.now ?? (() => new Date());
  // A day before today reads its snapshot, where the daily job took one.
  const pastSnapshot = async (course: string, at: Date | undefined, learner?: string) =>
    (at === undefined || utcDay(at) >= utcDay(now()) ? undefined : readSnapshot(deps.database, course, utcDay(at), learner));
  const secret = typeof deps.pseudonymSecret === 'string' ? () => Promise.resolve(deps.pseudonymSecret as string) : deps.pseudonymSecret;
  const learnerName = async (hashedId: string) => pseudonym(await secret(), hashedId);
  const widgetOrAdmin: RequestHandler = (req, _res, next) => {
    const tokens = [...deps.widgetTokens.keys(), ...(deps.adminToken === undefined ? [] : [deps.adminToken])];
    requireBearer(req, tokens, 'coursera', 'the Coursera widget API is off: COURSERA_WIDGET_TOKENS is not set');
    next();
  };
  const adminOnly: RequestHandler = (req, _res, next) => {
    requireBearer(req, deps.adminToken === undefined ? [] : [deps.adminToken], 'admin', 'the admin API is off: ADMIN_TOKEN is not set');
    next();
  };
  // Authentication first: an unauthenticated body is never parsed.
  const json = express.json({ limit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT, strict: true });

  const router = Router();
  router.get('/reports/coursera/:course/learners/:learner', widgetOrAdmin, async (req, res) => {
    const { course, learner } = ids(req);
    const at = atOf(req);
    const name = await learnerName(learner!);
    // The answer names the course, never the learner: the caller knows whom it asked for.
    await requireStatementsOf(deps.statements, [courseraIri.course(course)], `Coursera course ${course}`);
    await requireStatementsOf(deps.statements, [courseraIri.course(course)], `this learner in Coursera course ${course}`, accountActor(COURSERA_HOME, name));
    const snapshot = await pastSnapshot(course, at, name);
    if (snapshot !== undefined) {
      res.json({ course, learner, at: snapshot.takenAt, snapshot: true, indicators: snapshot.learners[0]!.indicators });
      return;
    }
    const indicators = await service.learnerIndicators(course, name, at);
    res.json({ course, learner, at: (at ?? now()).toISOString(), snapshot: false, indicators });
  });
  router.get('/reports/coursera/:course/learners/:learner/choice', widgetOrAdmin, async (req, res) => {
    const { course, learner } = ids(req);
    const name = await learnerName(learner!);
    const current = await currentChoice(deps.database, course, name);
    const history = req.query.history === 'true' ? { history: (await choiceHistory(deps.database, course, name)).map(choiceJson) } : {};
    res.json({ course, learner, current: current === undefined ? null : choiceJson(current), ...history });
  });
  router.put('/reports/coursera/:course/learners/:learner/choice', widgetOrAdmin, json, async (req, res) => {
    const { course, learner } = ids(req);
    const reason = bearerMatches(req, deps.adminToken === undefined ? [] : [deps.adminToken]) ? 'admin' : 'learner';
    const choice = await chooseIndicators(deps.database, course, await learnerName(learner!), req.body, reason);
    res.json({ course, learner, current: choiceJson(choice) });
  });
  router.get('/reports/coursera/:course/indicators.csv', adminOnly, async (req, res) => {
    const { course } = ids(req);
    const at = atOf(req);
    const snapshot = await pastSnapshot(course, at);
    const result = snapshot !== undefined ? { courseId: course, at: snapshot.takenAt, statements: 0, learners: snapshot.learners } : await service.courseIndicators(course, at);
    if (snapshot === undefined && result.statements === 0) throw new CodedError('not-found', `no statements of Coursera course ${course}`);
    res.type('text/csv; charset=utf-8').attachment(`coursera-indicators-${course.replace(/[^A-Za-z0-9_.-]/g, '_')}.csv`).send(courseraIndicatorsCsv(result));
  });
  router.get('/admin/coursera/courses/:course/settings', adminOnly, async (req, res) => {
    const settings = await getCourseSettings(deps.database, ids(req).course);
    if (settings.updatedAt === null) throw new CodedError('not-found', `no settings for course ${settings.courseId}: defaults apply`);
    res.json(settingsJson(settings));
  });
  router.put('/admin/coursera/courses/:course/settings', adminOnly, json, async (req, res) => {
    const { settings, created } = await putCourseSettings(deps.database, ids(req).course, req.body);
    res.status(created ? 201 : 200).json(settingsJson(settings));
  });
  return router;
}
