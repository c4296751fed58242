/**
 * The Khan Academy tables: authorized coaches (coach-store.ts) and the warehouse the
 * nightly pull upserts (warehouse.ts).
 * drizzle-kit reads every schema file listed in drizzle.config.ts.
 */
import { boolean, integer, jsonb, pgTable, primaryKey, real, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../db/columns.js';

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

/** `badge_metadata`: Khan's public badge list, every field of the API's badge object. */
export const khanBadgeMetadata = pgTable('khan_badge_metadata', {
  slug: text('slug').primaryKey(),
  /** The badge's internal name (`greatlistener`), what awards name it by. */
  name: text('name'),
  description: text('description'),
  translatedDescription: text('translated_description'),
  safeExtendedDescription: text('safe_extended_description'),
  translatedSafeExtendedDescription: text('translated_safe_extended_description'),
  badgeCategory: integer('badge_category'),
  points: integer('points'),
  isRetired: boolean('is_retired'),
  hideContext: boolean('hide_context'),
  absoluteUrl: text('absolute_url'),
  relativeUrl: text('relative_url'),
  iconSrc: text('icon_src'),
  iconsCompact: text('icons_compact'),
  iconsEmail: text('icons_email'),
  iconsLarge: text('icons_large'),
  iconsSmall: text('icons_small'),
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
  /** The Khan user ids of the authorized coaches whose roster lists the student (never their emails). */
  coaches: jsonb('coaches').$type<string[]>(),
  firstVisit: timestamptz('first_visit'),
  joined: timestamptz('joined'),
  registrationDate: timestamptz('registration_date'),
  nickname: text('nickname'),
  username: text('username'),
  /** `/profile/<username or kaid>/`: names the student, so kept only as nickname and username are. */
  profileRoot: text('profile_root'),
  proficientExercises: jsonb('proficient_exercises').$type<string[]>(),
  allProficientExercises: jsonb('all_proficient_exercises').$type<string[]>(),
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
