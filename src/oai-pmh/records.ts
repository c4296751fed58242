/**
 * The catalogue as OAI-PMH sees it: records are courses that are published or were
 * (tombstones), with their datestamps and sets. Lists walk (datestamp, id), so every
 * page costs the same however deep the harvest is.
 */
import { courseImagesOf } from '../catalog/course-images.js';
import { coursesOf, type Course } from '../catalog/courses.js';
import type { TeacherStore, Teacher } from '../catalog/teachers.js';
import type { Database } from '../db/connection.js';

/** The header of a record. */
export interface RecordHeader {
  id: string;
  /** To the microsecond, for paging. */
  datestamp: string;
  deleted: boolean;
  sets: string[];
}

/** A record with what its metadata is made of; deleted records have none. */
export interface OaiRecord extends RecordHeader {
  course?: Course;
  teachers?: Teacher[];
  /** The uploaded image, when asked for and there is one. */
  image?: Buffer;
}

/** What a record is read with: its header alone, its metadata, or its metadata and uploaded image. */
export type Detail = 'header' | 'metadata' | 'image';

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
    // A set holds the records of its subsets (section 2.7.2).
    where.push(`EXISTS (SELECT 1 FROM course_sets cs WHERE cs.course_id = c.id AND (cs.set_spec = $${first + params.length - 2} OR cs.set_spec LIKE $${first + params.length - 1}))`);
  }
  return { where: where.join(' AND '), params };
}

/** Reads records for the provider. */
export class RecordSource {
  constructor(
    private readonly database: Database,
    private readonly teachers: TeacherStore,
  ) {}

  /** How many records a selection holds. */
  async count(s: Selection): Promise<number> {
    const { where, params } = selection(s, 1);
    const { rows } = await this.database.query<{ n: string }>(`SELECT count(*) AS n FROM catalog_courses c WHERE ${where}`, params);
    return Number(rows[0]!.n);
  }

  /** Up to `limit` records of a selection after (datestamp, id), read with `detail`. */
  async page(s: Selection, after: { datestamp: string; id: string } | undefined, limit: number, detail: Detail): Promise<OaiRecord[]> {
    const { where, params } = selection(s, 1);
    const keyset = after === undefined ? '' : ` AND (c.datestamp, c.id) > ($${params.length + 1}::timestamptz, $${params.length + 2})`;
    const all = after === undefined ? params : [...params, after.datestamp, after.id];
    const { rows } = await this.database.query<RecordHeader>(
      `SELECT ${HEADER} FROM catalog_courses c WHERE ${where}${keyset} ORDER BY c.datestamp, c.id LIMIT $${all.length + 1}`,
      [...all, limit],
    );
    return detail === 'header' ? rows : this.withMetadata(rows, detail === 'image');
  }

  /** One record with its metadata, or undefined. */
  async get(id: string, detail: Exclude<Detail, 'header'> = 'metadata'): Promise<OaiRecord | undefined> {
    const { rows } = await this.database.query<RecordHeader>(`SELECT ${HEADER} FROM catalog_courses c WHERE c.id = $1 AND c.oai_status IS NOT NULL`, [id]);
    return (await this.withMetadata(rows, detail === 'image'))[0];
  }

  /** The earliest datestamp, or undefined for an empty repository. */
  async earliest(): Promise<Date | undefined> {
    const { rows } = await this.database.query<{ at: Date | null }>(`SELECT min(datestamp) AS at FROM catalog_courses WHERE oai_status IS NOT NULL`);
    return rows[0]?.at ?? undefined;
  }

  private async withMetadata(headers: RecordHeader[], withImages: boolean): Promise<OaiRecord[]> {
    const live = headers.filter((h) => !h.deleted).map((h) => h.id);
    const courses = new Map((await coursesOf(this.database, live)).map((c) => [c.id, c]));
    const images = withImages ? await courseImagesOf(this.database, live) : new Map<string, Buffer>();
    const teacherIds = [...new Set([...courses.values()].flatMap((c) => c.teachers))];
    const teachers = new Map((await Promise.all(teacherIds.map((id) => this.teachers.get(id)))).filter((t): t is Teacher => t !== undefined).map((t) => [t.id, t]));
    return headers.map((h) => {
      const course = courses.get(h.id);
      const image = images.get(h.id);
      return course === undefined ? h : { ...h, course, teachers: course.teachers.flatMap((id) => teachers.get(id) ?? []), ...(image && { image }) };
    });
  }
}
