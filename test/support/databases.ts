/**
 * Fresh, migrated databases for tests: a clone of a migrated PGlite template always,
 * and a new PostgreSQL database when TEST_DATABASE_URL is set. Contract suites run
 * once per entry of `DATABASE_KINDS`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { runMigrations } from '../../src/db/migrate.js';

/** The database kinds a contract suite runs on here. */
export const DATABASE_KINDS: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A database for one test, with the URL other processes can open (PostgreSQL only). */
export interface TestDatabase {
  database: Database;
  url?: string;
  drop(): Promise<void>;
}

let template: Promise<PGlite> | undefined;

async function pgliteTemplate(): Promise<PGlite> {
  template ??= (async () => {
    const pglite = new PGlite();
    const db = await openDatabase({ pglite });
    await runMigrations(db);
    return pglite;
  })();
  return template;
}

let templateDump: Promise<Blob> | undefined;

/**
 * A new DATA_DIR holding a migrated PGlite database, for a child process to open; the
 * caller removes it. Loaded from a dump of the template: a third of the time of a new one.
 */
export async function pgliteDataDir(): Promise<string> {
  templateDump ??= pgliteTemplate().then((p) => p.dumpDataDir('none'));
  const dir = await mkdtemp(join(tmpdir(), 'xgw-data-'));
  // The folder layout of openDatabase({ dataDir }).
  const pglite = new PGlite(join(dir, 'pglite'), { loadDataDir: await templateDump });
  await pglite.waitReady;
  await pglite.close();
  return dir;
}

/** A new migrated PostgreSQL database on the server of `base`; returns its URL. */
export async function createPostgresDatabase(base = process.env.TEST_DATABASE_URL): Promise<{ url: string; drop(): Promise<void> }> {
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `xgw_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  await runMigrations(db);
  await db.close();
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh migrated database of `kind`. */
export async function freshDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const clone = (await (await pgliteTemplate()).clone()) as PGlite;
    const database = await openDatabase({ pglite: clone });
    return { database, drop: () => database.close() };
  }
  const created = await createPostgresDatabase();
  const database = await openDatabase({ url: created.url });
  return {
    database,
    url: created.url,
    async drop() {
      await database.close();
      await created.drop();
    },
  };
}
