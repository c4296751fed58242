/**
 * The learner data rights under `/admin/learners` (`Authorization: Bearer $ADMIN_TOKEN`):
 * find (JSON), export (the .tar.gz archive) and erase (DELETE, answering the counts) of
 * one learner by platform and platform user id. Answers name the learner by pseudonym.
 */
import { Router, type Request } from 'express';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { requireBearer } from '../http/bearer.js';
import { eraseLearner } from './erase.js';
import { exportLearner } from './export.js';
import { findLearner } from './find.js';
import { resolveLearner } from './learner.js';

/** What the routes need. */
export interface LearnerRoutesDeps {
  config: Config;
  database: Database;
  /** Unset: every request is refused. */
  adminToken: string | undefined;
}

/** The platform and user id of the path (resolveLearner checks them, never echoing the id). */
const learnerOf = (req: Request): [string, string] => {
  const { platform, userId } = req.params as { platform: string; userId: string };
  return [platform, userId];
};

/** The router of `/admin/learners`. */
export function learnersRouter(deps: LearnerRoutesDeps): Router {
  const router = Router();
  router.use((req, _res, next) => {
    requireBearer(req, deps.adminToken === undefined ? [] : [deps.adminToken], 'admin', 'the admin API is off: ADMIN_TOKEN is not set');
    next();
  });
  router.get('/:platform/:userId', async (req, res) => {
    res.json(await findLearner(deps, ...learnerOf(req)));
  });
  router.get('/:platform/:userId/export', async (req, res) => {
    const learner = await resolveLearner(deps, ...learnerOf(req));
    res.type('application/gzip').attachment(`learner-${learner.platform}.tar.gz`).set('Cache-Control', 'no-store');
    await exportLearner(deps, learner, res);
  });
  router.delete('/:platform/:userId', async (req, res) => {
    res.json(await eraseLearner({ ...deps, erasedBy: 'admin api' }, ...learnerOf(req)));
  });
  return router;
}
