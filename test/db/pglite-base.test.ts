import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { MIGRATIONS_FOLDER } from '../../src/db/migrate.js';
import { pgliteBasePath } from '../../src/db/pglite-base.js';

/** A dump of a cluster holding one table no initdb or migration makes (from the run's migrated dump: initdb takes seconds). */
async function markedBase(): Promise<Blob> {
  const pglite = await PGlite.create({ loadDataDir: new Blob([await readFile(inject('migratedPgliteDump'))]) });
  await pglite.exec('CREATE TABLE unpacked_from_base (n int)');
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  return dump;
}

const hasMarker = async (dir: string) => {
  const database = await openDatabase({ dataDir: dir });
  try {
    return (await database.query(`SELECT to_regclass('unpacked_from_base') IS NOT NULL AS present`)).rows[0];
  } finally {
    await database.close();
  }
};

describe('a new embedded database starts from the cluster the build ships', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-base-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('the build ships one for the installed PGlite (npm ci builds it), migrated', async () => {
    expect(existsSync(pgliteBasePath()), `${pgliteBasePath()} missing: run npm run build`).toBe(true);
    const database = await openDatabase({ dataDir: dir });
    try {
      const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
      const applied = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
      expect(applied.rows[0]!.n).toBe(journal.entries.length);
    } finally {
      await database.close();
    }
  });

  it('unpacks a new folder from the base, and later opens the folder as it is', async () => {
    const database = await openDatabase({ dataDir: dir }, { pgliteBase: await markedBase() });
    await database.query('INSERT INTO unpacked_from_base VALUES (1)');
    await database.close();
    // Reopened without a base: the folder's own cluster, with the row written.
    const again = await openDatabase({ dataDir: dir }, { pgliteBase: new Blob(['not a dump']) });
    expect((await again.query('SELECT n FROM unpacked_from_base')).rows).toEqual([{ n: 1 }]);
    await again.close();
  });

  it('creates the cluster by initdb when the base cannot be started', async () => {
    const database = await openDatabase({ dataDir: dir }, { pgliteBase: new Blob(['not a dump']) });
    expect((await database.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await database.close();
    expect(await hasMarker(dir)).toEqual({ present: false });
  });
});
