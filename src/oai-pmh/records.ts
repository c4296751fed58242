/**
 * The records OAI-PMH serves: the catalogue's record headers (catalog/record-headers.ts)
 * with the courses, teachers and images their metadata is made of.
 */
import { courseImagesOf } from '../catalog/course-images.js';
import { coursesOf, type Course } from '../catalog/courses.js';
import { countRecords, earliestDatestamp, recordHeader, recordHeaders, type RecordHeader, type Selection } from '../catalog/record-headers.js';
import type { TeacherStore, Teacher } from '../catalog/teachers.js';
import type { Database } from '../db/connection.js';

/** A record with what its metadata is made of; deleted records have none. */
export interface OaiRecord extends RecordHeader {
  course?: Course;
  teachers?: Teacher[];
  /** The uploaded image, when asked for and there is one. */
  image?: Buffer;
}

/** What a record is read with: its header alone, its metadata, or its metadata and uploaded image. */
export type Detail = 'header' | 'metadata' | 'image';

/** Reads records for the provider. */
export class RecordSource {
  constructor(
    private readonly database: Database,
    private readonly teachers: TeacherStore,
  ) {}

  /** How many records a selection holds. */
  async count(s: Selection): Promise<number> {
    return countRecords(this.database, s);
  }

  /** Up to `limit` records of a selection after (datestamp, id), read with `detail`. */
  async page(s: Selection, after: { datestamp: string; id: string } | undefined, limit: number, detail: Detail): Promise<OaiRecord[]> {
    const rows = await recordHeaders(this.database, s, after, limit);
    return detail === 'header' ? rows : this.withMetadata(rows, detail === 'image');
  }

  /** One record with its metadata, or undefined. */
  async get(id: string, detail: Exclude<Detail, 'header'> = 'metadata'): Promise<OaiRecord | undefined> {
    const header = await recordHeader(this.database, id);
    return header === undefined ? undefined : (await this.withMetadata([header], detail === 'image'))[0];
  }

  /** The earliest datestamp, or undefined for an empty repository. */
  async earliest(): Promise<Date | undefined> {
    return earliestDatestamp(this.database);
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
