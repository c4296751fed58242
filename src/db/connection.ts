/**
 * The database connection: node-postgres when DATABASE_URL is set, PGlite in DATA_DIR
 * otherwise. Both are exposed through one `Database` so that every module runs on
 * either; the hot paths (outbox COPY, SKIP LOCKED claims) use `SqlSession`. Every error
 * they raise is a safe one of `./errors.ts`: never the driver's, which carries the values.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { guarded, isUnavailable } from './errors.js';
import { lockDataDir } from './data-dir-lock.js';
import { pgliteBase } from './pglite-base.js';

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

// pg returns int8 and numeric as strings; counts here fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Opens the database named by `target`. */
export async function openDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): Promise<Database> {
  if ('url' in target) return openPostgres(target.url, options.timeouts);
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

// PGlite's default 128 MB of shared buffers stay resident in its WASM heap; the embedded
// database serves one process, where 32 MB hold the hot outbox and LRS pages (measured:
// idle RSS 384 -> 254 MB, no gain below 32 MB).
export const PGLITE_OPTIONS: PGliteOptions = { postgresqlconf: 'shared_buffers=32MB' };

/**
 * PGlite in `folder`. A new cluster is unpacked from the one the build ships
 * (pglite-base.ts); without it, or when it does not start, it is created by initdb,
 * which grows the WASM heap to ~0.8 GB and never gives it back, so the created
 * cluster is then started a second time, holding less than half of that.
 */
async function startPglite(folder: string, given: Blob | undefined): Promise<PGlite> {
  if (existsSync(join(folder, 'PG_VERSION'))) return readyPglite(folder, PGLITE_OPTIONS);
  // Read only for a new folder: a restart does not load the 5 MB dump.
  const base = given ?? pgliteBase();
  if (base !== undefined) {
    try {
      return await readyPglite(folder, { ...PGLITE_OPTIONS, loadDataDir: base });
    } catch {
      // A dump this PGlite cannot start: create the cluster instead, in an empty folder.
      rmSync(folder, { recursive: true, force: true });
    }
  }
  await (await readyPglite(folder, PGLITE_OPTIONS)).close();
  return readyPglite(folder, PGLITE_OPTIONS);
}

async function readyPglite(folder: string, options: PGliteOptions): Promise<PGlite> {
  const pglite = new PGlite(folder, options);
  await pglite.waitReady;
  return pglite;
}

/** Pool settings of `timeouts`: without them a refused or frozen database hangs requests. */
function poolBounds(t: DatabaseTimeouts | undefined): pg.PoolConfig {
  if (t === undefined) return {};
  return {
    connectionTimeoutMillis: t.connectMs,
    idleTimeoutMillis: t.idleMs,
    idle_in_transaction_session_timeout: t.idleMs,
    // The server cancels a slow statement; the client gives up on a connection that
    // answers nothing at all (a frozen network), a little later than the server would.
    ...(t.statementMs > 0 && { statement_timeout: t.statementMs, query_timeout: t.statementMs + t.connectMs }),
  };
}

function openPostgres(url: string, timeouts: DatabaseTimeouts | undefined): Database {
  // No JIT: the service runs short OLTP queries, and PostgreSQL's estimate of the walk
  // along StatementRefs (Communication §2.1.3) made it JIT-compile a 13 ms query for 200 ms.
  const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c jit=off', keepAlive: true, ...poolBounds(timeouts) });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined);
  const sessionOf = (client: pg.PoolClient | pg.Pool): SqlSession => guardSession({
    async query<T>(text: string, params?: unknown[]) {
      const r = await client.query(text, params as unknown[]);
      return { rows: r.rows as T[], affected: r.rowCount ?? 0 };
    },
    async copyIn(target: string, data: string) {
      if (!('release' in client)) throw new Error('copyIn needs a transaction session');
      await new Promise<void>((resolve, reject) => {
        const stream = client.query(copyFrom(`COPY ${target} FROM STDIN`));
        stream.on('error', reject);
        stream.on('finish', resolve);
        stream.end(data);
      });
    },
  });
  const poolSession = sessionOf(pool);
  return guardDatabase({
    kind: 'postgres',
    timeouts,
    db: drizzlePg(pool) as unknown as Db,
    query: poolSession.query,
    copyIn: (target, data) => withClient(pool, (c) => sessionOf(c).copyIn(target, data)),
    transaction: (fn) =>
      withClient(pool, async (client) => {
        await client.query('BEGIN');
        try {
          const value = await fn(sessionOf(client));
          await client.query('COMMIT');
          return value;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    withAdvisoryLock: (key, fn, opts) =>
      withClient(pool, async (client) => {
        if (opts?.wait === false) {
          const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]);
          if (!r.rows[0]?.ok) return { ran: false as const };
        } else {
          await client.query('SELECT pg_advisory_lock($1)', [key]);
        }
        try {
          return { ran: true as const, value: await fn() };
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
        }
      }),
    async unbounded(fn) {
      if (!timeouts?.statementMs) return fn(this);
      const other = openPostgres(url, { ...timeouts, statementMs: 0 });
      try {
        return await fn(other);
      } finally {
        await other.close();
      }
    },
    close: () => pool.end(),
  });
}

async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await fn(client);
  } catch (err) {
    broken = err instanceof Error ? err : undefined;
    throw err;
  } finally {
    // A client whose connection failed is discarded, not returned to the pool.
    client.release(broken && isUnavailable(broken) ? broken : undefined);
  }
}

function wrapPglite(pglite: PGlite): Database {
  type Queryable = Pick<PGlite, 'query'>;
  const sessionOf = (q: Queryable): SqlSession => guardSession({
    async query<T>(text: string, params?: unknown[]) {
      const r = await q.query<T>(text, params);
      return { rows: r.rows, affected: r.affectedRows ?? 0 };
    },
    async copyIn(target: string, data: string) {
      await q.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: new Blob([data]) });
    },
  });
  const own = sessionOf(pglite);
  return guardDatabase({
    kind: 'pglite',
    timeouts: undefined,
    db: drizzlePglite(pglite) as unknown as Db,
    query: own.query,
    copyIn: own.copyIn,
    transaction: (fn) => pglite.transaction((tx) => fn(sessionOf(tx))),
    withAdvisoryLock: async (_key, fn) => ({ ran: true, value: await fn() }),
    unbounded(fn) {
      return fn(this);
    },
    close: () => pglite.close(),
  });
}

/** `session` raising safe database errors. */
function guardSession(session: SqlSession): SqlSession {
  return {
    query: (text, params) => guarded(() => session.query(text, params)),
    copyIn: (target, data) => guarded(() => session.copyIn(target, data)),
  };
}

/** The drizzle session's members that run SQL: patched so that they raise safe errors. */
interface DrizzleSession {
  prepareQuery(...args: unknown[]): { execute(...args: unknown[]): Promise<unknown>; all(...args: unknown[]): Promise<unknown> };
  transaction(...args: unknown[]): Promise<unknown>;
}

/**
 * `database` raising safe database errors from every method and every drizzle query.
 * Drizzle's query builders all prepare their SQL through the one session of `db`, and
 * wrap the driver's error with the parameters in its message: that is where to catch.
 */
function guardDatabase(database: Database): Database {
  const session = (database.db as unknown as { session: DrizzleSession }).session;
  const prepare = session.prepareQuery.bind(session);
  session.prepareQuery = (...args) => {
    const prepared = prepare(...args);
    const { execute, all } = prepared;
    prepared.execute = (...a) => guarded(() => execute.apply(prepared, a));
    prepared.all = (...a) => guarded(() => all.apply(prepared, a));
    return prepared;
  };
  const transaction = session.transaction.bind(session);
  session.transaction = (...args) => guarded(() => transaction(...args));
  return {
    ...database,
    ...guardSession(database),
    transaction: (fn) => guarded(() => database.transaction(fn)),
    withAdvisoryLock: (key, fn, opts) => guarded(() => database.withAdvisoryLock(key, fn, opts)),
  };
}
