/**
 * A migrated database that child processes (the real CLI or service) open by its
 * settings: the PostgreSQL test database itself, or a PGlite DATA_DIR, which only one
 * process at a time may hold open.
 */
import { rm } from 'node:fs/promises';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { pgliteDataDir, type TestDatabase } from './databases.js';

/** The settings a child needs, how the test opens it between children, and its removal. */
export interface ChildDatabase {
  env: Record<string, string>;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

/** For `postgres`, the database of `t`; for `pglite`, a new DATA_DIR (`t` serves in process only). */
export async function childDatabase(kind: 'pglite' | 'postgres', t: TestDatabase): Promise<ChildDatabase> {
  if (kind === 'postgres') {
    return { env: { DATABASE_URL: t.url! }, open: () => openDatabase({ url: t.url! }), cleanup: async () => undefined };
  }
  const dir = await pgliteDataDir();
  return { env: { DATA_DIR: dir }, open: () => openDatabase({ dataDir: dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs `fn` on the database opened for it, then closes it (a PGlite DATA_DIR is free again after). */
export async function withDatabase<T>(location: ChildDatabase, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await location.open();
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
