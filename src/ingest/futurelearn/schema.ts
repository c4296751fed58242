/**
 * FutureLearn's per-video figures, which an import keeps besides statements (side-tables.ts).
 * drizzle-kit reads every schema file listed in drizzle.config.ts.
 */
import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../db/columns.js';

/**
 * FutureLearn's per-video figures of a course run (`video-stats`): course-level report
 * data, not learner activity, so kept as rows rather than statements.
 */
export const futurelearnVideoStats = pgTable(
  'futurelearn_video_stats',
  {
    course: text('course').notNull(),
    run: text('run').notNull(),
    /** The step of the video, `week.step`. */
    stepPosition: text('step_position').notNull(),
    title: text('title'),
    videoDurationSeconds: integer('video_duration_seconds'),
    totalViews: integer('total_views'),
    /** Every column of the row as exported, for the figures this table does not name. */
    stats: jsonb('stats').$type<Record<string, string>>().notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.course, t.run, t.stepPosition] })],
);
