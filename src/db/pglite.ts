/**
 * The embedded database: PGlite in a folder of DATA_DIR, or one a caller opened. Loaded only
 * without a DATABASE_URL.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { Database, Db, SqlSession } from './connection.js';
import { guardDatabase, guardSession } from './guard.js';
import { unpackClusterDump } from './cluster-archive.js';
import { pgliteBaseFile } from './pglite-base.js';

// PGlite's default 128 MB of shared buffers stay resident in its WASM heap; the embedded
// database serves one process, where 32 MB hold the hot outbox and LRS pages (measured:
// idle RSS 384 -> 254 MB, no gain below 32 MB).
export const PGLITE_OPTIONS: PGliteOptions = { postgresqlconf: 'shared_buffers=32MB' };

/**
 * PGlite in `folder`. A new cluster is unpacked from the one the build ships
 * (pglite-base.ts, cluster-archive.ts); without it, or when it does not start, it is created
 * by initdb, which grows the WASM heap to ~0.8 GB and never gives it back, so the created
 * cluster is then started a second time, holding less than half of that.
 */
export async function startPglite(folder: string, given: Blob | undefined): Promise<PGlite> {
  if (existsSync(join(folder, 'PG_VERSION'))) return readyPglite(folder, PGLITE_OPTIONS);
  const base = given ?? pgliteBaseFile();
  if (base !== undefined) {
    try {
      await unpackClusterDump(base, folder);
      return await readyPglite(folder, PGLITE_OPTIONS);
    } catch {
      // A dump this PGlite cannot read or start: create the cluster instead, in an empty folder.
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

/** `pglite` as a `Database`: one connection, so transactions queue and the advisory lock is always free. */
export function wrapPglite(pglite: PGlite): Database {
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
