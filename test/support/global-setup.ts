/**
 * Once per test run, in vitest's main process: the migrated PGlite template, dumped to a
 * file that every test file's workers load (support/databases.ts) instead of each file
 * paying initdb and every migration again; and with TEST_DATABASE_URL, a migrated
 * PostgreSQL database that each test's new database copies.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/connection.js';
import { runMigrations } from '../../src/db/migrate.js';
import { pgliteBase } from '../../src/db/pglite-base.js';
import { createPostgresDatabase } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** File holding a dump of a fresh, migrated PGlite cluster. */
    migratedPgliteDump: string;
    /** A migrated PostgreSQL database on TEST_DATABASE_URL's server that new test databases copy; empty without one. */
    postgresTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const base = pgliteBase();
  const pglite = new PGlite(base === undefined ? {} : { loadDataDir: base });
  await runMigrations(await openDatabase({ pglite }));
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const folder = await mkdtemp(join(tmpdir(), 'xgw-template-'));
  const file = join(folder, 'migrated.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('migratedPgliteDump', file);
  const template = process.env.TEST_DATABASE_URL ? await createPostgresDatabase(process.env.TEST_DATABASE_URL) : undefined;
  project.provide('postgresTemplate', template === undefined ? '' : new URL(template.url).pathname.slice(1));
  return async () => {
    await template?.drop();
    await rm(folder, { recursive: true, force: true });
  };
}
