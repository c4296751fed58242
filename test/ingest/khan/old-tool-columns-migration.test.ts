/**
 * The migration that gives the Khan tables the old tool's columns, on a warehouse written
 * before it: `stu_detail.coaches` turns from a count into the list of coach ids, which a
 * count cannot give, so the rows stay (with no coaches until the next pull) instead of
 * the migration failing on a database with rows.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/connection.js';
import { MIGRATIONS_FOLDER, runMigrations } from '../../../src/db/migrate.js';
import { createPostgresDatabase, DATABASE_KINDS, emptyPglite } from '../../support/databases.js';

const TAG = /_khan_old_tool_columns$/;

/** The committed migrations before the one tagged `TAG`, in a folder of their own (numbers may be renumbered at merge). */
function migrationsBefore(tag: RegExp): string {
  const dir = mkdtempSync(join(tmpdir(), 'xgw-migrations-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  const at = journal.entries.find((e) => tag.test(e.tag))!.idx;
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx < at) }));
  return dir;
}

describe.each(DATABASE_KINDS)('the Khan old-tool columns migration on %s', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  /** An empty database of `kind`, migrated up to the one before `TAG`. */
  async function databaseBefore(): Promise<Database> {
    const folder = migrationsBefore(TAG);
    cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
    if (kind === 'pglite') {
      const { database, drop } = await emptyPglite();
      cleanups.push(drop);
      await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
      return database;
    }
    const created = await createPostgresDatabase(undefined, false);
    cleanups.push(() => created.drop());
    const database = await openDatabase({ url: created.url });
    cleanups.push(() => database.close());
    await migratePostgres(database.db as unknown as NodePgDatabase, { migrationsFolder: folder });
    return database;
  }

  it('keeps the stu_detail and badge_metadata rows written before it, coaches emptied', async () => {
    const database = await databaseBefore();
    await database.query(`INSERT INTO khan_stu_detail (student, points, coaches, proficient_exercises) VALUES ('pseudo-1', 12500, 2, '["addition_1"]')`);
    await database.query(`INSERT INTO khan_badge_metadata (slug, description, icons) VALUES ('sun', 'Sun', '{"small": "/s.png"}')`);
    await runMigrations(database);
    expect((await database.query('SELECT student, points, coaches, proficient_exercises, all_proficient_exercises, registration_date FROM khan_stu_detail')).rows).toEqual([
      { student: 'pseudo-1', points: 12500, coaches: null, proficient_exercises: ['addition_1'], all_proficient_exercises: null, registration_date: null },
    ]);
    expect((await database.query('SELECT slug, description, name, is_retired, icons_small, icons FROM khan_badge_metadata')).rows).toEqual([
      { slug: 'sun', description: 'Sun', name: null, is_retired: null, icons_small: null, icons: { small: '/s.png' } },
    ]);
    // The column takes the list the pull now writes.
    await database.query(`UPDATE khan_stu_detail SET coaches = '["kaid_coach1","kaid_coach2"]'`);
    expect((await database.query('SELECT coaches FROM khan_stu_detail')).rows).toEqual([{ coaches: ['kaid_coach1', 'kaid_coach2'] }]);
  });
});
