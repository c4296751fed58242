/**
 * Once per test run, in vitest's main process: the migrated PGlite template, dumped to a
 * file that every test file's workers load (support/databases.ts) instead of each file
 * paying initdb and every migration again; with TEST_DATABASE_URL, a migrated PostgreSQL
 * database that each test's new database copies; and the command line compiled from the
 * sources as the build bundles it, for the tests that start it (support/cli.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/connection.js';
import { runMigrations } from '../../src/db/migrate.js';
import { pgliteBaseFile } from '../../src/db/pglite-base.js';
import { bundleCli } from '../../scripts/build.js';
import { createPostgresDatabase } from './databases.js';
import { connected, dropDatabase } from './postgres-admin.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** File holding a dump of a fresh, migrated PGlite cluster. */
    migratedPgliteDump: string;
    /** A migrated PostgreSQL database on TEST_DATABASE_URL's server that new test databases copy; empty without one. */
    postgresTemplate: string;
    /** The bundled command line (cli.js) built from this run's sources. */
    compiledCli: string;
  }
}

/** What the run prepares: the dump's file, the template's name and the compiled CLI, and how to remove them. */
interface Prepared {
  dumpFile: string;
  template: string;
  compiledCli: string;
  remove(): Promise<void>;
}

/** Drops the databases named `<template>_...` on the server of `base`. */
async function dropCopies(base: string, template: string): Promise<void> {
  const copies = await connected(base, (admin) => admin.query<{ name: string }>(`SELECT datname AS name FROM pg_database WHERE starts_with(datname::text, $1)`, [`${template}_`]));
  for (const { name } of copies.rows) await dropDatabase(base, name);
}

async function prepare(): Promise<Prepared> {
  const base = pgliteBaseFile();
  const pglite = new PGlite(base === undefined ? {} : { loadDataDir: new Blob([await readFile(base)]) });
  await runMigrations(await openDatabase({ pglite }));
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const folder = await mkdtemp(join(tmpdir(), 'xgw-template-'));
  const dumpFile = join(folder, 'migrated.tar');
  await writeFile(dumpFile, Buffer.from(await dump.arrayBuffer()));
  const template = process.env.TEST_DATABASE_URL ? await createPostgresDatabase(process.env.TEST_DATABASE_URL) : undefined;
  // Inside the project, for the packages the bundle leaves out to resolve.
  const build = join(ROOT, 'node_modules', '.cache', 'xapi-gateway-tests', basename(folder));
  const compiledCli = await bundleCli(build);
  return {
    dumpFile,
    compiledCli,
    template: template === undefined ? '' : new URL(template.url).pathname.slice(1),
    async remove() {
      // The test databases copied from the template that tests left to reuse (reused-postgres.ts), then the template.
      if (template) await dropCopies(process.env.TEST_DATABASE_URL!, new URL(template.url).pathname.slice(1));
      await template?.drop();
      await rm(folder, { recursive: true, force: true });
      await rm(build, { recursive: true, force: true });
    },
  };
}

// vitest runs the global setup of the root and of each project (vitest.config.ts): they
// share one preparation, and the last to finish removes it.
const shared = globalThis as { xgwPrepared?: Promise<Prepared>; xgwUsers?: number };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  shared.xgwPrepared ??= prepare();
  shared.xgwUsers = (shared.xgwUsers ?? 0) + 1;
  const prepared = await shared.xgwPrepared;
  project.provide('migratedPgliteDump', prepared.dumpFile);
  project.provide('postgresTemplate', prepared.template);
  project.provide('compiledCli', prepared.compiledCli);
  return async () => {
    shared.xgwUsers! -= 1;
    if (shared.xgwUsers === 0) await prepared.remove();
  };
}
