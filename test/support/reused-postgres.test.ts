/**
 * The test databases every PostgreSQL suite stands on (reused-postgres.ts): a reused
 * database must be as fresh as a new one, and a dropped one out of reach of what its
 * test left running.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from './databases.js';

const newRun = (database: { query(text: string): Promise<unknown> }) => database.query(`INSERT INTO import_runs (source) VALUES ('edx')`);

/** The database's oid: equal for a reused (renamed) database, new for a new copy. */
const oidOf = async (database: { query<T>(text: string): Promise<{ rows: T[] }> }) =>
  (await database.query<{ oid: string }>('SELECT oid::text FROM pg_database WHERE datname = current_database()')).rows[0]!.oid;

describe.skipIf(!process.env.TEST_DATABASE_URL)('test databases on PostgreSQL', () => {
  it('reuses a dropped database emptied, its identities restarted, under a new name', async () => {
    const first = await freshDatabase('postgres');
    await newRun(first.database);
    await newRun(first.database);
    const oid = await oidOf(first.database);
    await first.drop();

    const second = await freshDatabase('postgres');
    try {
      expect(await oidOf(second.database)).toBe(oid);
      expect(second.url).not.toBe(first.url);
      expect((await second.database.query('SELECT count(*)::int AS n FROM import_runs')).rows).toEqual([{ n: 0 }]);
      await newRun(second.database);
      expect((await second.database.query('SELECT id FROM import_runs')).rows).toEqual([{ id: 1 }]);
    } finally {
      await second.drop();
    }
  });

  it('ends the sessions a test left, which then find no database, and leaves the next test its own', async () => {
    const first = await freshDatabase('postgres');
    const leftOpen = new pg.Client({ connectionString: first.url });
    await leftOpen.connect();
    leftOpen.on('error', () => undefined);
    await first.drop();
    const second = await freshDatabase('postgres');
    try {
      await expect(leftOpen.query('SELECT 1')).rejects.toThrow();
      const again = new pg.Client({ connectionString: first.url });
      await expect(again.connect()).rejects.toThrow(/does not exist/);
      expect((await second.database.query('SELECT count(*)::int AS n FROM import_runs')).rows).toEqual([{ n: 0 }]);
    } finally {
      await leftOpen.end().catch(() => undefined);
      await second.drop();
    }
  });

  it('does not reuse a database whose schema its test changed', async () => {
    const first = await freshDatabase('postgres');
    await first.database.query('CREATE TABLE left_behind (x int)');
    const oid = await oidOf(first.database);
    await first.drop();

    const second = await freshDatabase('postgres');
    try {
      expect(await oidOf(second.database)).not.toBe(oid);
      expect((await second.database.query(`SELECT to_regclass('left_behind') AS t`)).rows).toEqual([{ t: null }]);
    } finally {
      await second.drop();
    }
  });
});
