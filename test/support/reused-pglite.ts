/**
 * Migrated PGlite databases handed out one test at a time and reused by the later tests of
 * the same module graph (a file's, or a worker's where files share it: vitest.config.ts).
 * Loading the migrated dump costs about a second of CPU; putting a dropped database back
 * to the migrated state (every table emptied, identities restarted, planner statistics
 * and session settings forgotten) costs a few milliseconds. A database whose schema a
 * test changed, or that cannot be reset, is closed instead of reused.
 */
import { PGlite } from '@electric-sql/pglite';

/** Databases of earlier tests that were dropped and reset, ready for the next. */
const idle: PGlite[] = [];

/** The migrated schema's fingerprint and the statements that put a database back to it, read once. */
let migrated: Promise<{ fingerprint: string; emptying: string }> | undefined;

const FINGERPRINT = `
  SELECT md5(coalesce(string_agg(item, ',' ORDER BY item), '')) AS fingerprint FROM (
    SELECT c.relname || ':' || c.relkind::text || ':' || c.relnatts::text || ':' || coalesce(pg_get_indexdef(i.indexrelid), '') AS item
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
    UNION ALL SELECT conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT tgname FROM pg_trigger WHERE NOT tgisinternal
  ) items`;

async function fingerprintOf(pglite: PGlite): Promise<string> {
  return (await pglite.query<{ fingerprint: string }>(FINGERPRINT)).rows[0]!.fingerprint;
}

async function readMigrated(pglite: PGlite): Promise<{ fingerprint: string; emptying: string }> {
  const [fingerprint, tables, sequences] = await Promise.all([
    fingerprintOf(pglite),
    pglite.query<{ name: string }>(`SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = 'public'`),
    pglite.query<{ name: string }>(`SELECT format('%I.%I', schemaname, sequencename) AS name FROM pg_sequences WHERE schemaname = 'public'`),
  ]);
  const emptying = `
    TRUNCATE ${tables.rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE;
    ${sequences.rows.map((r) => `ALTER SEQUENCE ${r.name} RESTART;`).join('\n')}
    DELETE FROM pg_statistic WHERE starelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace);`;
  return { fingerprint, emptying };
}

/** A migrated PGlite for one test: a reset one of an earlier test, or one loaded from `dump`. */
export async function leasePglite(dump: () => Promise<Blob>): Promise<{ pglite: PGlite; release(): Promise<void> }> {
  let pglite = idle.pop();
  if (pglite === undefined) {
    pglite = await PGlite.create({ loadDataDir: await dump() });
    migrated ??= readMigrated(pglite);
    await migrated;
  }
  const lease = leased(pglite);
  return {
    pglite: lease.view,
    async release() {
      lease.end();
      if (!pglite.closed && (await reset(pglite))) idle.push(pglite);
      else await pglite.close().catch(() => undefined);
    },
  };
}

/** Puts `pglite` back to the migrated state; false when its schema is no longer the migrated one. */
async function reset(pglite: PGlite): Promise<boolean> {
  try {
    const schema = await migrated!;
    // A transaction a test left open would hold everything below.
    await pglite.exec('ROLLBACK').catch(() => undefined);
    if ((await fingerprintOf(pglite)) !== schema.fingerprint) return false;
    await pglite.exec(schema.emptying);
    // Not in a transaction block, which the statements above share.
    await pglite.exec('DISCARD ALL');
    return true;
  } catch {
    return false;
  }
}

/**
 * `pglite` as one test sees it: once the test drops its database, its calls fail as on a
 * closed database, so that work a test left running cannot reach the next test's data.
 * Closing it ends the lease without closing the database beneath.
 */
function leased(pglite: PGlite): { view: PGlite; end(): void } {
  let ended = false;
  const view = new Proxy(pglite, {
    get(target, prop) {
      if (prop === 'closed') return ended || target.closed;
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'close') {
        return async () => {
          ended = true;
        };
      }
      return (...args: unknown[]) => {
        // As PGlite itself says it, so that the service sees a closed database.
        if (ended) return Promise.reject(new Error('PGlite is closed'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { view, end: () => void (ended = true) };
}
