/**
 * Migration 0012 on a store written before it: the agent link rows get their statement's
 * verb, so that `agent` + `verb` (now driven by those rows) still finds old statements.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, runMigrations } from '../../../src/db/migrate.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { emptyPglite } from '../../support/databases.js';
import { sid } from './lrs-app.js';

const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const ann = { objectType: 'Agent' as const, account: { homePage: 'https://courses.example.org', name: 'ann' } };

/** The committed migrations up to `last`, in a folder of their own. */
function migrationsUpTo(last: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'xgw-migrations-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx <= last) }));
  return dir;
}

describe('migration 0012: agent link rows carry the verb', () => {
  it('fills the verb of rows stored before it, and agent + verb finds those statements', async () => {
    const folder = migrationsUpTo(11);
    const bare = await emptyPglite();
    const { database } = bare;
    try {
      await migrate(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
      for (const [n, verb] of [[1, COMPLETED], [2, 'http://adlnet.gov/expapi/verbs/attempted']] as const) {
        const statement = { id: sid(n), actor: ann, verb: { id: verb }, object: { id: `https://courses.example.org/a${n}` }, stored: '2026-01-01T00:00:00.000Z' };
        const { rows } = await database.query<{ seq: number }>(
          `INSERT INTO lrs_statements (id, statement, verb_id, stored, "timestamp") VALUES ($1, $2, $3, $4, $4) RETURNING seq`,
          [sid(n), JSON.stringify(statement), verb, statement.stored],
        );
        await database.query(`INSERT INTO lrs_statement_agents (statement_seq, ifi, role, stored) VALUES ($1, $2, 'actor', $3)`, [
          rows[0]!.seq,
          'account:https://courses.example.org|ann',
          statement.stored,
        ]);
      }
      await runMigrations(database);
      const page = await new EmbeddedStatementQuery(database).page({ agent: ann, verb: COMPLETED });
      expect(page.statements.map((s) => s.id)).toEqual([sid(1)]);
    } finally {
      await bare.drop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
