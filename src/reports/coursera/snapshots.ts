/**
 * Daily snapshots of the Coursera indicators: the job (COURSERA_SNAPSHOT_CRON) keeps every
 * learner's scaled indicators of each course as they are that day, and `?at=` of the
 * widget API and the CSV reads a past day from them, so that last week's values a learner
 * saw can be shown again exactly, whatever data arrived or changed since. A day without a
 * snapshot is computed from the statements up to its end, as before.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import type { CourseraIndicatorService } from './course-indicators.js';
import type { ScaledIndicator } from './scaling.js';
import { courseraIndicatorSnapshots } from './schema.js';

const BATCH = 500;

/** The UTC day of a time, `YYYY-MM-DD`. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * The Coursera courses the gateway knows: those with settings, export jobs or sessions.
 * @example await knownCourseraCourses(database) // ['C1', 'C2']
 */
export async function knownCourseraCourses(database: Database): Promise<string[]> {
  const { rows } = await database.query<{ course_id: string }>(
    `SELECT course_id FROM coursera_course_settings UNION SELECT course_id FROM coursera_export_jobs
     UNION SELECT course_id FROM coursera_sessions ORDER BY 1`,
  );
  return rows.map((r) => r.course_id);
}

/**
 * Takes the snapshot of `courseId` at `at` for its UTC day, replacing one taken earlier
 * that day; returns how many learners it holds.
 * @example await snapshotCourse(service, database, 'C1', new Date()) // 120
 */
export async function snapshotCourse(service: CourseraIndicatorService, database: Database, courseId: string, at: Date): Promise<number> {
  const result = await service.courseIndicators(courseId, at);
  const day = utcDay(at);
  for (let i = 0; i < result.learners.length; i += BATCH) {
    const rows = result.learners.slice(i, i + BATCH).map(({ learner, indicators }) => ({ courseId, day, learner, indicators, takenAt: at }));
    await database.db.insert(courseraIndicatorSnapshots).values(rows).onConflictDoUpdate({
      target: [courseraIndicatorSnapshots.courseId, courseraIndicatorSnapshots.day, courseraIndicatorSnapshots.learner],
      set: { indicators: sql`excluded.indicators`, takenAt: sql`excluded.taken_at` },
    });
  }
  return result.learners.length;
}

/**
 * The snapshot of every known course for the day of `at`; what the job runs.
 * @example await snapshotAllCourses(service, database, new Date()) // { courses: 2, learners: 240 }
 */
export async function snapshotAllCourses(service: CourseraIndicatorService, database: Database, at: Date): Promise<{ courses: number; learners: number }> {
  let learners = 0;
  const courses = await knownCourseraCourses(database);
  for (const course of courses) learners += await snapshotCourse(service, database, course, at);
  return { courses: courses.length, learners };
}

/** A day's snapshot: when it was taken and every learner's indicators then. */
export interface Snapshot {
  takenAt: string;
  learners: { learner: string; indicators: ScaledIndicator[] }[];
}

/**
 * The snapshot of `courseId` for `day` (one learner's, when given); undefined when none was taken.
 * @example (await readSnapshot(database, 'C1', '2026-03-09', name))?.learners[0]?.indicators
 */
export async function readSnapshot(database: Database, courseId: string, day: string, learner?: string): Promise<Snapshot | undefined> {
  const { rows } = await database.query<{ learner: string; indicators: ScaledIndicator[]; taken_at: Date | string }>(
    `SELECT learner, indicators, taken_at FROM coursera_indicator_snapshots
      WHERE course_id = $1 AND day = $2 AND ($3::text IS NULL OR learner = $3) ORDER BY learner`,
    [courseId, day, learner ?? null],
  );
  if (rows.length === 0) return undefined;
  return { takenAt: new Date(rows[0]!.taken_at).toISOString(), learners: rows.map((r) => ({ learner: r.learner, indicators: r.indicators })) };
}
