/**
 * The one drizzle schema of every table, for PostgreSQL 15 and PGlite alike.
 * `npm run db:generate` turns changes into a new SQL migration in `migrations/`.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Outbox row states (DESIGN.md invariant 3). */
export const OUTBOX_STATES = ['pending', 'sent', 'conflict', 'dead'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * The durable buffer: one row per statement until the LRS has it. A row is claimed by
 * setting a lease; it stays `pending` while leased, so a crashed sender's rows become
 * claimable again when the lease expires.
 */
export const statementOutbox = pgTable(
  'statement_outbox',
  {
    id: uuid('id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    statement: jsonb('statement').notNull(),
    source: text('source').notNull(),
    state: text('state').$type<OutboxState>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamptz('lease_expires_at'),
    lastError: text('last_error'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    settledAt: timestamptz('settled_at'),
  },
  (t) => [
    check('statement_outbox_state_check', sql`${t.state} in ('pending', 'sent', 'conflict', 'dead')`),
    // The claim query walks only due pending rows, oldest first.
    index('statement_outbox_due_idx').on(t.nextAttemptAt, t.seq).where(sql`${t.state} = 'pending'`),
    index('statement_outbox_state_idx').on(t.state),
  ],
);

/** Records that could not be read, translated or validated (DESIGN.md invariant 2). */
export const rejectedRecords = pgTable(
  'rejected_records',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: bigint('run_id', { mode: 'number' }).references(() => importRuns.id, { onDelete: 'set null' }),
    source: text('source').notNull(),
    position: text('position').notNull(),
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    payload: text('payload'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('rejected_records_run_idx').on(t.runId), index('rejected_records_source_idx').on(t.source)],
);

/** Import run states; `interrupted`: its process stopped before it ended (lrs/import-run-sweep.ts). */
export const RUN_STATES = ['running', 'finished', 'failed', 'interrupted'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** One run of an importer or pull, with its summary counts. */
export const importRuns = pgTable('import_runs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  source: text('source').notNull(),
  input: text('input'),
  status: text('status').$type<RunState>().notNull().default('running'),
  startedAt: timestamptz('started_at').notNull().defaultNow(),
  endedAt: timestamptz('ended_at'),
  counts: jsonb('counts'),
  error: text('error'),
});

/**
 * Statements stored by the embedded LRS. `seq` is the sequential key that orders
 * results by `stored` and anchors `more` links; the JSON is the statement as the LRS
 * returns it (with `stored`, `authority`, `version`).
 */
export const lrsStatements = pgTable(
  'lrs_statements',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    id: uuid('id').notNull().unique(),
    statement: jsonb('statement').notNull(),
    verbId: text('verb_id').notNull(),
    registration: uuid('registration'),
    stored: timestamptz('stored').notNull(),
    timestamp: timestamptz('timestamp').notNull(),
    /** Set when a later voiding statement targets this one (Data §2.3.2). */
    voided: boolean('voided').notNull().default(false),
    /** The statement this one references through a StatementRef object, if any. */
    objectStatementId: uuid('object_statement_id'),
    /** Canonical form of the authority, for the credential that stored it. */
    authority: text('authority'),
  },
  (t) => [
    // Keyed like the result order, so that a filtered page is one ordered, limited scan.
    index('lrs_statements_verb_idx').on(t.verbId, t.stored, t.seq),
    // Partial: most statements carry no registration and no StatementRef, and a batch
    // insert pays for every index entry.
    index('lrs_statements_registration_idx').on(t.registration, t.stored, t.seq).where(sql`${t.registration} IS NOT NULL`),
    index('lrs_statements_stored_idx').on(t.stored, t.seq),
    index('lrs_statements_object_ref_idx').on(t.objectStatementId).where(sql`${t.objectStatementId} IS NOT NULL`),
    // Filtered queries also walk the statements that target another one (Communication
    // §2.1.3.s3); this index holds only those, so the walk costs nothing where there are none.
    index('lrs_statements_refs_by_stored_idx').on(t.stored, t.seq).where(sql`${t.objectStatementId} IS NOT NULL`),
  ],
);

/**
 * Which agents a statement names and in which role: `actor`, `object`, `authority`,
 * `instructor`, `team`, `<role>_member` for a Group's members, or `sub_*` inside a
 * SubStatement. The
 * `agent` filter matches actor and object; `related_agents` matches every role.
 * `ifi` is the canonical inverse functional identifier, e.g. `mbox:mailto:a@b.c`.
 */
export const lrsStatementAgents = pgTable(
  'lrs_statement_agents',
  {
    // No foreign key: link rows are written by the same statement as their parent and
    // statements are never deleted; the FK triggers cost a quarter of a batch insert.
    statementSeq: bigint('statement_seq', { mode: 'number' }).notNull(),
    ifi: text('ifi').notNull(),
    role: text('role').notNull(),
    /** The statement's `stored`, so that an `agent` page is one ordered scan of the key. */
    stored: timestamptz('stored').notNull(),
    /** The statement's verb, so that an `agent` + `verb` page is one ordered scan too. */
    verbId: text('verb_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ifi, t.stored, t.statementSeq, t.role] }),
    // Only the roles of the plain `agent` filter (AGENT_FILTER_ROLES, which the reader
    // repeats so that PostgreSQL proves the predicate): the authority row of every
    // statement stays out, half the entries a batch would add.
    index('lrs_statement_agents_verb_idx')
      .on(t.ifi, t.verbId, t.stored, t.statementSeq)
      .where(sql`${t.role} IN ('actor', 'object', 'actor_member', 'object_member')`),
  ],
);

/**
 * Which activities a statement names and in which role: `object`, `parent`,
 * `grouping`, `category`, `other`, or `sub_*` inside a SubStatement. The `activity`
 * filter matches the object; `related_activities` matches every role.
 */
export const lrsStatementActivities = pgTable(
  'lrs_statement_activities',
  {
    // No foreign key: link rows are written by the same statement as their parent and
    // statements are never deleted; the FK triggers cost a quarter of a batch insert.
    statementSeq: bigint('statement_seq', { mode: 'number' }).notNull(),
    activityId: text('activity_id').notNull(),
    role: text('role').notNull(),
    /** The statement's `stored`, so that an `activity` page is one ordered scan of the key. */
    stored: timestamptz('stored').notNull(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.stored, t.statementSeq, t.role] })],
);

/** Binary content (attachments, documents). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** Document resource kinds (Communication §2.3-§2.6). */
export const DOCUMENT_KINDS = ['state', 'activity_profile', 'agent_profile'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * Documents of the State, Activity Profile and Agent Profile resources. Parts a kind
 * does not use are '' (not NULL) so that one primary key covers every kind:
 * state = activity + agent + registration + id; activity profile = activity + id;
 * agent profile = agent + id.
 */
export const lrsDocuments = pgTable(
  'lrs_documents',
  {
    kind: text('kind').$type<DocumentKind>().notNull(),
    activityId: text('activity_id').notNull().default(''),
    agentIfi: text('agent_ifi').notNull().default(''),
    registration: text('registration').notNull().default(''),
    documentId: text('document_id').notNull(),
    content: bytea('content').notNull(),
    contentType: text('content_type').notNull(),
    /** Quoted SHA-1 of the content, as sent in ETag (Communication §3.1). */
    etag: text('etag').notNull(),
    updated: timestamptz('updated').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.activityId, t.agentIfi, t.registration, t.documentId] }),
    index('lrs_documents_updated_idx').on(t.kind, t.activityId, t.agentIfi, t.registration, t.updated),
  ],
);

/** Attachment payloads, stored once per SHA-256 (Data §2.4.11). */
export const lrsAttachments = pgTable('lrs_attachments', {
  sha2: text('sha2').primaryKey(),
  contentType: text('content_type').notNull(),
  length: integer('length').notNull(),
  content: bytea('content').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/** The canonical definition of each activity the LRS has seen (Communication §2.5). */
export const lrsActivities = pgTable('lrs_activities', {
  activityId: text('activity_id').primaryKey(),
  definition: jsonb('definition').notNull(),
  updated: timestamptz('updated').notNull().defaultNow(),
});

/** Credential scopes: read only, or read and write. */
export const CREDENTIAL_SCOPES = ['read', 'read_write'] as const;
export type CredentialScope = (typeof CREDENTIAL_SCOPES)[number];

/**
 * Credentials of the embedded LRS kept in the database (besides LRS_USERS): the secret
 * is stored only as a scrypt hash, and a revoked credential stays for the record.
 */
export const lrsCredentials = pgTable('lrs_credentials', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  username: text('username').notNull().unique(),
  secretHash: text('secret_hash').notNull(),
  scope: text('scope').$type<CredentialScope>().notNull(),
  label: text('label'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  revokedAt: timestamptz('revoked_at'),
});

/**
 * Secrets the gateway generates for itself when none is configured, shared by every
 * instance on the database: `pseudonym` keys the learners' HMAC pseudonyms.
 */
export const gatewaySecrets = pgTable('gateway_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/**
 * Links between a platform's users and ECO users (the ECO OpenID Connect `sub`): a
 * linked learner's statements name the ECO user id instead of a pseudonym, so that
 * the ECO API finds them (DESIGN.md invariant 4).
 */
export const identityLinks = pgTable(
  'identity_links',
  {
    platform: text('platform').notNull(),
    platformUserId: text('platform_user_id').notNull(),
    ecoUserId: text('eco_user_id').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.platformUserId] }), index('identity_links_eco_user_idx').on(t.ecoUserId)],
);

/** The ECO interest areas a course belongs to (eco.md, `lom:classification`). */
export const ECO_INTEREST_AREAS = ['ECO:ES', 'ECO:SS', 'ECO:HUM', 'ECO:NSM', 'ECO:BS', 'ECO:TS'] as const;
export type EcoInterestArea = (typeof ECO_INTEREST_AREAS)[number];

/** A course's record in OAI-PMH: served, or a tombstone of one that was (`deletedRecord` persistent). */
export type OaiStatus = 'active' | 'deleted';

/**
 * Courses of the catalogue, harvested by ECO over OAI-PMH. `id` is the record's local
 * identifier (`oai:<repository>:<id>`) and the course id of the ECO API. `datestamp`
 * changes with every change. Publishing makes the record `active`; unpublishing or
 * deleting a published course leaves a `deleted` tombstone (and a deleted course row
 * stays, `removed`, for it); a course never published has no record at all.
 */
export const catalogCourses = pgTable(
  'catalog_courses',
  {
    id: text('id').primaryKey(),
    platform: text('platform').notNull(),
    platformCourseId: text('platform_course_id').notNull(),
    /** Language tag → text. */
    titles: jsonb('titles').$type<Record<string, string>>().notNull(),
    descriptions: jsonb('descriptions').$type<Record<string, string>>().notNull(),
    languages: text('languages').array().notNull(),
    url: text('url'),
    organisation: text('organisation'),
    startDate: date('start_date'),
    endDate: date('end_date'),
    units: integer('units'),
    studyLoadHours: integer('study_load_hours'),
    /** ISO 8601 duration, e.g. PT40H. */
    typicalLearningTime: text('typical_learning_time'),
    interestArea: text('interest_area').$type<EcoInterestArea>(),
    imageUrl: text('image_url'),
    oaiStatus: text('oai_status').$type<OaiStatus>(),
    removed: boolean('removed').notNull().default(false),
    datestamp: timestamptz('datestamp').notNull().defaultNow(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    // OAI-PMH pages walk (datestamp, id) over published records and tombstones.
    index('catalog_courses_oai_idx').on(t.datestamp, t.id).where(sql`${t.oaiStatus} IS NOT NULL`),
    index('catalog_courses_platform_idx').on(t.platform, t.platformCourseId),
  ],
);

/** Teachers, shown by ECO with their courses. */
export const catalogTeachers = pgTable('catalog_teachers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  imageUrl: text('image_url'),
  /** Language tag → text. */
  descriptions: jsonb('descriptions').$type<Record<string, string>>().notNull(),
  datestamp: timestamptz('datestamp').notNull().defaultNow(),
});

/** Who teaches which course, in the order they are listed. */
export const courseTeachers = pgTable(
  'course_teachers',
  {
    courseId: text('course_id').notNull().references(() => catalogCourses.id, { onDelete: 'cascade' }),
    teacherId: text('teacher_id').notNull().references(() => catalogTeachers.id, { onDelete: 'restrict' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.teacherId] })],
);

/** OAI-PMH sets; a spec `a:b` is a subset of `a`. */
export const oaiSets = pgTable('oai_sets', {
  spec: text('spec').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
});

/** Which sets a course is in. */
export const courseSets = pgTable(
  'course_sets',
  {
    courseId: text('course_id').notNull().references(() => catalogCourses.id, { onDelete: 'cascade' }),
    setSpec: text('set_spec').notNull().references(() => oaiSets.spec, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.setSpec] }), index('course_sets_spec_idx').on(t.setSpec, t.courseId)],
);

/**
 * A course's image uploaded through the admin API: served at /catalog/courses/:id/image
 * and inside oai_lom as `eco:courseImageBase64`. `mediaType` is the one the bytes start
 * as; `etag` is their SHA-256, for conditional GETs.
 */
export const catalogCourseImages = pgTable('catalog_course_images', {
  courseId: text('course_id').primaryKey().references(() => catalogCourses.id, { onDelete: 'cascade' }),
  mediaType: text('media_type').notNull(),
  content: bytea('content').notNull(),
  etag: text('etag').notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/**
 * Learners' anonymized profiles (edX `auth_userprofile` without name, address, email or
 * goals), keyed by the same account name as their statements' actor, never in statements.
 */
export const learnerProfiles = pgTable(
  'learner_profiles',
  {
    platform: text('platform').notNull(),
    /** The actor's account name: a pseudonym, or the linked ECO user id. */
    learner: text('learner').notNull(),
    language: text('language'),
    location: text('location'),
    gender: text('gender'),
    yearOfBirth: integer('year_of_birth'),
    levelOfEducation: text('level_of_education'),
    country: text('country'),
    city: text('city'),
    /** FutureLearn's age range, employment status and area, and the country detected from the IP. */
    ageRange: text('age_range'),
    employmentStatus: text('employment_status'),
    employmentArea: text('employment_area'),
    detectedCountry: text('detected_country'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.learner] })],
);

/**
 * The structure of a course run (edX `course_structure`): its blocks with type, parent,
 * order and display name, for report names and order and ECO's `tasks`.
 */
export const courseBlocks = pgTable(
  'course_blocks',
  {
    /** The platform's course id, in edX's new form. */
    courseKey: text('course_key').notNull(),
    blockId: text('block_id').notNull(),
    category: text('category').notNull(),
    parentId: text('parent_id'),
    position: integer('position').notNull(),
    displayName: text('display_name'),
  },
  (t) => [primaryKey({ columns: [t.courseKey, t.blockId] })],
);

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

/** When a Khan row was first and last seen by a pull: upserts keep history instead of reloading. */
const seen = () => ({
  firstSeen: timestamptz('first_seen').notNull().defaultNow(),
  lastSeen: timestamptz('last_seen').notNull().defaultNow(),
});

/**
 * Khan Academy coaches authorized for the nightly pull: their OAuth 1.0a access token and
 * secret sealed with AES-256-GCM (KHAN_TOKEN_KEY), never stored or shown in clear.
 */
export const khanCoaches = pgTable('khan_coaches', {
  /** Khan's `user_id` of the coach. */
  coachId: text('coach_id').primaryKey(),
  email: text('email').notNull(),
  tokenSealed: text('token_sealed').notNull(),
  secretSealed: text('secret_sealed').notNull(),
  authorizedAt: timestamptz('authorized_at').notNull().defaultNow(),
  revokedAt: timestamptz('revoked_at'),
  lastPullAt: timestamptz('last_pull_at'),
  /** Why the last pull of this coach failed (a 401: the coach must authorize again). */
  lastError: text('last_error'),
});

/** `badge_metadata`: Khan's public badge list. */
export const khanBadgeMetadata = pgTable('khan_badge_metadata', {
  slug: text('slug').primaryKey(),
  description: text('description'),
  badgeCategory: integer('badge_category'),
  points: integer('points'),
  icons: jsonb('icons').$type<Record<string, string>>(),
  ...seen(),
});

/** `composite_badges`: per student and badge, whether owned and how many times. */
export const khanCompositeBadges = pgTable(
  'khan_composite_badges',
  { student: text('student').notNull(), slug: text('slug').notNull(), owned: boolean('owned').notNull(), count: integer('count').notNull(), ...seen() },
  (t) => [primaryKey({ columns: [t.student, t.slug] })],
);

/** `badge_detail`: every badge award of a student. */
export const khanBadgeDetail = pgTable(
  'khan_badge_detail',
  { student: text('student').notNull(), slug: text('slug').notNull(), dateEarned: timestamptz('date_earned').notNull(), context: text('context'), ...seen() },
  (t) => [primaryKey({ columns: [t.student, t.slug, t.dateEarned] })],
);

/** `composite_exercises`: a student's state and totals per exercise. */
export const khanCompositeExercises = pgTable(
  'khan_composite_exercises',
  {
    student: text('student').notNull(),
    exercise: text('exercise').notNull(),
    streak: integer('streak'),
    progress: real('progress'),
    practicedDate: timestamptz('practiced_date'),
    proficientDate: timestamptz('proficient_date'),
    totalDone: integer('total_done'),
    totalCorrect: integer('total_correct'),
    struggling: boolean('struggling'),
    proficient: boolean('proficient'),
    practiced: boolean('practiced'),
    mastered: boolean('mastered'),
    level: text('level'),
    lastDone: timestamptz('last_done'),
    longestStreak: integer('longest_streak'),
    maximumExerciseProgressDt: timestamptz('maximum_exercise_progress_dt'),
    ...seen(),
  },
  (t) => [primaryKey({ columns: [t.student, t.exercise] })],
);

/** `stu_detail`: a student's profile and totals, as the old warehouse table had them. */
export const khanStudentDetail = pgTable('khan_stu_detail', {
  student: text('student').primaryKey(),
  points: integer('points'),
  totalSecondsWatched: integer('total_seconds_watched'),
  badgeLev0: integer('badge_lev0'),
  badgeLev1: integer('badge_lev1'),
  badgeLev2: integer('badge_lev2'),
  badgeLev3: integer('badge_lev3'),
  badgeLev4: integer('badge_lev4'),
  badgeLev5: integer('badge_lev5'),
  /** How many coaches the student has. */
  coaches: integer('coaches'),
  firstVisit: timestamptz('first_visit'),
  joined: timestamptz('joined'),
  nickname: text('nickname'),
  username: text('username'),
  proficientExercises: jsonb('proficient_exercises').$type<string[]>(),
  ...seen(),
});

/** `coach_students`: who coaches whom; every pair kept. */
export const khanCoachStudents = pgTable(
  'khan_coach_students',
  { coach: text('coach').notNull(), student: text('student').notNull(), ...seen() },
  (t) => [primaryKey({ columns: [t.coach, t.student] })],
);

/** `exercise_states`: a student's progress changes per exercise. */
export const khanExerciseStates = pgTable(
  'khan_exercise_states',
  {
    student: text('student').notNull(),
    exercise: text('exercise').notNull(),
    date: timestamptz('date').notNull(),
    fromProgress: text('from_progress'),
    toProgress: text('to_progress').notNull(),
    ...seen(),
  },
  (t) => [primaryKey({ columns: [t.student, t.exercise, t.date] })],
);

/** `exer_metadata`: Khan's public exercise list. */
export const khanExerciseMetadata = pgTable('khan_exercise_metadata', {
  name: text('name').primaryKey(),
  displayName: text('display_name'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  ...seen(),
});
