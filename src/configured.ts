/**
 * The parts the config names, shared by the service and the commands: the database, the
 * outbox, where statements are read, and the flusher's own LRS user. Kept apart from
 * service.ts so that a command opens them without loading the HTTP app and every platform.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from './config/index.js';
import { openDatabase, type Database } from './db/connection.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { DatabaseQueryError, DatabaseUnavailableError } from './db/errors.js';
import { CodedError } from './errors.js';
import { LrsClient } from './lrs/client.js';
import { Outbox } from './lrs/outbox.js';
import { EmbeddedStatementQuery } from './lrs/server/statement-reader.js';
import { safeUrl } from './net/net-error.js';
import type { StatementQuery } from './lrs/statement-query.js';

/**
 * The database named by the config: PostgreSQL at DATABASE_URL, else PGlite in DATA_DIR.
 * It is tried at once, so that a database that cannot be reached is said in one line
 * naming the setting, where it points (without credentials or parameters) and why.
 */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  const timeouts = { connectMs: config.databaseConnectTimeoutMs, statementMs: config.databaseStatementTimeoutMs, idleMs: config.databaseIdleTimeoutMs };
  const { databaseUrl } = config;
  if (databaseUrl === undefined) {
    return openDatabase({ dataDir: config.dataDir }, { timeouts }).catch((err: unknown) => {
      // Another process holding the folder says so itself, with what to do.
      if (err instanceof DataDirLockedError) throw err;
      throw new CodedError('unavailable', `cannot open the embedded database in DATA_DIR (${config.dataDir}): ${err instanceof Error ? err.message : String(err)}`, { field: 'DATA_DIR', cause: err });
    });
  }
  const database = await openDatabase({ url: databaseUrl }, { timeouts });
  try {
    await database.query('SELECT 1');
    return database;
  } catch (err) {
    await database.close().catch(() => undefined);
    const reason = err instanceof DatabaseQueryError ? (REFUSALS[err.sqlState ?? ''] ?? err.message) : err instanceof DatabaseUnavailableError ? err.reason : String(err);
    throw new CodedError('unavailable', `cannot reach the database of DATABASE_URL (${safeUrl(databaseUrl)}, credentials and parameters hidden): ${reason}`, { field: 'DATABASE_URL', cause: err });
  }
}

/** What the server's refusal of a connection means (PostgreSQL, Appendix A), by SQLSTATE. */
const REFUSALS: Record<string, string> = {
  '28P01': 'the password was refused',
  '28000': 'the user may not connect (pg_hba.conf or role)',
  '3D000': 'no such database',
  '42501': 'the user may not connect to this database',
};

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
