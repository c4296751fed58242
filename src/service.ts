/**
 * The running service: database, migrations, HTTP server, flusher and scheduler, and
 * a graceful stop that lets the batch in flight settle before the database closes.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { partLines, type Config } from './config/index.js';
import type { Database } from './db/connection.js';
import { configuredOutbox, configuredStatementQuery, internalLrsUser, openConfiguredDatabase } from './configured.js';
import { runMigrations } from './db/migrate.js';
import { courseStructure } from './catalog/course-structure.js';
import { IdentityLinkCache } from './catalog/identity-links.js';
import { createApp } from './app.js';
import { DEFAULT_REPOSITORY_ID, oaiProvider } from './oai-pmh/routes.js';
import { edxTranslateOptions } from './pipelines/edx.js';
import { pseudonymSecret } from './ingest/pseudonym-secret.js';
import { LrsClient } from './lrs/client.js';
import { LrsCredentialProbe } from './lrs/credential-probe.js';
import { DeliveryStats } from './lrs/delivery-stats.js';
import { Flusher } from './lrs/flusher.js';
import type { Outbox } from './lrs/outbox.js';
import { CredentialStore } from './lrs/server/credential-store.js';
import { sweepInterruptedRuns } from './lrs/import-run-sweep.js';
import { startScheduler, type Job, type Scheduler } from './scheduler.js';
import { createFirstCredential } from './lrs/server/first-credential.js';
import { edxS3SyncJobs, indicatorSnapshotJob, pullJobs, weeklyChoiceJob } from './jobs.js';
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

/**
 * Starts everything `npm start` serves, on the database `opening` resolves to (by default
 * the one config names, opened now).
 * @example const service = await startService(loadConfig(), logger);
 */
export async function startService(config: Config, logger: Logger, opening: Promise<Database> = openConfiguredDatabase(config)): Promise<Service> {
  const database = await opening;
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
  // One list for the scheduler and the console's "run a pull now".
  const pulls = pullJobs({ config, database, outbox, logger });
  const app = createApp({
    database, outbox, stats, logger, lrsUsers, credentials, bodyLimitBytes: config.bodyLimitBytes,
    console: { pullJobs: pulls },
    lrsMaxStatements: config.lrsMaxStatements, lrsCorsCredentialsOrigins: config.lrsCorsCredentialsOrigins, trustProxy: config.trustProxy,
    accessLog: config.accessLog,
    ...(edxIngest && { edxIngest }),
    ...(config.lrsEndpoint && { deliveryProbe: new LrsCredentialProbe(reportStatements, config.lrsEndpoint) }),
    ...(config.adminToken && { adminToken: config.adminToken }),
    learners: { config },
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
  const { address, url, everywhere } = listenedOn(server.address() as AddressInfo);

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
    indicatorSnapshotJob({ database, statements: reportStatements }, config.courseraSnapshotCron),
    ...pulls,
    ...edxS3SyncJobs({ config, database, outbox, logger }),
  ];
  const scheduler: Scheduler = startScheduler(jobs, database, logger);
  for (const { part, on, line } of partLines(config)) logger.info({ part, on }, line);
  logger.info({ address, url, database: database.kind, lrs: config.lrsEndpoint ? 'external' : 'embedded' }, `xapi-gateway started on ${address}${everywhere ? ` (every interface; ${url} from this machine)` : ''}`);

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

/** Addresses that stand for every interface of the machine. */
const ANY_ADDRESS = new Set(['0.0.0.0', '::']);

/**
 * Where the server listens (`http://0.0.0.0:8080`), as the log says it, and the URL that
 * reaches it from this machine: loopback for a wildcard address, else the address itself.
 */
function listenedOn({ address, port }: AddressInfo): { address: string; url: string; everywhere: boolean } {
  const origin = (host: string) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const everywhere = ANY_ADDRESS.has(address);
  return { address: origin(address), url: origin(everywhere ? '127.0.0.1' : address), everywhere };
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
