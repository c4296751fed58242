/** A fresh, migrated PostgreSQL database for one benchmark step, dropped after it. */
import { openDatabase, type Database } from '../src/db/connection.js';
import { runMigrations } from '../src/db/migrate.js';
import { createPostgresDatabase } from '../test/support/databases.js';
import { BENCH_DATABASE_URL } from './lrs-process.js';

/**
 * Runs `fn` on a new migrated database on BENCH_DATABASE_URL's server, then drops it.
 * @example const figures = await withBenchDatabase(async (database) => ...);
 */
export async function withBenchDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const created = await createPostgresDatabase(BENCH_DATABASE_URL);
  const database = await openDatabase({ url: created.url });
  try {
    await runMigrations(database);
    return await fn(database);
  } finally {
    await database.close();
    await created.drop();
  }
}
