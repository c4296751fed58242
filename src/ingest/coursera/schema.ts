/**
 * The Coursera export jobs and files a pull keeps (fetch-run.ts).
 * drizzle-kit reads every schema file listed in drizzle.config.ts.
 */
import { bigint, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../db/columns.js';

/**
 * Coursera export jobs this gateway requested, so that a run that stopped half-way
 * resumes without requesting twice, and what became of each: its last known status,
 * the folder it was unpacked into, and the import that read it.
 */
export const courseraExportJobs = pgTable(
  'coursera_export_jobs',
  {
    /** Coursera's job id. */
    id: text('id').primaryKey(),
    courseId: text('course_id').notNull(),
    /** `tables` (RESEARCH_WITH_SCHEMAS) or `clickstream` (RESEARCH_EVENTING). */
    kind: text('kind').notNull(),
    /** The day the job was requested for (tables) or the last day of its interval (clickstream), YYYY-MM-DD. */
    day: text('day').notNull(),
    intervalStart: text('interval_start'),
    intervalEnd: text('interval_end'),
    /** PENDING, IN_PROGRESS, SUCCESSFUL or TERMINATED, as Coursera last said. */
    status: text('status').notNull(),
    folder: text('folder'),
    downloadedAt: timestamptz('downloaded_at'),
    importedAt: timestamptz('imported_at'),
    importRunId: integer('import_run_id'),
    /** The last failure of a step on this job (download, unpack, import), retried on the next run. */
    lastError: text('last_error'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('coursera_export_jobs_course_idx').on(t.courseId, t.kind, t.day)],
);

/** Every file downloaded for a job: never fetched again once here. */
export const courseraExportFiles = pgTable(
  'coursera_export_files',
  {
    jobId: text('job_id').notNull().references(() => courseraExportJobs.id, { onDelete: 'cascade' }),
    /** The file's name as downloaded (e.g. `access-2026-11-21.csv.gz`, `tables.zip`). */
    name: text('name').notNull(),
    path: text('path').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    downloadedAt: timestamptz('downloaded_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.name] })],
);

/**
 * Coursera's on-demand sessions of a course (`on_demand_sessions`): the cohorts, each
 * with its start, as the exports carry them. The indicators take a learner's cohort
 * start from the session they are a member of.
 */
export const courseraSessions = pgTable(
  'coursera_sessions',
  {
    courseId: text('course_id').notNull(),
    sessionId: text('session_id').notNull(),
    startsAt: timestamptz('starts_at').notNull(),
    endsAt: timestamptz('ends_at'),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.sessionId] })],
);

/** Learners' memberships of sessions (`on_demand_session_memberships`), by account name (a pseudonym), never the Coursera id. */
export const courseraSessionMembers = pgTable(
  'coursera_session_members',
  {
    courseId: text('course_id').notNull(),
    sessionId: text('session_id').notNull(),
    learner: text('learner').notNull(),
    startsAt: timestamptz('starts_at').notNull(),
    endsAt: timestamptz('ends_at'),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.sessionId, t.learner] }), index('coursera_session_members_learner_idx').on(t.courseId, t.learner)],
);
