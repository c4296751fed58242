/**
 * FutureLearn's per-video figures and the runs read, which an import keeps besides statements (side-tables.ts).
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

/**
 * The course runs an import has read, for the index of runs: the days the run folder
 * names and the learners of its last enrolments file. One row per course and run.
 */
export const futurelearnRuns = pgTable(
  'futurelearn_runs',
  {
    course: text('course').notNull(),
    run: text('run').notNull(),
    /** First and last day, YYYY-MM-DD, from the `<run> - <start> - <end>` folder; null when not read from one. */
    startDate: text('start_date'),
    endDate: text('end_date'),
    /** Learner rows (role `learner`) of the last enrolments file read; null until one is read. */
    learners: integer('learners'),
    importedAt: timestamptz('imported_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.course, t.run] })],
);

/**
 * Rows of learners FutureLearn erased (empty `learner_id`) per run, dataset and, for
 * answers, question (`week.step.question`; '' otherwise): they give no statement, and the
 * reports say beside their figures how many they leave out (FutureLearn's own statistics
 * count them). An import replaces the counts of what it read.
 */
export const futurelearnErasedRows = pgTable(
  'futurelearn_erased_rows',
  {
    course: text('course').notNull(),
    run: text('run').notNull(),
    dataset: text('dataset').notNull(),
    question: text('question').notNull().default(''),
    rows: integer('rows').notNull(),
  },
  (t) => [primaryKey({ columns: [t.course, t.run, t.dataset, t.question] })],
);
