/**
 * The express app, assembled from its parts: every route module gets its
 * dependencies here and nowhere else (no module globals).
 */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import type { Database } from './db/connection.js';
import type { DeliveryStats } from './lrs/delivery-stats.js';
import type { Outbox } from './lrs/outbox.js';
import { CredentialStore } from './lrs/server/credential-store.js';
import { EmbeddedStatementQuery } from './lrs/server/statement-reader.js';
import { adminRouter } from './catalog/admin-routes.js';
import { carriesEcoKey } from './ecoapi/access.js';
import { courseImageRouter } from './catalog/image-routes.js';
import { ecoApiRouter, type EcoApiDeps } from './ecoapi/routes.js';
import { edxIngestOffRouter, edxIngestRouter, type EdxIngestDeps } from './pipelines/edx-live.js';
import { learnersRouter } from './learners/routes.js';
import { createLrsRouter } from './lrs/server/routes.js';
import type { StatementStore } from './lrs/server/statement-store.js';
import { oaiRouter } from './oai-pmh/routes.js';
import { courseraReportsRouter, type CourseraReportDeps } from './reports/coursera/routes.js';
import { reportsRouter, type ReportDeps } from './reports/edx/routes.js';
import { futurelearnReportsRouter, type FutureLearnReportDeps } from './reports/futurelearn/routes.js';
import { reportsIndexRouter } from './reports/index-routes.js';
import { AuthThrottle, authThrottle } from './http/auth-throttle.js';
import { consoleRouter, type ConsoleDeps } from './console/routes.js';
import { CodedError } from './errors.js';
import { problemHandler } from './http/errors.js';
import { accessLog } from './http/access-log.js';
import { listImportedRuns } from './ingest/futurelearn/run-list.js';
import { futurelearnRunTables } from './ingest/futurelearn/side-tables.js';
import { listExportJobs } from './ingest/coursera/fetch-run.js';
import { listCoaches } from './ingest/khan/coach-store.js';
import { healthRoutes, type HealthDeps } from './health.js';

/** Everything the app serves from. */
export interface AppDeps {
  database: Database;
  outbox: Outbox;
  stats: DeliveryStats;
  logger: Logger;
  /** Credentials of the embedded LRS: LRS_USERS, and those kept in the database. */
  lrsUsers: Map<string, string>;
  credentials?: CredentialStore;
  /** The store /xapi writes statements through; default a store of its own on the system clock. */
  statementStore?: StatementStore;
  bodyLimitBytes: number;
  /** Most statements in one POST to /xapi (LRS_MAX_STATEMENTS); unset, no cap. */
  lrsMaxStatements?: number;
  /** Origins whose pages may call /xapi with the browser's credentials (LRS_CORS_CREDENTIALS_ORIGINS). */
  lrsCorsCredentialsOrigins?: ReadonlySet<string>;
  /** The token of the admin API; unset, /admin refuses every request. */
  adminToken?: string;
  /** Learner data rights under /admin/learners (admin token): the settings that name learners. */
  learners?: { config: Config };
  /** The ECO REST API at /ecoapi. */
  ecoApi?: Omit<EcoApiDeps, 'database'>;
  /** The reports API at /reports (admin token). */
  reports?: Omit<ReportDeps, 'adminToken'>;
  /** The Coursera widget API under /reports/coursera and /admin/coursera (widget or admin tokens). */
  courseraReports?: Omit<CourseraReportDeps, 'database' | 'adminToken'>;
  /** The FutureLearn run reports and dashboard under /reports/futurelearn (admin token, bearer or Basic). */
  futurelearnReports?: Omit<FutureLearnReportDeps, 'tables' | 'runs' | 'adminToken'>;
  /** Course images: uploads under /admin (admin token), public at /catalog; unset, not served. */
  courseImages?: { limitBytes: number };
  /** The OAI-PMH provider at /oai. */
  oai?: Parameters<typeof oaiRouter>[0];
  /** The live edX endpoint, when EDX_INGEST_TOKENS names senders. */
  edxIngest?: Omit<EdxIngestDeps, 'database' | 'outbox' | 'bodyLimitBytes'>;
  /** Reverse proxies trusted to name the client in X-Forwarded-For (TRUST_PROXY); default none. */
  trustProxy?: false | number | string[];
  /** Asks the external LRS whether it takes the gateway's credentials, for /ready; absent: the embedded LRS. */
  deliveryProbe?: HealthDeps['deliveryProbe'];
  /** One info line per request (ACCESS_LOG); default off. */
  accessLog?: boolean;
  /** Throttling of repeated wrong credentials; default: 10 refusals a minute per address. */
  authThrottle?: AuthThrottle;
  /** The operator console's clock, session length and the pulls it may start; it is on whenever ADMIN_TOKEN is set. */
  console?: Pick<ConsoleDeps, 'now' | 'sessionMs' | 'pullJobs' | 'pullRuns'>;
}

/**
 * Builds the app; the caller listens.
 * @example createApp(deps).listen(8080)
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Behind a proxy every client has the proxy's address: one guesser would throttle all.
  app.set('trust proxy', deps.trustProxy ?? false);
  // First, so that every request is logged, refused and unknown ones too.
  if (deps.accessLog) app.use(accessLog(deps.logger));
  app.use(healthRoutes(deps));
  // The document's tables load with its first reader, not at start.
  let openApi: object | undefined;
  app.get('/openapi.json', async (_req, res) => {
    openApi ??= (await import('./openapi.js')).openApiDocument();
    res.json(openApi);
  });
  // Before every route that checks credentials, so that a throttled guess costs no scrypt.
  const throttle = deps.authThrottle ?? new AuthThrottle();
  app.use(['/xapi', '/admin', '/ingest', '/reports'], authThrottle(throttle));
  // ECO's client carries its key in the path.
  app.use('/ecoapi', authThrottle(throttle, carriesEcoKey));
  app.use('/xapi', createLrsRouter({
      database: deps.database,
      users: deps.lrsUsers,
      bodyLimitBytes: deps.bodyLimitBytes,
      ...(deps.credentials && { credentials: deps.credentials }),
      ...(deps.statementStore && { store: deps.statementStore }),
      ...(deps.lrsMaxStatements !== undefined && { maxStatements: deps.lrsMaxStatements }),
      ...(deps.lrsCorsCredentialsOrigins && { corsCredentialsOrigins: deps.lrsCorsCredentialsOrigins }),
    }),
  );
  app.use(reportsIndexRouter({ adminToken: deps.adminToken, ...(deps.courseraReports && { widgetTokens: deps.courseraReports.widgetTokens }), platforms: { edx: deps.reports !== undefined, coursera: deps.courseraReports !== undefined, futurelearn: deps.futurelearnReports !== undefined } }));
  // Before /admin and /reports: their routers demand the admin token of every request,
  // and the widget's own token must reach these routes.
  if (deps.courseraReports !== undefined) app.use(courseraReportsRouter({ ...deps.courseraReports, database: deps.database, adminToken: deps.adminToken }));
  // Before /reports, whose router asks for a bearer token: the dashboard also takes Basic.
  if (deps.futurelearnReports !== undefined) app.use(futurelearnReportsRouter({ ...deps.futurelearnReports, tables: futurelearnRunTables(deps.database), runs: () => listImportedRuns(deps.database), adminToken: deps.adminToken }));
  // Before /admin, whose JSON router would otherwise answer the image paths.
  if (deps.courseImages !== undefined) app.use(courseImageRouter({ ...deps.courseImages, database: deps.database, adminToken: deps.adminToken }));
  app.use('/console', consoleRouter({
    ...deps.console, database: deps.database, outbox: deps.outbox, stats: deps.stats, adminToken: deps.adminToken, throttle,
    ...(deps.learners !== undefined && { learners: deps.learners }),
    // service.ts hands /xapi and the console one store; without it, /xapi takes only LRS_USERS.
    statements: new EmbeddedStatementQuery(deps.database), credentials: deps.credentials ?? new CredentialStore(deps.database),
    pulls: { courseraJobs: () => listExportJobs(deps.database), khanCoaches: () => listCoaches(deps.database) },
  }));
  if (deps.learners !== undefined) app.use('/admin/learners', learnersRouter({ ...deps.learners, database: deps.database, adminToken: deps.adminToken }));
  app.use('/admin', adminRouter({ database: deps.database, adminToken: deps.adminToken, bodyLimitBytes: deps.bodyLimitBytes }));
  if (deps.oai !== undefined) app.use('/oai', oaiRouter(deps.oai));
  if (deps.reports !== undefined) app.use('/reports', reportsRouter({ ...deps.reports, adminToken: deps.adminToken }));
  if (deps.ecoApi !== undefined) app.use('/ecoapi', ecoApiRouter({ ...deps.ecoApi, database: deps.database }));
  // Off, it says which setting turns it on, as the admin API does.
  app.use('/ingest/edx', deps.edxIngest === undefined
    ? edxIngestOffRouter()
    : edxIngestRouter({ ...deps.edxIngest, database: deps.database, outbox: deps.outbox, bodyLimitBytes: deps.bodyLimitBytes }));
  app.use((req, _res, next) => next(new CodedError('not-found', `no resource at ${req.path}`)));
  app.use(problemHandler(deps.logger));
  return app;
}
