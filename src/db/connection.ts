/**
 * The database connection: node-postgres when DATABASE_URL is set (postgres.ts), PGlite in DATA_DIR
 * otherwise (pglite.ts). Both are exposed through one `Database` so that every module runs on
 * either; the hot paths (outbox COPY, SKIP LOCKED claims) use `SqlSession`. Every error
 * they raise is a safe one of `./errors.ts`: never the driver's, which carries the values.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { lockDataDir } from './data-dir-lock.js';

/**
 * Drizzle over either driver, without relational queries: each module queries its own
 * tables, from its own schema file, so the connection knows none of them.
 */
export type Db = PgDatabase<PgQueryResultHKT>;

/** Rows and affected count of one SQL statement. */
export interface SqlResult<T> {
  rows: T[];
  affected: number;
}

/** One connection (or transaction) on which raw SQL and COPY run in order. */
export interface SqlSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<SqlResult<T>>;
  /** Runs `COPY <target> FROM STDIN` with `data` in COPY text format. */
  copyIn(target: string, data: string): Promise<void>;
}

/** The database, whichever driver serves it. */
export interface Database extends SqlSession {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  /** Runs `fn` in one transaction on one connection. */
  transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding a PostgreSQL session advisory lock; with `wait: false`
   * returns `{ ran: false }` at once when another session holds it. PGlite serves one
   * process, so there the lock is always free.
   */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>, opts?: { wait?: boolean }): Promise<{ ran: true; value: T } | { ran: false }>;
  /**
   * Runs `fn` on a second handle to the same database without the statement timeout,
   * for work that may rightly run long (migrations, and waiting for their lock).
   */
  unbounded<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  /** The bounds the connections were opened with; undefined = none (PGlite, tests). */
  readonly timeouts: DatabaseTimeouts | undefined;
  close(): Promise<void>;
}

/** Time bounds of PostgreSQL connections, in ms. */
export interface DatabaseTimeouts {
  /** Connecting, or waiting for a free pooled connection. */
  connectMs: number;
  /** One statement, on the server and (plus `connectMs`, for a frozen connection) in the client; 0 = none. */
  statementMs: number;
  /** A session idle in a transaction is ended by the server; an idle pooled connection is closed. */
  idleMs: number;
}

/** How to open the database. */
export interface DatabaseOptions {
  timeouts?: DatabaseTimeouts;
  /** PGlite: the cluster a new data folder is unpacked from; default the one the build ships. */
  pgliteBase?: Blob;
}

/** Where to connect: a PostgreSQL URL, a PGlite folder, or an existing PGlite. */
export type DatabaseTarget = { url: string } | { dataDir: string } | { pglite: PGlite };

/** Opens the database named by `target`; only the driver it needs is loaded. */
export async function openDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): Promise<Database> {
  if ('url' in target) return (await import('./postgres.js')).openPostgres(target.url, options.timeouts);
  const { startPglite, wrapPglite } = await import('./pglite.js');
  if ('dataDir' in target) {
    // PGlite creates only the last path component.
    mkdirSync(target.dataDir, { recursive: true });
    // One owner per folder: a second process would work on its own copy (data-dir-lock.ts).
    const lock = lockDataDir(target.dataDir);
    try {
      const pglite = await startPglite(join(target.dataDir, 'pglite'), options.pgliteBase);
      const database = wrapPglite(pglite);
      return { ...database, close: () => database.close().finally(() => lock.release()) };
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  return wrapPglite(target.pglite);
}
