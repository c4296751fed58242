/**
 * Applies the committed SQL migrations. On PostgreSQL they run under an advisory lock,
 * because drizzle's migrator takes none and several instances may start at once.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database } from './connection.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { ADVISORY_LOCKS } from './advisory-locks.js';

/** The committed migrations, shipped at the root of the package. */
export const MIGRATIONS_FOLDER = join(PACKAGE_ROOT, 'migrations');

/** Brings the schema up to date; safe to call from many instances at once. */
export async function runMigrations(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, config);
    return;
  }
  // A migration of a large table, or waiting for another instance's, may outlast the statement timeout.
  await database.unbounded((db) =>
    db.withAdvisoryLock(ADVISORY_LOCKS.migrations, () => migratePg(db.db as unknown as NodePgDatabase, config)),
  );
}

/**
 * The tags of committed migrations this database has not applied, oldest first: drizzle
 * records each applied one with its journal time, and applies those newer than the last.
 * @example if ((await pendingMigrations(database)).length > 0) console.error('run the migrations');
 */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  const { rows: [table] } = await database.query<{ name: string | null }>(`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS name`);
  const last = table?.name
    ? Number((await database.query<{ last: string | null }>('SELECT max(created_at)::text AS last FROM drizzle.__drizzle_migrations')).rows[0]?.last ?? 0)
    : 0;
  return journal.entries.filter((e) => e.when > last).map((e) => e.tag);
}
