/**
 * The index of the report APIs: `GET /reports` lists the platforms whose reports are on,
 * `GET /reports/<platform>` lists that platform's reports (report-index.ts). Each index
 * asks for the credentials its reports ask for: edX the admin bearer token, Coursera a
 * widget or the admin token, FutureLearn and `/reports` the admin token as bearer or
 * Basic (a browser can open them).
 */
import { Router, type Request } from 'express';
import { requireBearer } from '../http/bearer.js';
import { BASIC_CHALLENGE, requireAdmin } from './admin-auth.js';
import { REPORT_INDEX, type IndexedPlatform } from './report-index.js';

/** What the index needs: the tokens, and which platforms' reports are mounted. */
export interface ReportIndexDeps {
  adminToken: string | undefined;
  /** COURSERA_WIDGET_TOKENS: token → widget name. */
  widgetTokens?: ReadonlyMap<string, string>;
  platforms: Readonly<Record<IndexedPlatform, boolean>>;
}

/**
 * The router of the report index; mount it at the root, before the report routers.
 * @example app.use(reportsIndexRouter({ adminToken, platforms: { edx: true, coursera: false, futurelearn: true } }));
 */
export function reportsIndexRouter(deps: ReportIndexDeps): Router {
  const admin = deps.adminToken === undefined ? [] : [deps.adminToken];
  const auth: Record<IndexedPlatform, (req: Request) => void> = {
    edx: (req) => requireBearer(req, admin, 'admin', 'the reports API is off: ADMIN_TOKEN is not set'),
    coursera: (req) => requireBearer(req, [...(deps.widgetTokens?.keys() ?? []), ...admin], 'coursera', 'the Coursera widget API is off: COURSERA_WIDGET_TOKENS is not set'),
    futurelearn: (req) => requireAdmin(req, deps.adminToken, BASIC_CHALLENGE),
  };
  const on = (Object.keys(REPORT_INDEX) as IndexedPlatform[]).filter((p) => deps.platforms[p]);
  const router = Router();
  router.get('/reports', (req, res) => {
    requireAdmin(req, deps.adminToken, BASIC_CHALLENGE);
    res.json({ platforms: on.map((platform) => ({ platform, url: `/reports/${platform}`, description: REPORT_INDEX[platform].description })) });
  });
  for (const platform of on) {
    router.get(`/reports/${platform}`, (req, res) => {
      auth[platform](req);
      res.json({ platform, description: REPORT_INDEX[platform].description, reports: REPORT_INDEX[platform].reports() });
    });
  }
  return router;
}
