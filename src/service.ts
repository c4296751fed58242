/**
 * The running service: database, migrations, HTTP server, flusher and scheduler, and
 * a graceful stop that lets the batch in flight settle before the database closes.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/connection.js';
import { runMigrations } from './db/migrate.js';
import { courseStructure } from './catalog/course-structure.js';
import { IdentityLinkCache } from './catalog/identity-links.js';
import { createApp } from './http/app.js';
import { DEFAULT_REPOSITORY_ID, oaiProvider } from './oai-pmh/routes.js';
import { EmbeddedStatementQuery } from './lrs/server/statement-reader.js';
import type { StatementQuery } from './lrs/statement-query.js';
import { edxTranslateOptions } from './pipelines/edx.js';
import { pseudonymSecret } from './ingest/pseudonym-secret.js';
import { LrsClient } from './lrs/client.js';
import { DeliveryStats } from './lrs/delivery-stats.js';
import { Flusher } from './lrs/flusher.js';
import { Outbox } from './lrs/outbox.js';
import { CredentialStore } from './lrs/server/credential-store.js';
import { sweepInterruptedRuns } from './lrs/import-run-sweep.js';
import { FUTURELEARN_FETCH_LOCK } from './ingest/futurelearn/fetch-run.js';
import { khanConfigured } from './ingest/khan/setup.js';
import { COURSERA_FETCH_LOCK, pullCoursera, type CourseraPullDeps } from './pipelines/coursera-pull.js';
import { futurelearnPullConfigured, pullFutureLearn } from './pipelines/futurelearn-pull.js';
import { KHAN_PULL_LOCK, pullKhanNow } from './pipelines/khan.js';
import { startScheduler, type Job, type Scheduler } from './scheduler.js';
import { createFirstCredential } from './lrs/server/first-credential.js';
import { weeklyChoiceJob } from './reports/coursera/choice.js';
import { reportOptions } from './reports/edx/reports.js';

/** A started service. */
export interface Service {
  /** Base URL the service answers on, e.g. `http://127.0.0.1:8080`. */
  url: string;
  database: Database;
  outbox: Outbox;
  flusher: Flusher;
  stop(): Promise<void>;
}

/** The database named by the config: PostgreSQL at DATABASE_URL, else PGlite in DATA_DIR. */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  const timeouts = { connectMs: config.databaseConnectTimeoutMs, statementMs: config.databaseStatementTimeoutMs, idleMs: config.databaseIdleTimeoutMs };
  return openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir }, { timeouts });
}

/** The outbox with the configured retry policy. */
export function configuredOutbox(config: Config, database: Database): Outbox {
  return new Outbox(database, { baseMs: config.retryBaseMs, maxMs: config.retryMaxMs, maxAttempts: config.outboxMaxAttempts }, config.unstorableText);
}

/** Where reports and the ECO API read statements: the embedded LRS in process, or LRS_ENDPOINT over HTTP. */
export function configuredStatementQuery(config: Config, database: Database): StatementQuery {
  return config.lrsEndpoint
    ? new LrsClient({ endpoint: config.lrsEndpoint, username: config.lrsUsername, password: config.lrsPassword, timeoutMs: config.lrsTimeoutMs })
    : new EmbeddedStatementQuery(database);
}

/** The user the flusher uses on the embedded LRS: random per process, never configured or shown. */
export function internalLrsUser(): { username: string; password: string } {
  return { username: 'xapi-gateway-flusher', password: randomBytes(24).toString('base64url') };
}

/**
 * Starts everything `npm start` serves.
 * @example const service = await startService(loadConfig(), logger);
 */
export async function startService(config: Config, logger: Logger): Promise<Service> {
  const database = await openConfiguredDatabase(config);
  await runMigrations(database);
  await sweepInterruptedRuns(database);
  const outbox = configuredOutbox(config, database);
  const stats = new DeliveryStats();
  const lrsUsers = new Map(config.lrsUsers);
  const internal = internalLrsUser();
  if (!config.lrsEndpoint) lrsUsers.set(internal.username, internal.password);
  const credentials = new CredentialStore(database);
  if (!config.lrsEndpoint && config.lrsUsers.size === 0 && !(await credentials.hasActive())) {
    await createFirstCredential(credentials, { terminal: process.stderr.isTTY ? process.stderr : undefined, dataDir: config.dataDir, logger });
  }

  const secret = await pseudonymSecret(config, database);
  const edxLinks = new IdentityLinkCache(database, 'edx');
  const reportStatements = configuredStatementQuery(config, database);
  const edxIngest =
    config.edxIngestTokens.size === 0
      ? undefined
      : {
          tokens: config.edxIngestTokens,
          maxEvents: config.ingestMaxEvents,
          translate: edxTranslateOptions(config, secret, config.edxCourseIds, (id) => edxLinks.get(id)),
          loadLinks: (ids: string[]) => edxLinks.load(ids),
        };
  const app = createApp({
    database, outbox, stats, logger, lrsUsers, credentials, bodyLimitBytes: config.bodyLimitBytes,
    lrsMaxStatements: config.lrsMaxStatements, lrsCorsCredentialsOrigins: config.lrsCorsCredentialsOrigins, trustProxy: config.trustProxy,
    ...(edxIngest && { edxIngest }),
    ...(config.adminToken && { adminToken: config.adminToken }),
    courseImages: { limitBytes: config.courseImageLimitBytes },
    oai: await oaiProvider(database, config),
    reports: { statements: reportStatements, edxLmsUrl: config.edxLmsUrl, repositoryId: config.oaiRepositoryId ?? DEFAULT_REPOSITORY_ID, options: reportOptions(config), structureOf: (key) => courseStructure(database, key) },
    futurelearnReports: { statements: reportStatements },
    courseraReports: { statements: reportStatements, widgetTokens: config.courseraWidgetTokens, pseudonymSecret: secret },
    ecoApi: {
      keys: config.ecoApiKeys,
      ...(config.ecoApiAllowedIps && { allowedClients: config.ecoApiAllowedIps }),
      statements: reportStatements,
      repositoryId: config.oaiRepositoryId ?? DEFAULT_REPOSITORY_ID,
      pseudonymSecret: secret,
      ...(config.edxLmsUrl && { edxLmsUrl: config.edxLmsUrl }),
    },
  });
  const server = await listen(app, config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const client = new LrsClient(
    config.lrsEndpoint
      ? { endpoint: config.lrsEndpoint, username: config.lrsUsername, password: config.lrsPassword, timeoutMs: config.lrsTimeoutMs }
      : { endpoint: `${url}/xapi/`, ...internal, timeoutMs: config.lrsTimeoutMs },
  );
  const flusher = new Flusher({
    outbox, client, stats, logger,
    batchSize: config.lrsBatchSize, leaseSeconds: config.outboxLeaseSeconds, keepSentDays: config.outboxKeepSentDays,
  });
  const jobs: Job[] = [
    { name: 'flush', cron: config.flushCron, run: () => flusher.flushUntilIdle() },
    weeklyChoiceJob(database, config.courseraWeeklyCron),
    ...pullJobs({ config, database, outbox, logger }),
  ];
  const scheduler: Scheduler = startScheduler(jobs, database, logger);
  logger.info({ url, database: database.kind, lrs: config.lrsEndpoint ? 'external' : 'embedded' }, 'xapi-gateway started');

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await scheduler.stop();
      await flusher.stop();
      await closeServer(server, config.shutdownTimeoutMs);
      await database.close();
      logger.info('xapi-gateway stopped');
    })());
  return { url, database, outbox, flusher, stop };
}

/** What a scheduled pull needs. */
export interface PullDeps {
  config: Config;
  database: Database;
  outbox: Outbox;
  logger: Logger;
}

/**
 * The scheduled Coursera pull (COURSERA_FETCH_CRON), under one runner across instances.
 * @example startScheduler([courseraPullJob({ config, database, outbox, logger })], database, logger);
 */
export function courseraPullJob(deps: CourseraPullDeps): Job {
  return {
    name: 'coursera-pull',
    cron: deps.config.courseraFetchCron,
    lockKey: COURSERA_FETCH_LOCK,
    run: async () => {
      const summary = await pullCoursera(deps);
      deps.logger[summary.errors.length > 0 ? 'warn' : 'info']({ ...summary, imported: summary.imported.length }, 'coursera pull finished');
      return summary;
    },
  };
}

/**
 * The daily FutureLearn pull (FUTURELEARN_FETCH_CRON), under one runner across instances.
 * @example startScheduler([futurelearnPullJob({ config, database, outbox, logger })], database, logger);
 */
export function futurelearnPullJob(deps: PullDeps): Job {
  return {
    name: 'futurelearn-pull',
    cron: deps.config.futurelearnFetchCron,
    lockKey: FUTURELEARN_FETCH_LOCK,
    run: async () => {
      const summary = await pullFutureLearn(deps);
      deps.logger[summary.errors.length > 0 ? 'warn' : 'info']({ ...summary, imported: summary.imported.length }, 'futurelearn pull finished');
      return summary;
    },
  };
}

/**
 * The nightly Khan pull (KHAN_PULL_CRON), under one runner across instances.
 * @example startScheduler([khanPullJob({ config, database, outbox, logger })], database, logger);
 */
export function khanPullJob(deps: PullDeps): Job {
  return {
    name: 'khan-pull',
    cron: deps.config.khanPullCron,
    lockKey: KHAN_PULL_LOCK,
    // The pull logs its own progress and summary ('khan pull: finished').
    run: () => pullKhanNow(deps),
  };
}

/** The pulls the settings allow: Coursera with a token and courses, FutureLearn with an account, Khan with its keys. */
export function pullJobs(deps: PullDeps): Job[] {
  const { config } = deps;
  return [
    ...(config.courseraToken !== undefined && config.courseraCourseIds !== undefined ? [courseraPullJob(deps)] : []),
    ...(futurelearnPullConfigured(config) ? [futurelearnPullJob(deps)] : []),
    ...(khanConfigured(config) ? [khanPullJob(deps)] : []),
  ];
}

function listen(app: ReturnType<typeof createApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}

/** Stops accepting, lets requests finish for up to `timeoutMs`, then cuts what is left. */
function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
