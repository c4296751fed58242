/**
 * The catalogue as a repository serves it: records are courses that are published or
 * were (tombstones), with their datestamps and sets. Pages walk (datestamp, id), so
 * every page costs the same however deep the harvest is (src/oai-pmh reads them here).
 */
import type { SqlSession } from '../db/connection.js';

/** The header of a record. */
export interface RecordHeader {
  id: string;
  /** To the microsecond, for paging. */
  datestamp: string;
  deleted: boolean;
  sets: string[];
}

/** Which records a list selects. */
export interface Selection {
  set?: string;
  from?: string;
  before: string;
}

const HEADER = `c.id, to_char(c.datestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS datestamp, c.oai_status = 'deleted' AS deleted,
  ARRAY(SELECT set_spec FROM course_sets WHERE course_id = c.id ORDER BY set_spec) AS sets`;

/** The conditions of a selection, with its parameters from `$first` on. */
function selection(s: Selection, first: number): { where: string; params: unknown[] } {
  const where = ['c.oai_status IS NOT NULL', `c.datestamp < $${first}::timestamptz`];
  const params: unknown[] = [s.before];
  if (s.from !== undefined) {
    params.push(s.from);
    where.push(`c.datestamp >= $${first + params.length - 1}::timestamptz`);
  }
  if (s.set !== undefined) {
    params.push(s.set, `${s.set.replace(/[\\%_]/g, (ch) => `\\${ch}`)}:%`);
    // A set holds the records of its subsets (OAI-PMH section 2.7.2).
    where.push(`EXISTS (SELECT 1 FROM course_sets cs WHERE cs.course_id = c.id AND (cs.set_spec = $${first + params.length - 2} OR cs.set_spec LIKE $${first + params.length - 1}))`);
  }
  return { where: where.join(' AND '), params };
}

/** How many records a selection holds. */
export async function countRecords(session: SqlSession, s: Selection): Promise<number> {
  const { where, params } = selection(s, 1);
  const { rows } = await session.query<{ n: string }>(`SELECT count(*) AS n FROM catalog_courses c WHERE ${where}`, params);
  return Number(rows[0]!.n);
}

/** The headers of up to `limit` records of a selection after (datestamp, id). */
export async function recordHeaders(session: SqlSession, s: Selection, after: { datestamp: string; id: string } | undefined, limit: number): Promise<RecordHeader[]> {
  const { where, params } = selection(s, 1);
  const keyset = after === undefined ? '' : ` AND (c.datestamp, c.id) > ($${params.length + 1}::timestamptz, $${params.length + 2})`;
  const all = after === undefined ? params : [...params, after.datestamp, after.id];
  const { rows } = await session.query<RecordHeader>(
    `SELECT ${HEADER} FROM catalog_courses c WHERE ${where}${keyset} ORDER BY c.datestamp, c.id LIMIT $${all.length + 1}`,
    [...all, limit],
  );
  return rows;
}

/** The header of one record; undefined when the course was never published. */
export async function recordHeader(session: SqlSession, id: string): Promise<RecordHeader | undefined> {
  const { rows } = await session.query<RecordHeader>(`SELECT ${HEADER} FROM catalog_courses c WHERE c.id = $1 AND c.oai_status IS NOT NULL`, [id]);
  return rows[0];
}

/** The earliest datestamp of a record, or undefined for an empty repository. */
export async function earliestDatestamp(session: SqlSession): Promise<Date | undefined> {
  const { rows } = await session.query<{ at: Date | null }>(`SELECT min(datestamp) AS at FROM catalog_courses WHERE oai_status IS NOT NULL`);
  return rows[0]?.at ?? undefined;
}
