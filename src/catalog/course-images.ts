/**
 * Course images uploaded through the admin API, kept in the database beside the course.
 * ECO shows them from `eco:courseImageBase64` in oai_lom (eco.md); the public GET serves
 * them to everyone else. The type is taken from the bytes, never from the client alone.
 */
import { createHash } from 'node:crypto';
import type { Database, SqlSession } from '../db/connection.js';

const startsWith = (bytes: Uint8Array, at: number, expected: string) =>
  bytes.length >= at + expected.length && [...expected].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));

/** The image types taken, by media type: how their files start (the "magic bytes"). */
const SIGNATURES = {
  'image/png': (b: Uint8Array) => startsWith(b, 0, '\x89PNG\r\n\x1a\n'),
  'image/jpeg': (b: Uint8Array) => startsWith(b, 0, '\xff\xd8\xff'),
  'image/gif': (b: Uint8Array) => startsWith(b, 0, 'GIF87a') || startsWith(b, 0, 'GIF89a'),
  'image/webp': (b: Uint8Array) => startsWith(b, 0, 'RIFF') && startsWith(b, 8, 'WEBP'),
} satisfies Record<string, (bytes: Uint8Array) => boolean>;

/** A media type of an image the catalogue takes. */
export type ImageMediaType = keyof typeof SIGNATURES;

/** Every media type taken, for Content-Type checks and messages. */
export const IMAGE_MEDIA_TYPES = Object.keys(SIGNATURES) as ImageMediaType[];

/** ECO drops a downloaded image under 20 bytes (eco.md); no real image is that small. */
export const MIN_IMAGE_BYTES = 20;

/** The type the bytes start as, or undefined when they are none of the types taken. */
export function sniffImageType(bytes: Uint8Array): ImageMediaType | undefined {
  return IMAGE_MEDIA_TYPES.find((type) => SIGNATURES[type](bytes));
}

/** A stored image. */
export interface CourseImage {
  mediaType: ImageMediaType;
  content: Buffer;
  /** SHA-256 of the content, base64url: the strong ETag. */
  etag: string;
  updatedAt: Date;
}

interface ImageRow {
  media_type: ImageMediaType;
  content: Buffer | Uint8Array;
  etag: string;
  updated_at: Date;
}

const imageOf = (r: ImageRow): CourseImage => ({ mediaType: r.media_type, content: Buffer.from(r.content), etag: r.etag, updatedAt: new Date(r.updated_at) });

/** The images of one database. */
export class CourseImageStore {
  constructor(private readonly database: Database) {}

  /**
   * Stores the image of a course that is not deleted (undefined otherwise), replacing any;
   * the course's datestamp moves, so harvesters fetch its record again.
   */
  async put(courseId: string, mediaType: ImageMediaType, content: Buffer): Promise<{ image: CourseImage; created: boolean } | undefined> {
    const etag = createHash('sha256').update(content).digest('base64url');
    return this.database.transaction(async (session) => {
      if (!(await touchCourse(session, courseId))) return undefined;
      const { rows } = await session.query<ImageRow & { created: boolean }>(
        `INSERT INTO catalog_course_images (course_id, media_type, content, etag, updated_at) VALUES ($1, $2, $3, $4, clock_timestamp())
         ON CONFLICT (course_id) DO UPDATE SET media_type = $2, content = $3, etag = $4, updated_at = clock_timestamp()
         RETURNING media_type, content, etag, updated_at, (xmax = 0) AS created`,
        [courseId, mediaType, content, etag],
      );
      return { image: imageOf(rows[0]!), created: rows[0]!.created };
    });
  }

  /** Removes the image of a course that is not deleted; false when there was none. */
  async remove(courseId: string): Promise<boolean> {
    return this.database.transaction(async (session) => {
      const { rows } = await session.query(`DELETE FROM catalog_course_images WHERE course_id = $1 RETURNING course_id`, [courseId]);
      return rows.length > 0 && (await touchCourse(session, courseId));
    });
  }

  /** The image of a course that is not deleted; with `published`, only of a course served in OAI-PMH. */
  async get(courseId: string, opts: { published: boolean }): Promise<CourseImage | undefined> {
    const { rows } = await this.database.query<ImageRow>(
      `SELECT i.media_type, i.content, i.etag, i.updated_at FROM catalog_course_images i JOIN catalog_courses c ON c.id = i.course_id
        WHERE i.course_id = $1 AND NOT c.removed ${opts.published ? `AND c.oai_status = 'active'` : ''}`,
      [courseId],
    );
    return rows[0] === undefined ? undefined : imageOf(rows[0]);
  }
}

/** The image bytes of these courses, by course id, for their records. */
export async function courseImagesOf(session: SqlSession, courseIds: string[]): Promise<Map<string, Buffer>> {
  if (courseIds.length === 0) return new Map();
  const { rows } = await session.query<{ course_id: string; content: Buffer | Uint8Array }>(
    `SELECT course_id, content FROM catalog_course_images WHERE course_id = ANY($1::text[])`,
    [courseIds],
  );
  return new Map(rows.map((r) => [r.course_id, Buffer.from(r.content)]));
}

/** Moves the datestamp of a course that is not deleted; false when there is none. */
async function touchCourse(session: SqlSession, courseId: string): Promise<boolean> {
  const { rows } = await session.query(`UPDATE catalog_courses SET datestamp = clock_timestamp() WHERE id = $1 AND NOT removed RETURNING id`, [courseId]);
  return rows.length > 0;
}
