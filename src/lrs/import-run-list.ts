/**
 * Import runs as an operator reads them: newest first, paged by id, each with its summary
 * counts, and one run's rejections counted by reason code.
 */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/connection.js';
import { importRuns, rejectedRecords } from './schema.js';

/** One import run as kept: `counts` is its summary (read, translated, ignored, rejected, byType...). */
export type ImportRun = typeof importRuns.$inferSelect;

/**
 * The newest runs older than `beforeId` (all when unset), of one importer when `source` is given, at most `limit`.
 * @example await listImportRuns(database, { source: 'futurelearn', limit: 25 });
 */
export async function listImportRuns(database: Database, opts: { beforeId?: number; source?: string; limit: number }): Promise<ImportRun[]> {
  return database.db
    .select()
    .from(importRuns)
    .where(and(
      opts.beforeId === undefined ? undefined : lt(importRuns.id, opts.beforeId),
      opts.source === undefined ? undefined : eq(importRuns.source, opts.source),
    ))
    .orderBy(desc(importRuns.id))
    .limit(opts.limit);
}

/** One run by id, or undefined. */
export async function getImportRun(database: Database, id: number): Promise<ImportRun | undefined> {
  const [run] = await database.db.select().from(importRuns).where(eq(importRuns.id, id));
  return run;
}

/** The stored rejections of one run by reason code, the most frequent first. */
export async function rejectedCodesOf(database: Database, runId: number): Promise<{ code: string; rows: number }[]> {
  return database.db
    .select({ code: rejectedRecords.code, rows: sql<number>`count(*)::int` })
    .from(rejectedRecords)
    .where(eq(rejectedRecords.runId, runId))
    .groupBy(rejectedRecords.code)
    .orderBy(desc(sql`count(*)`), rejectedRecords.code);
}
