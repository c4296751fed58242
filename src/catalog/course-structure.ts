/**
 * The structure of a course run as the research package gave it (`course_blocks`): its
 * blocks depth-first in course order, for report names and order and ECO's tasks. The
 * package import replaces it; reports and the ECO API read it.
 */
import type { Database, SqlSession } from '../db/connection.js';

/** A block of a course, in course order. */
export interface CourseBlock {
  blockId: string;
  category: string;
  name: string | null;
}

/** The blocks of a course (edX new-form id), depth-first in course order; empty when none was imported. */
export async function courseStructure(session: SqlSession, courseKey: string): Promise<CourseBlock[]> {
  const { rows } = await session.query<{ block_id: string; category: string; display_name: string | null }>(
    `WITH RECURSIVE tree AS (
       SELECT block_id, category, display_name, ARRAY[position] AS path FROM course_blocks WHERE course_key = $1 AND parent_id IS NULL
       UNION ALL
       SELECT b.block_id, b.category, b.display_name, t.path || b.position FROM course_blocks b JOIN tree t ON b.parent_id = t.block_id AND b.course_key = $1)
     SELECT block_id, category, display_name FROM tree ORDER BY path`,
    [courseKey],
  );
  return rows.map((r) => ({ blockId: r.block_id, category: r.category, name: r.display_name }));
}

/** A block as the package import stores it: its parent and its position among the parent's children. */
export interface StoredBlock {
  id: string;
  category: string;
  parent: string | null;
  position: number;
  name: string | null;
}

/** Replaces the structure of a course (edX new-form id) with `blocks`, in one transaction. */
export async function replaceCourseStructure(database: Database, courseKey: string, blocks: StoredBlock[]): Promise<void> {
  await database.transaction(async (session) => {
    await session.query(`DELETE FROM course_blocks WHERE course_key = $1`, [courseKey]);
    await session.query(
      `INSERT INTO course_blocks (course_key, block_id, category, parent_id, position, display_name)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[])`,
      [courseKey, blocks.map((r) => r.id), blocks.map((r) => r.category), blocks.map((r) => r.parent), blocks.map((r) => r.position), blocks.map((r) => r.name)],
    );
  });
}
