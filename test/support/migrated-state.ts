/**
 * What a reused test database is put back to (reused-pglite.ts, reused-postgres.ts): the
 * migrated schema's fingerprint, by which a database whose schema a test changed is told
 * apart, and the tables and sequences to empty and restart.
 */

/** One row, `fingerprint`: a hash of the tables, columns' count, indexes, constraints and triggers outside the system schemas. */
export const FINGERPRINT = `
  SELECT md5(coalesce(string_agg(item, ',' ORDER BY item), '')) AS fingerprint FROM (
    SELECT c.relname || ':' || c.relkind::text || ':' || c.relnatts::text || ':' || coalesce(pg_get_indexdef(i.indexrelid), '') AS item
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
    UNION ALL SELECT conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT tgname FROM pg_trigger WHERE NOT tgisinternal
  ) items`;

export interface MigratedState {
  fingerprint: string;
  /** The application's tables (schema public; the migrations' own journal is kept). */
  tables: string[];
  sequences: string[];
}

type Query = (text: string) => Promise<{ rows: Record<string, string>[] }>;

/** Reads the state of a freshly migrated database. */
export async function readMigratedState(query: Query): Promise<MigratedState> {
  // One after another: a pg client runs one query at a time.
  const fingerprint = await query(FINGERPRINT);
  const tables = await query(`SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = 'public'`);
  const sequences = await query(`SELECT format('%I.%I', schemaname, sequencename) AS name FROM pg_sequences WHERE schemaname = 'public'`);
  return { fingerprint: fingerprint.rows[0]!.fingerprint!, tables: tables.rows.map((r) => r.name!), sequences: sequences.rows.map((r) => r.name!) };
}

/** Statements restarting every sequence of `state`. */
export function restartingSequences(state: MigratedState): string {
  return state.sequences.map((name) => `ALTER SEQUENCE ${name} RESTART;`).join('\n');
}
