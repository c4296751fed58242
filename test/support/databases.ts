/**
 * Fresh, migrated databases for tests: a PGlite loaded from the run's migrated dump (or an
 * earlier test's, reset: reused-pglite.ts) always, and with TEST_DATABASE_URL a PostgreSQL
 * database copied from the run's migrated template (global-setup.ts), or an earlier test's,
 * reset (reused-postgres.ts). Contract
 * suites run once per entry of `DATABASE_KINDS`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { unpackClusterDump } from '../../src/db/cluster-archive.js';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { runMigrations } from '../../src/db/migrate.js';
import { connected, dropDatabase } from './postgres-admin.js';
import { leasePglite } from './reused-pglite.js';
import { leasePostgres } from './reused-postgres.js';

/** The database kinds a contract suite runs on here. */
export const DATABASE_KINDS: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A database for one test, with the URL other processes can open (PostgreSQL only). */
export interface TestDatabase {
  database: Database;
  url?: string;
  drop(): Promise<void>;
}

let templateDump: Promise<Blob> | undefined;

/** The run's dump of a migrated cluster (global-setup.ts). */
function migratedDump(): Promise<Blob> {
  templateDump ??= readFile(inject('migratedPgliteDump')).then((bytes) => new Blob([bytes]));
  return templateDump;
}

/** The run's migrated PostgreSQL database (global-setup.ts); undefined outside a test run, as in the benchmarks. */
function postgresTemplate(): string | undefined {
  try {
    return inject('postgresTemplate') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A new DATA_DIR holding a migrated PGlite database, for a child process to open; the
 * caller removes it. The dump is unpacked as a first start unpacks the shipped cluster.
 */
export async function pgliteDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xgw-data-'));
  // The folder layout of openDatabase({ dataDir }).
  await mkdir(join(dir, 'pglite'), { mode: 0o700 });
  await unpackClusterDump(inject('migratedPgliteDump'), join(dir, 'pglite'));
  return dir;
}

/**
 * The settings of a fresh, migrated database of `kind` as the CLI and the service read
 * them (`DATA_DIR` of a PGlite folder, or `DATABASE_URL`), and how to drop it.
 */
export async function freshDatabaseSettings(kind: 'pglite' | 'postgres'): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (kind === 'postgres') {
    const { url, release } = await leasePostgres(() => createPostgresDatabase());
    return { env: { DATABASE_URL: url }, drop: release };
  }
  const dir = await pgliteDataDir();
  return { env: { DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
}

/** A new PostgreSQL database on the server of `base`, migrated unless `migrated` is false (for migration tests); returns its URL. */
export async function createPostgresDatabase(base = process.env.TEST_DATABASE_URL, migrated = true): Promise<{ url: string; drop(): Promise<void> }> {
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  // Named after the run's template, so that the run's end drops what is left (global-setup.ts).
  const name = `${postgresTemplate() ?? 'xgw_test'}_${randomBytes(6).toString('hex')}`;
  // A copy of the run's migrated database takes a tenth of the time of migrating a new one.
  const template = migrated && base === process.env.TEST_DATABASE_URL ? postgresTemplate() : undefined;
  await connected(base, (admin) => admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  if (migrated && !template) {
    const db = await openDatabase({ url: url.toString() });
    await runMigrations(db);
    await db.close();
  }
  return {
    url: url.toString(),
    async drop() {
      await dropDatabase(base, name);
    },
  };
}

/**
 * A test's PGlite emptied to what initdb leaves (an empty public schema, no migrations
 * applied), for migrations to run on: a PGlite made by initdb takes 2-3 s here.
 */
export async function emptyPglite(): Promise<TestDatabase> {
  const t = await freshDatabase('pglite');
  for (const sql of ['DROP SCHEMA drizzle CASCADE', 'DROP SCHEMA public CASCADE', 'CREATE SCHEMA public']) await t.database.query(sql);
  return t;
}

/** A fresh migrated database of `kind`. */
export async function freshDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const { pglite, release } = await leasePglite(migratedDump);
    return { database: await openDatabase({ pglite }), drop: release };
  }
  const lease = await leasePostgres(() => createPostgresDatabase());
  const database = await openDatabase({ url: lease.url });
  return {
    database,
    url: lease.url,
    async drop() {
      await database.close();
      await lease.release();
    },
  };
}
