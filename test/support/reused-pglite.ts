/**
 * Migrated PGlite databases handed out one test at a time and reused by the later tests of
 * the same module graph (a file's, or a worker's where files share it: vitest.config.ts).
 * Loading the migrated dump costs about a second of CPU; putting a dropped database back
 * to the migrated state (every table emptied, identities restarted, planner statistics
 * and session settings forgotten) costs a few milliseconds. A database whose schema a
 * test changed, or that cannot be reset, is closed instead of reused.
 */
import { PGlite } from '@electric-sql/pglite';
import { FINGERPRINT, readMigratedState, restartingSequences } from './migrated-state.js';

/** Databases of earlier tests that were dropped and reset, ready for the next. */
const idle: PGlite[] = [];

/** The migrated schema's fingerprint and the statements that put a database back to it, read once. */
let migrated: Promise<{ fingerprint: string; emptying: string }> | undefined;

const query = (pglite: PGlite) => (text: string) => pglite.query<Record<string, string>>(text);

async function readMigrated(pglite: PGlite): Promise<{ fingerprint: string; emptying: string }> {
  const state = await readMigratedState(query(pglite));
  const emptying = `
    TRUNCATE ${state.tables.join(', ')} RESTART IDENTITY CASCADE;
    ${restartingSequences(state)}
    DELETE FROM pg_statistic WHERE starelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace);`;
  return { fingerprint: state.fingerprint, emptying };
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
  let released: Promise<void> | undefined;
  return {
    pglite: lease.view,
    // Once: a second release must not hand the database to two later tests.
    release: () =>
      (released ??= (async () => {
        lease.end();
        if (!pglite.closed && (await reset(pglite))) idle.push(pglite);
        else await pglite.close().catch(() => undefined);
      })()),
  };
}

/** Puts `pglite` back to the migrated state; false when its schema is no longer the migrated one. */
async function reset(pglite: PGlite): Promise<boolean> {
  try {
    const schema = await migrated!;
    // A transaction a test left open would hold everything below.
    await pglite.exec('ROLLBACK').catch(() => undefined);
    if ((await pglite.query<{ fingerprint: string }>(FINGERPRINT)).rows[0]!.fingerprint !== schema.fingerprint) return false;
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
