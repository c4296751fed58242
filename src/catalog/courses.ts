/**
 * The courses of the catalogue: create, replace, patch, publish, delete, list. Every
 * change moves the course's datestamp, so OAI-PMH harvesters see it. Input is checked
 * against `COURSE_SCHEMA` and against the catalogue (teachers and sets exist, dates in
 * order, what ECO needs before publishing), and every problem is reported at once.
 */
import type { Database, SqlSession } from '../db/connection.js';
import type { EcoInterestArea } from './schema.js';
import { unstorableText } from '../xapi/storable.js';
import { COURSE_SCHEMA, ValidationError, validator, type FieldProblem } from './schemas.js';

/** A course as the admin API takes it. */
export interface CourseInput {
  id: string;
  platform: string;
  platformCourseId: string;
  titles: Record<string, string>;
  descriptions?: Record<string, string>;
  languages?: string[];
  url?: string;
  organisation?: string;
  startDate?: string;
  endDate?: string;
  units?: number;
  studyLoadHours?: number;
  typicalLearningTime?: string;
  interestArea?: EcoInterestArea;
  imageUrl?: string;
  teachers?: string[];
  sets?: string[];
  published?: boolean;
}

/** A course as the catalogue holds it. */
export interface Course extends Required<Pick<CourseInput, 'descriptions' | 'languages' | 'teachers' | 'sets' | 'published'>>, Omit<CourseInput, 'descriptions' | 'languages' | 'teachers' | 'sets' | 'published'> {
  datestamp: string;
}

/** Input that cannot be stored, with every bad field. */
export class CatalogValidationError extends ValidationError {
  override readonly name = 'CatalogValidationError';
}

/** The fields ECO needs before it shows a course (eco.md: it skips a course without them). */
export const ECO_REQUIRED = ['titles', 'descriptions', 'languages', 'url', 'organisation', 'interestArea'] as const;

const validateCourse = validator(COURSE_SCHEMA);
const validatePatch = validator(COURSE_SCHEMA, true);

/** What a course still lacks for ECO, as field problems. */
export function missingForEco(course: CourseInput): FieldProblem[] {
  return ECO_REQUIRED.filter((field) => {
    const value = course[field];
    return value === undefined || (typeof value === 'object' && Object.keys(value).length === 0);
  }).map((field) => ({ field: `/${field}`, message: 'is required to publish: ECO skips a course without it' }));
}

/** The courses of one database. */
export class CourseStore {
  constructor(private readonly database: Database) {}

  /** A course that is not removed, or undefined. */
  async get(id: string): Promise<Course | undefined> {
    const [course] = await coursesOf(this.database, [id]);
    return course === undefined || (await this.isRemoved(id)) ? undefined : course;
  }

  /** A page of courses by id, after `after`; `next` is the cursor of the next page. */
  async list(opts: { after?: string; limit: number }): Promise<{ items: Course[]; next?: string }> {
    const { rows } = await this.database.query<{ id: string }>(
      `SELECT id FROM catalog_courses WHERE NOT removed AND id > $1 ORDER BY id LIMIT $2`,
      [opts.after ?? '', opts.limit + 1],
    );
    const items = await coursesOf(this.database, rows.slice(0, opts.limit).map((r) => r.id));
    return rows.length > opts.limit ? { items, next: items.at(-1)!.id } : { items };
  }

  /** Creates or replaces a course; throws CatalogValidationError listing every bad field. */
  async put(input: unknown): Promise<{ course: Course; created: boolean }> {
    const problems = validateCourse(input);
    if (problems.length > 0) throw new CatalogValidationError([...problems, ...(await referenceProblems(this.database, referencesOf(input)))]);
    return this.database.transaction((session) => this.write(session, input as CourseInput));
  }

  /** Changes some fields of a course; undefined when there is no such course. */
  async patch(id: string, changes: unknown): Promise<Course | undefined> {
    const problems = validatePatch(changes);
    if (problems.length > 0) throw new CatalogValidationError(problems);
    const current = await this.get(id);
    if (current === undefined) return undefined;
    const { datestamp: _datestamp, ...fields } = current;
    const merged = { ...fields, ...(changes as Partial<CourseInput>), id };
    const mergedProblems = validateCourse(merged);
    if (mergedProblems.length > 0) throw new CatalogValidationError([...mergedProblems, ...(await referenceProblems(this.database, referencesOf(merged)))]);
    return (await this.database.transaction((session) => this.write(session, merged))).course;
  }

  /**
   * Deletes a course. A course that was ever in OAI-PMH stays as a `deleted` tombstone
   * (harvesters must learn it is gone); one that never was is removed for good. Its image
   * goes either way, so that a course made again under its id starts without one.
   */
  async remove(id: string): Promise<boolean> {
    const { rows } = await this.database.query<{ id: string }>(
      `WITH image AS (DELETE FROM catalog_course_images WHERE course_id = $1),
            gone AS (DELETE FROM catalog_courses WHERE id = $1 AND NOT removed AND oai_status IS NULL RETURNING id),
            kept AS (UPDATE catalog_courses SET removed = true, oai_status = 'deleted', datestamp = clock_timestamp()
                      WHERE id = $1 AND NOT removed AND oai_status IS NOT NULL RETURNING id)
       SELECT id FROM gone UNION ALL SELECT id FROM kept`,
      [id],
    );
    return rows.length > 0;
  }

  private async isRemoved(id: string): Promise<boolean> {
    const { rows } = await this.database.query<{ removed: boolean }>(`SELECT removed FROM catalog_courses WHERE id = $1`, [id]);
    return rows[0]?.removed !== false;
  }

  private async write(session: SqlSession, input: CourseInput): Promise<{ course: Course; created: boolean }> {
    const { rows: existing } = await session.query<{ oai_status: string | null; removed: boolean }>(
      `SELECT oai_status, removed FROM catalog_courses WHERE id = $1 FOR UPDATE`,
      [input.id],
    );
    const problems = [...(await referenceProblems(session, input)), ...datesProblems(input)];
    if (input.published === true) problems.push(...missingForEco(input));
    if (problems.length > 0) throw new CatalogValidationError(problems);
    const before = existing[0];
    // Unpublishing a course that was served leaves a tombstone; publishing serves it (again).
    const oaiStatus = input.published === true ? 'active' : before?.oai_status == null ? null : 'deleted';
    // clock_timestamp(): two changes in one transaction still get two datestamps.
    await session.query(
      `INSERT INTO catalog_courses (id, platform, platform_course_id, titles, descriptions, languages, url, organisation, start_date, end_date,
         units, study_load_hours, typical_learning_time, interest_area, image_url, oai_status, removed, datestamp)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, false, clock_timestamp())
       ON CONFLICT (id) DO UPDATE SET platform = $2, platform_course_id = $3, titles = $4, descriptions = $5, languages = $6, url = $7,
         organisation = $8, start_date = $9, end_date = $10, units = $11, study_load_hours = $12, typical_learning_time = $13,
         interest_area = $14, image_url = $15, oai_status = $16, removed = false, datestamp = clock_timestamp()`,
      [
        input.id, input.platform, input.platformCourseId, JSON.stringify(input.titles), JSON.stringify(input.descriptions ?? {}), input.languages ?? [],
        input.url ?? null, input.organisation ?? null, input.startDate ?? null, input.endDate ?? null, input.units ?? null,
        input.studyLoadHours ?? null, input.typicalLearningTime ?? null, input.interestArea ?? null, input.imageUrl ?? null, oaiStatus,
      ],
    );
    await session.query(`DELETE FROM course_teachers WHERE course_id = $1`, [input.id]);
    await session.query(`DELETE FROM course_sets WHERE course_id = $1`, [input.id]);
    await session.query(
      `INSERT INTO course_teachers (course_id, teacher_id, position) SELECT $1, t, p - 1 FROM unnest($2::text[]) WITH ORDINALITY AS x(t, p)`,
      [input.id, input.teachers ?? []],
    );
    await session.query(`INSERT INTO course_sets (course_id, set_spec) SELECT $1, s FROM unnest($2::text[]) AS x(s)`, [input.id, input.sets ?? []]);
    const [course] = await coursesOf(session, [input.id]);
    return { course: course!, created: before === undefined || before.removed };
  }
}

/** The teacher ids and set specs of an input that failed its schema, as far as they are lists of text: so that one 400 lists both kinds of problem. */
function referencesOf(input: unknown): Pick<CourseInput, 'teachers' | 'sets'> {
  // '' stands for what cannot be looked up (not text, or text the database cannot hold).
  const texts = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' && unstorableText(x) === undefined ? x : '')) : []);
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  return { teachers: texts(record.teachers), sets: texts(record.sets) };
}

/** Teachers and sets named by `input` that do not exist, each at its position. */
async function referenceProblems(session: SqlSession, input: Pick<CourseInput, 'teachers' | 'sets'>): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const [field, table, column, noun] of [
    ['teachers', 'catalog_teachers', 'id', 'teacher with id'],
    ['sets', 'oai_sets', 'spec', 'set with spec'],
  ] as const) {
    const wanted = input[field] ?? [];
    if (wanted.length === 0) continue;
    const { rows } = await session.query<{ key: string }>(`SELECT ${column} AS key FROM ${table} WHERE ${column} = ANY($1::text[])`, [wanted]);
    const found = new Set(rows.map((r) => r.key));
    wanted.forEach((key, i) => {
      if (key !== '' && !found.has(key)) problems.push({ field: `/${field}/${i}`, message: `no ${noun} ${key}` });
    });
  }
  return problems;
}

interface CourseRow {
  id: string;
  platform: string;
  platform_course_id: string;
  titles: Record<string, string>;
  descriptions: Record<string, string>;
  languages: string[];
  url: string | null;
  organisation: string | null;
  start_date: string | null;
  end_date: string | null;
  units: number | null;
  study_load_hours: number | null;
  typical_learning_time: string | null;
  interest_area: EcoInterestArea | null;
  image_url: string | null;
  oai_status: string | null;
  datestamp: string;
  teachers: string[];
  sets: string[];
}

/** The courses with these ids (removed ones too), with their teachers in order and sets, in id order. */
export async function coursesOf(session: SqlSession, ids: string[]): Promise<Course[]> {
  const { rows } = await session.query<CourseRow>(
    `SELECT c.id, c.platform, c.platform_course_id, c.titles, c.descriptions, c.languages, c.url, c.organisation,
            to_char(c.start_date, 'YYYY-MM-DD') AS start_date, to_char(c.end_date, 'YYYY-MM-DD') AS end_date, c.units,
            c.study_load_hours, c.typical_learning_time, c.interest_area, c.image_url, c.oai_status,
            to_char(c.datestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS datestamp,
            ARRAY(SELECT teacher_id FROM course_teachers WHERE course_id = c.id ORDER BY position) AS teachers,
            ARRAY(SELECT set_spec FROM course_sets WHERE course_id = c.id ORDER BY set_spec) AS sets
       FROM catalog_courses c WHERE c.id = ANY($1::text[]) ORDER BY c.id`,
    [ids],
  );
  return rows.map(courseOf);
}

/** A course that is not removed, named by its catalogue id or by its edX course id. */
export interface NamedCourse {
  id: string;
  /** The platform course id in edX's new form (`course-v1:org+number+run`), whichever form the catalogue holds. */
  edxCourseId: string;
}

/** The courses that are not removed among these catalogue ids, and the edX courses among these edX course ids (new form). */
export async function coursesNamed(session: SqlSession, names: { ids: string[]; edxCourseIds: string[] }): Promise<NamedCourse[]> {
  const { rows } = await session.query<{ id: string; edx_id: string }>(
    `SELECT id, regexp_replace(platform_course_id, '^([^/+:]+)/([^/+:]+)/([^/+:]+)$', 'course-v1:\\1+\\2+\\3') AS edx_id
       FROM catalog_courses
      WHERE NOT removed AND (id = ANY($1::text[])
         OR (platform = 'edx' AND regexp_replace(platform_course_id, '^([^/+:]+)/([^/+:]+)/([^/+:]+)$', 'course-v1:\\1+\\2+\\3') = ANY($2::text[])))`,
    [names.ids, names.edxCourseIds],
  );
  return rows.map((r) => ({ id: r.id, edxCourseId: r.edx_id }));
}

function datesProblems(input: CourseInput): FieldProblem[] {
  return input.startDate !== undefined && input.endDate !== undefined && input.endDate < input.startDate
    ? [{ field: '/endDate', message: 'must not be before startDate' }]
    : [];
}

/** A row as the API shows it: unset fields left out. */
function courseOf(r: CourseRow): Course {
  const optional = {
    url: r.url,
    organisation: r.organisation,
    startDate: r.start_date,
    endDate: r.end_date,
    units: r.units,
    studyLoadHours: r.study_load_hours,
    typicalLearningTime: r.typical_learning_time,
    interestArea: r.interest_area,
    imageUrl: r.image_url,
  };
  return {
    id: r.id,
    platform: r.platform,
    platformCourseId: r.platform_course_id,
    titles: r.titles,
    descriptions: r.descriptions,
    languages: r.languages,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
    teachers: r.teachers,
    sets: r.sets,
    published: r.oai_status === 'active',
    datestamp: r.datestamp,
  } as Course;
}
