/**
 * The parts the config names, shared by the service and the commands: the database, the
 * outbox, where statements are read, and the flusher's own LRS user. Kept apart from
 * service.ts so that a command opens them without loading the HTTP app and every platform.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from './config/index.js';
import { openDatabase, type Database } from './db/connection.js';
import { LrsClient } from './lrs/client.js';
import { Outbox } from './lrs/outbox.js';
import { EmbeddedStatementQuery } from './lrs/server/statement-reader.js';
import type { StatementQuery } from './lrs/statement-query.js';

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
