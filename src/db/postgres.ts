/**
 * PostgreSQL through node-postgres, for a DATABASE_URL. Loaded only when one is set: the
 * embedded default does not pay for the driver at start.
 */
import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database, DatabaseTimeouts, Db, SqlSession } from './connection.js';
import { isUnavailable } from './errors.js';
import { guardDatabase, guardSession } from './guard.js';

// pg returns int8 and numeric as strings; counts here fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

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

export function openPostgres(url: string, timeouts: DatabaseTimeouts | undefined): Database {
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

