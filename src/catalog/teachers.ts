/**
 * Teachers and OAI sets of the catalogue. A teacher's name and picture are part of
 * every record of the courses they teach, so changing a teacher moves those courses'
 * datestamps; a set is referenced by its spec, and `a:b` needs its parent `a`.
 */
import type { Database, SqlSession } from '../db/connection.js';
import { CatalogValidationError } from './courses.js';
import { SET_SCHEMA, TEACHER_SCHEMA, validator } from './schemas.js';

/** A teacher as the admin API takes and returns it. */
export interface Teacher {
  id: string;
  name: string;
  imageUrl?: string;
  descriptions?: Record<string, string>;
}

/** An OAI set. */
export interface OaiSet {
  spec: string;
  name: string;
  description?: string;
}

/** What keeps a teacher or set from being deleted: the live courses (and subsets) naming it, the first few. */
export interface InUse {
  courses: string[];
  subsets: string[];
}

/** The outcome of deleting a teacher or set. */
export type Removal = 'removed' | 'missing' | InUse;

/** Courses or subsets named in a refusal at most. */
const NAMED_MAX = 20;

/** The live (not deleted) courses that reference `key` through `table`.`column`, the first few by id. */
async function liveCourses(session: SqlSession, table: 'course_teachers' | 'course_sets', column: 'teacher_id' | 'set_spec', key: string): Promise<string[]> {
  const { rows } = await session.query<{ id: string }>(
    `SELECT c.id FROM ${table} r JOIN catalog_courses c ON c.id = r.course_id WHERE r.${column} = $1 AND NOT c.removed ORDER BY c.id LIMIT ${NAMED_MAX}`,
    [key],
  );
  return rows.map((r) => r.id);
}

const validateTeacher = validator(TEACHER_SCHEMA);
const validateSet = validator(SET_SCHEMA);

/** The teachers and sets of one database. */
export class TeacherStore {
  constructor(private readonly database: Database) {}

  /** A teacher, or undefined. */
  async get(id: string): Promise<Teacher | undefined> {
    const { rows } = await this.database.query<{ id: string; name: string; image_url: string | null; descriptions: Record<string, string> }>(
      `SELECT id, name, image_url, descriptions FROM catalog_teachers WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    return r === undefined ? undefined : { id: r.id, name: r.name, ...(r.image_url === null ? {} : { imageUrl: r.image_url }), descriptions: r.descriptions };
  }

  /** A page of teachers by id. */
  async list(opts: { after?: string; limit: number }): Promise<{ items: Teacher[]; next?: string }> {
    const { rows } = await this.database.query<{ id: string }>(`SELECT id FROM catalog_teachers WHERE id > $1 ORDER BY id LIMIT $2`, [opts.after ?? '', opts.limit + 1]);
    const items = (await Promise.all(rows.slice(0, opts.limit).map((r) => this.get(r.id)))).filter((t): t is Teacher => t !== undefined);
    return rows.length > opts.limit ? { items, next: items.at(-1)!.id } : { items };
  }

  /** Creates or replaces a teacher, and moves the datestamps of their courses. */
  async put(input: unknown): Promise<{ teacher: Teacher; created: boolean }> {
    const problems = validateTeacher(input);
    if (problems.length > 0) throw new CatalogValidationError(problems);
    const t = input as Teacher;
    return this.database.transaction(async (session) => {
      const { rows } = await session.query<{ created: boolean }>(
        `INSERT INTO catalog_teachers (id, name, image_url, descriptions, datestamp) VALUES ($1, $2, $3, $4, clock_timestamp())
         ON CONFLICT (id) DO UPDATE SET name = $2, image_url = $3, descriptions = $4, datestamp = clock_timestamp()
         RETURNING (xmax = 0) AS created`,
        [t.id, t.name, t.imageUrl ?? null, JSON.stringify(t.descriptions ?? {})],
      );
      await session.query(
        `UPDATE catalog_courses SET datestamp = clock_timestamp() WHERE id IN (SELECT course_id FROM course_teachers WHERE teacher_id = $1)`,
        [t.id],
      );
      return { teacher: { ...t, descriptions: t.descriptions ?? {} }, created: rows[0]!.created };
    });
  }

  /**
   * Deletes a teacher no live course lists. Deleted courses (tombstones) keep no teachers
   * in OAI-PMH, so their references go with the teacher; a live one keeps it.
   */
  async remove(id: string): Promise<Removal> {
    return this.database.transaction(async (session) => {
      // Locked first: a course naming this teacher now waits for the outcome.
      const { rows: found } = await session.query(`SELECT 1 FROM catalog_teachers WHERE id = $1 FOR UPDATE`, [id]);
      if (found.length === 0) return 'missing';
      const courses = await liveCourses(session, 'course_teachers', 'teacher_id', id);
      if (courses.length > 0) return { courses, subsets: [] };
      await session.query(`DELETE FROM course_teachers WHERE teacher_id = $1`, [id]);
      await session.query(`DELETE FROM catalog_teachers WHERE id = $1`, [id]);
      return 'removed';
    });
  }

  /** Every set, by spec. */
  async sets(): Promise<OaiSet[]> {
    const { rows } = await this.database.query<{ spec: string; name: string; description: string | null }>(`SELECT spec, name, description FROM oai_sets ORDER BY spec`);
    return rows.map((r) => ({ spec: r.spec, name: r.name, ...(r.description === null ? {} : { description: r.description }) }));
  }

  /** Creates or renames a set; its parent (`a` of `a:b`) must exist. */
  async putSet(input: unknown): Promise<{ set: OaiSet; created: boolean }> {
    const problems = validateSet(input);
    if (problems.length > 0) throw new CatalogValidationError(problems);
    const set = input as OaiSet;
    const parent = set.spec.includes(':') ? set.spec.slice(0, set.spec.lastIndexOf(':')) : undefined;
    if (parent !== undefined) {
      const { rows } = await this.database.query(`SELECT 1 FROM oai_sets WHERE spec = $1`, [parent]);
      if (rows.length === 0) throw new CatalogValidationError([{ field: '/spec', message: `its parent set ${parent} does not exist` }]);
    }
    const { rows } = await this.database.query<{ created: boolean }>(
      `INSERT INTO oai_sets (spec, name, description) VALUES ($1, $2, $3)
       ON CONFLICT (spec) DO UPDATE SET name = $2, description = $3 RETURNING (xmax = 0) AS created`,
      [set.spec, set.name, set.description ?? null],
    );
    return { set, created: rows[0]!.created };
  }

  /**
   * Deletes a set with no live courses and no subsets. Tombstones leave it, and their
   * datestamps move: their OAI headers no longer name it.
   */
  async removeSet(spec: string): Promise<Removal> {
    return this.database.transaction(async (session) => {
      const { rows: found } = await session.query(`SELECT 1 FROM oai_sets WHERE spec = $1 FOR UPDATE`, [spec]);
      if (found.length === 0) return 'missing';
      const courses = await liveCourses(session, 'course_sets', 'set_spec', spec);
      const { rows: subsets } = await session.query<{ spec: string }>(
        `SELECT spec FROM oai_sets WHERE spec LIKE $1 ORDER BY spec LIMIT ${NAMED_MAX}`,
        [`${spec.replace(/[\\%_]/g, (c) => `\\${c}`)}:%`],
      );
      if (courses.length + subsets.length > 0) return { courses, subsets: subsets.map((r) => r.spec) };
      await session.query(
        `UPDATE catalog_courses SET datestamp = clock_timestamp() WHERE id IN (SELECT course_id FROM course_sets WHERE set_spec = $1)`,
        [spec],
      );
      await session.query(`DELETE FROM course_sets WHERE set_spec = $1`, [spec]);
      await session.query(`DELETE FROM oai_sets WHERE spec = $1`, [spec]);
      return 'removed';
    });
  }
}
