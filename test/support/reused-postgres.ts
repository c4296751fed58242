/**
 * PostgreSQL test databases, copied from the run's migrated template and reused by the
 * later tests of the same module graph, as reused-pglite.ts does for PGlite. Copying the
 * template takes about 0.2 s of the server's time; putting a dropped database back to the
 * migrated state takes a few milliseconds: its sessions ended and the database renamed,
 * so that a pool or process the test left behind cannot reach the next test's data (it
 * finds no database, as after a drop), every row deleted with foreign keys off (TRUNCATE
 * of the same tables takes 0.3 s on a durable server: it makes and syncs new files),
 * sequences restarted and planner statistics forgotten. A database whose schema a test changed, or that cannot be reset
 * (a role that may not rename or turn foreign keys off), is dropped instead. What is
 * left at the end of the run, global-setup.ts drops.
 */
import pg from 'pg';
import { FINGERPRINT, readMigratedState, restartingSequences } from './migrated-state.js';
import { connected, dropDatabase } from './postgres-admin.js';

interface Created {
  url: string;
  drop(): Promise<unknown>;
}

/** Databases of earlier tests that were dropped and reset, ready for the next. */
const idle: Created[] = [];

/** The migrated schema's fingerprint and the statements that put a database back to it, read from the first database. */
let migrated: Promise<{ fingerprint: string; emptying: string }> | undefined;

async function readMigrated(url: string): Promise<{ fingerprint: string; emptying: string }> {
  const state = await connected(url, (client) => readMigratedState((text) => client.query(text)));
  const emptying = `
    BEGIN;
    SET LOCAL session_replication_role = replica;
    ${state.tables.map((name) => `DELETE FROM ${name};`).join('\n')}
    ${restartingSequences(state)}
    DELETE FROM pg_statistic WHERE starelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace);
    COMMIT;`;
  return { fingerprint: state.fingerprint, emptying };
}

/** A migrated PostgreSQL database for one test: a reset one of an earlier test, or a new copy from `create`. */
export async function leasePostgres(create: () => Promise<Created>): Promise<{ url: string; release(): Promise<void> }> {
  const database = idle.pop() ?? (await create());
  migrated ??= readMigrated(database.url);
  await migrated;
  let released: Promise<void> | undefined;
  return {
    url: database.url,
    // Once: a second release must not hand the database to two later tests.
    release: () =>
      (released ??= (async () => {
        const renamed = await reset(database.url);
        if (renamed) {
          const { admin, name } = maintenance(renamed);
          idle.push({ url: renamed, drop: () => dropDatabase(admin, name) });
        } else await database.drop().catch(() => undefined);
      })()),
  };
}

/** The database of `url` by name, and the run's own database (TEST_DATABASE_URL) to rename or drop it from. */
function maintenance(url: string): { admin: string; name: string } {
  return { admin: process.env.TEST_DATABASE_URL!, name: decodeURIComponent(new URL(url).pathname.slice(1)) };
}

/** Ends the sessions of database `name` and renames it, retrying while they are still leaving. */
async function renameAway(client: pg.Client, name: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    try {
      await client.query(`ALTER DATABASE "${name}" RENAME TO "${to}"`);
      return;
    } catch (err) {
      // 55006: a terminated session has not left yet
      if ((err as { code?: string }).code !== '55006' || attempt === 100) throw err;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * Puts the database of `url` back to the migrated state under a new name, and gives its
 * URL; undefined when its schema is no longer the migrated one or it cannot be reset.
 */
async function reset(url: string): Promise<string | undefined> {
  try {
    const schema = await migrated!;
    const { admin, name } = maintenance(url);
    const to = `${name.replace(/_r\d+$/, '')}_r${++renames}`;
    await connected(admin, (client) => renameAway(client, name, to));
    const next = new URL(url);
    next.pathname = `/${to}`;
    const ok = await connected(next.toString(), async (client) => {
      if ((await client.query<{ fingerprint: string }>(FINGERPRINT)).rows[0]!.fingerprint !== schema.fingerprint) return false;
      await client.query(schema.emptying);
      return true;
    });
    if (ok) return next.toString();
    await dropDatabase(admin, to);
    return undefined;
  } catch {
    return undefined;
  }
}

/** Renames so far in this module graph, to give each lease a name of its own. */
let renames = 0;
