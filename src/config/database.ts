/** Settings of the database: PostgreSQL at DATABASE_URL, else PGlite in DATA_DIR. */
import { setting, type SectionOf } from './setting.js';
import { integer, path, postgresUrl } from './values.js';

/** The database's settings. */
export const DATABASE_SETTINGS = [
  setting({
    key: 'databaseUrl', variable: 'DATABASE_URL', fallback: undefined, secret: 'url-password',
    description: 'PostgreSQL URL; unset = embedded PGlite in DATA_DIR', schema: postgresUrl.optional(),
  }),
  setting({ key: 'dataDir', variable: 'DATA_DIR', fallback: './data', description: 'folder of the embedded database and downloads', schema: path }),
  setting({
    key: 'databaseConnectTimeoutMs', variable: 'DATABASE_CONNECT_TIMEOUT_MS', fallback: '5000',
    description: 'PostgreSQL: longest wait for a connection, in ms; also how long /health waits for the database', schema: integer(100, 600000),
  }),
  setting({
    key: 'databaseStatementTimeoutMs', variable: 'DATABASE_STATEMENT_TIMEOUT_MS', fallback: '30000',
    description: 'PostgreSQL: longest statement, in ms (migrations are exempt); a connection silent this long plus the connect timeout is given up (0 = no limit)',
    schema: integer(0, 3600000),
  }),
  setting({
    key: 'databaseIdleTimeoutMs', variable: 'DATABASE_IDLE_TIMEOUT_MS', fallback: '60000',
    description: 'PostgreSQL: a session idle in a transaction this long is ended, and an idle pooled connection closed, in ms', schema: integer(1000, 3600000),
  }),
] as const;

/** The database's settings, read. */
export type DatabaseConfig = SectionOf<typeof DATABASE_SETTINGS>;
