/**
 * The test databases every PGlite suite stands on (reused-pglite.ts): a reused database
 * must be as fresh as a new one, and a dropped one must be out of its test's reach.
 */
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../../src/db/errors.js';
import { freshDatabase } from './databases.js';

/** The start of the cluster beneath a database: equal for a reused one, new for a loaded one. */
const startOf = async (database: { query<T>(text: string): Promise<{ rows: T[] }> }) =>
  (await database.query<{ started: string }>('SELECT pg_postmaster_start_time()::text AS started')).rows[0]!.started;

const newRun = (database: { query(text: string): Promise<unknown> }) => database.query(`INSERT INTO import_runs (source) VALUES ('edx')`);

describe('test databases on PGlite', () => {
  it('reuses a dropped database emptied, its identities restarted and its settings reset', async () => {
    const first = await freshDatabase('pglite');
    await newRun(first.database);
    await newRun(first.database);
    await first.database.query(`SET statement_timeout = '7s'`);
    const cluster = await startOf(first.database);
    await first.drop();

    const second = await freshDatabase('pglite');
    try {
      expect(await startOf(second.database)).toBe(cluster);
      expect((await second.database.query('SELECT count(*)::int AS n FROM import_runs')).rows).toEqual([{ n: 0 }]);
      await newRun(second.database);
      expect((await second.database.query('SELECT id FROM import_runs')).rows).toEqual([{ id: 1 }]);
      expect((await second.database.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '0' }]);
    } finally {
      await second.drop();
    }
  });

  it('answers a dropped database as a closed one, and leaves the next test its own', async () => {
    const first = await freshDatabase('pglite');
    await first.drop();
    const second = await freshDatabase('pglite');
    try {
      await expect(newRun(first.database)).rejects.toBeInstanceOf(DatabaseUnavailableError);
      expect((await second.database.query('SELECT count(*)::int AS n FROM import_runs')).rows).toEqual([{ n: 0 }]);
    } finally {
      await second.drop();
    }
  });

  it('does not reuse a database whose schema its test changed', async () => {
    const first = await freshDatabase('pglite');
    await first.database.query('CREATE TABLE left_behind (x int)');
    const cluster = await startOf(first.database);
    await first.drop();

    const second = await freshDatabase('pglite');
    try {
      expect(await startOf(second.database)).not.toBe(cluster);
      expect((await second.database.query(`SELECT to_regclass('left_behind') AS t`)).rows).toEqual([{ t: null }]);
    } finally {
      await second.drop();
    }
  });
});
