/**
 * The database connection: node-postgres when DATABASE_URL is set, PGlite in DATA_DIR
 * otherwise. Both are exposed through one `Database` so that every module runs on
 * either; the hot paths (outbox COPY, SKIP LOCKED claims) use `SqlSession`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import * as schema from './schema.js';
import { lockDataDir } from './data-dir-lock.js';

/** Drizzle over either driver. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

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
  close(): Promise<void>;
}

/** Where to connect: a PostgreSQL URL, a PGlite folder, or an existing PGlite. */
export type DatabaseTarget = { url: string } | { dataDir: string } | { pglite: PGlite };

// pg returns int8 and numeric as strings; counts here fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Opens the database named by `target`. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ('url' in target) return openPostgres(target.url);
  if ('dataDir' in target) {
    // PGlite creates only the last path component.
    mkdirSync(target.dataDir, { recursive: true });
    // One owner per folder: a second process would work on its own copy (data-dir-lock.ts).
    const lock = lockDataDir(target.dataDir);
    try {
      const pglite = new PGlite(join(target.dataDir, 'pglite'));
      await pglite.waitReady;
      const database = wrapPglite(pglite);
      return { ...database, close: () => database.close().finally(() => lock.release()) };
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  return wrapPglite(target.pglite);
}

function openPostgres(url: string): Database {
  // No JIT: the service runs short OLTP queries, and PostgreSQL's estimate of the walk
  // along StatementRefs (Communication §2.1.3) made it JIT-compile a 13 ms query for 200 ms.
  const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c jit=off' });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined);
  const sessionOf = (client: pg.PoolClient | pg.Pool): SqlSession => ({
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
  return {
    kind: 'postgres',
    db: drizzlePg(pool, { schema }) as unknown as Db,
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
    close: () => pool.end(),
  };
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
    client.release(broken && isConnectionError(broken) ? broken : undefined);
  }
}

function isConnectionError(err: Error): boolean {
  return !('severity' in err);
}

function wrapPglite(pglite: PGlite): Database {
  type Queryable = Pick<PGlite, 'query'>;
  const sessionOf = (q: Queryable): SqlSession => ({
    async query<T>(text: string, params?: unknown[]) {
      const r = await q.query<T>(text, params);
      return { rows: r.rows, affected: r.affectedRows ?? 0 };
    },
    async copyIn(target: string, data: string) {
      await q.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: new Blob([data]) });
    },
  });
  const own = sessionOf(pglite);
  return {
    kind: 'pglite',
    db: drizzlePglite(pglite, { schema }) as unknown as Db,
    query: own.query,
    copyIn: own.copyIn,
    transaction: (fn) => pglite.transaction((tx) => fn(sessionOf(tx))),
    withAdvisoryLock: async (_key, fn) => ({ ran: true, value: await fn() }),
    close: () => pglite.close(),
  };
}
