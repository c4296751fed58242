/**
 * The tables of the Coursera indicators: course settings and learners' choices.
 * drizzle-kit reads every schema file listed in drizzle.config.ts.
 */
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../db/columns.js';

/**
 * What the Coursera indicators need to know of a course that its data does not say:
 * when the cohort started, how long a module is, the weights of graded items, and the
 * previous cohort whose maxima scale the indicators (or those maxima, given).
 */
export const courseraCourseSettings = pgTable('coursera_course_settings', {
  courseId: text('course_id').primaryKey(),
  cohortStart: timestamptz('cohort_start'),
  moduleLengthDays: integer('module_length_days').notNull().default(7),
  /** Item id → weight of its grade in the current grade (indicator 12); empty = graded items weigh the same. */
  gradeWeights: jsonb('grade_weights').$type<Record<string, number>>().notNull().default({}),
  /** Weights of questions, answers in own threads and other answers (indicator 2). */
  forumWeights: jsonb('forum_weights').$type<{ questions: number; ownThreadAnswers: number; otherAnswers: number }>(),
  /** The previous cohort's Coursera course id: its data gives the maxima that scale indicators. */
  previousCourseId: text('previous_course_id'),
  /** Indicator number → maximum, used where the previous cohort has no data. */
  maxima: jsonb('maxima').$type<Record<string, number>>().notNull().default({}),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/**
 * Learners' choices of the indicators their widget shows, with history: every change is
 * a new row, the latest row per course and learner is the current choice. The weekly job
 * adds a row that opens the choice again.
 */
export const courseraIndicatorChoices = pgTable(
  'coursera_indicator_choices',
  {
    id: serial('id').primaryKey(),
    courseId: text('course_id').notNull(),
    /** The learner's account name in statements (a pseudonym), never the Coursera id. */
    learner: text('learner').notNull(),
    consent: boolean('consent').notNull(),
    goal: text('goal'),
    /** Indicator numbers 1 to 12 the learner chose to see. */
    indicators: jsonb('indicators').$type<number[]>().notNull(),
    /** Whether the learner may choose now (the weekly job opens, a choice closes). */
    open: boolean('open').notNull(),
    /** `learner` (the widget), `weekly` (the job), `admin`. */
    reason: text('reason').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('coursera_indicator_choices_learner_idx').on(t.courseId, t.learner, t.id)],
);

/**
 * The indicators of every learner of a course as they were on a day (UTC), taken by the
 * daily job (COURSERA_SNAPSHOT_CRON), so that the widget and the CSV show a past day as
 * the learner saw it, whatever data arrived since (`?at=` reads them).
 */
export const courseraIndicatorSnapshots = pgTable(
  'coursera_indicator_snapshots',
  {
    courseId: text('course_id').notNull(),
    /** The UTC day, `YYYY-MM-DD`. */
    day: text('day').notNull(),
    /** The learner's account name in statements (a pseudonym), never the Coursera id. */
    learner: text('learner').notNull(),
    /** The scaled indicators as the service answered them. */
    indicators: jsonb('indicators').$type<unknown[]>().notNull(),
    takenAt: timestamptz('taken_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.day, t.learner] })],
);
