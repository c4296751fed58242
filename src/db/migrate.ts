/**
 * Applies the committed SQL migrations. On PostgreSQL they run under an advisory lock,
 * because drizzle's migrator takes none and several instances may start at once.
 */
import { join } from 'node:path';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database } from './connection.js';
import { PACKAGE_ROOT } from '../package-root.js';

/** The committed migrations, shipped at the root of the package. */
export const MIGRATIONS_FOLDER = join(PACKAGE_ROOT, 'migrations');

/** Advisory lock key of the migration step ("xgw-mig" in ASCII). */
const MIGRATION_LOCK = 0x7867772d6d6967 % 2 ** 31;

/** Brings the schema up to date; safe to call from many instances at once. */
export async function runMigrations(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, config);
    return;
  }
  // A migration of a large table, or waiting for another instance's, may outlast the statement timeout.
  await database.unbounded((db) =>
    db.withAdvisoryLock(MIGRATION_LOCK, () => migratePg(db.db as unknown as NodePgDatabase, config)),
  );
}
