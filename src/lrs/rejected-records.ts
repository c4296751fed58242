/**
 * The rejected records as an operator reads and clears them (`rejected list|show|purge`):
 * what the importers stored in `rejected_records` (DESIGN.md invariant 2), filtered by
 * run, reason code, source type or importer, newest first.
 */
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Database } from '../db/connection.js';
import { CodedError } from '../errors.js';
import { rejectedRecords } from './schema.js';

/** One stored rejection, as kept: `position` is `file:line` or a record key, `payload` the record as received. */
export type RejectedRecord = typeof rejectedRecords.$inferSelect;

/** Which rejections a list shows. */
export interface RejectedFilter {
  runId?: number;
  /** The reason code (`unreadable`, `missing_field`, `bad_value`, `invalid_statement`, ...). */
  code?: string;
  /** The source type of the run's `byType` (`problem_check`, `course_progress`, ...). */
  type?: string;
  /** The importer (`edx`, `edx-package`, `coursera`, `futurelearn`, `khan`, `xapi`). */
  source?: string;
  /** Only rejections older than this id: the next page after a page ending there. */
  beforeId?: number;
  limit: number;
}

/** Which rejections a purge deletes: one run's, those stored before a day (UTC), or all. */
export type PurgeScope = { runId: number } | { before: string } | { all: true };

function filterOf(f: Omit<RejectedFilter, 'limit'>): SQL | undefined {
  return and(
    f.runId === undefined ? undefined : eq(rejectedRecords.runId, f.runId),
    f.code === undefined ? undefined : eq(rejectedRecords.code, f.code),
    f.type === undefined ? undefined : eq(rejectedRecords.type, f.type),
    f.source === undefined ? undefined : eq(rejectedRecords.source, f.source),
    f.beforeId === undefined ? undefined : lt(rejectedRecords.id, f.beforeId),
  );
}

/**
 * The newest rejections that match `filter`, at most `filter.limit`.
 * @example await listRejected(database, { runId: 7, code: 'unreadable', limit: 50 });
 */
export async function listRejected(database: Database, filter: RejectedFilter): Promise<RejectedRecord[]> {
  return database.db.select().from(rejectedRecords).where(filterOf(filter)).orderBy(desc(rejectedRecords.id)).limit(filter.limit);
}

/** One rejection by its id; a `not-found` error when there is none. */
export async function getRejected(database: Database, id: number): Promise<RejectedRecord> {
  const [row] = await database.db.select().from(rejectedRecords).where(eq(rejectedRecords.id, id));
  if (row === undefined) throw new CodedError('not-found', `no rejected record ${id}`);
  return row;
}

/** The raw condition of a purge (a delete's count comes back as `affected` on either driver). */
function rawScopeOf(scope: PurgeScope): { where: string; params: unknown[] } {
  if ('runId' in scope) return { where: 'WHERE run_id = $1', params: [scope.runId] };
  if ('before' in scope) return { where: 'WHERE created_at < $1::timestamptz', params: [`${scope.before}T00:00:00Z`] };
  return { where: '', params: [] };
}

/** How many rejections a purge of `scope` would delete. */
export async function countPurge(database: Database, scope: PurgeScope): Promise<number> {
  const { where, params } = rawScopeOf(scope);
  return (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM rejected_records ${where}`, params)).rows[0]!.n;
}

/**
 * Deletes the rejections of `scope`; returns how many went.
 * @example await purgeRejected(database, { before: '2026-01-01' });
 */
export async function purgeRejected(database: Database, scope: PurgeScope): Promise<number> {
  const { where, params } = rawScopeOf(scope);
  return (await database.query(`DELETE FROM rejected_records ${where}`, params)).affected;
}
