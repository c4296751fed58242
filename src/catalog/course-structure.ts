/**
 * The structure of a course run as the research package gave it (`course_blocks`): its
 * blocks depth-first in course order, for report names and order and ECO's tasks.
 */
import type { SqlSession } from '../db/connection.js';

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
