/**
 * The Khan Academy warehouse tables as report tables, with the old tool's names and
 * columns (reference/platforms.md, "Khan Academy") plus first_seen and last_seen. They
 * read the tables the nightly pull upserts, not statements: these tables are the
 * warehouse, and keep what statements leave out (unowned badges, metadata). The pull
 * owns them (ingest/khan/warehouse.ts): its reader is handed in, as `KhanTableReader`.
 * Students are named by their pseudonym, as the pull stores them (the actor name of their statements).
 */
import type { Cell, Column, ReportTable } from '../table.js';

/** The tables, by their old file names. */
export const KHAN_TABLES = [
  'badge_metadata', 'composite_badges', 'badge_detail', 'composite_exercises', 'stu_detail', 'coach_students', 'exercise_states', 'exer_metadata',
] as const;

/** One table's name. */
export type KhanTableName = (typeof KHAN_TABLES)[number];

/** Every row of a table, keyed by column property (`firstSeen`, ...), in a stable order. */
export type KhanTableReader = (name: KhanTableName) => Promise<Record<string, unknown>[]>;

type Value = string | number | boolean | Date | null | undefined | string[] | Record<string, unknown>;
interface Definition {
  description: string;
  /** CSV column → description and the row's value. */
  columns: [name: string, description: string, value: (row: Record<string, Value>) => Value][];
}

const STUDENT = 'the student: a pseudonym (HMAC-SHA256 of the Khan user id)';
const SEEN: Definition['columns'] = [
  ['first_seen', 'when a pull first saw this row (UTC)', (r) => r.firstSeen],
  ['last_seen', 'when a pull last saw this row (UTC)', (r) => r.lastSeen],
];
const col = (name: string, description: string, key: string): Definition['columns'][number] => [name, description, (r) => r[key]];
/** A list column: its entries joined by "|", as the old files had them. */
const listCol = (name: string, description: string, key: string): Definition['columns'][number] =>
  [name, `${description}, separated by "|"`, (r) => { const v = r[key]; return Array.isArray(v) ? v.join('|') : null; }];

const DEFINITIONS: Record<KhanTableName, Definition> = {
  badge_metadata: {
    description: "Khan Academy's public badge list (/api/v1/badges), one row per badge.",
    columns: [
      col('slug', "the badge's URL slug (else its name)", 'slug'),
      col('name', "the badge's internal name, which awards name it by", 'name'),
      col('description', "the badge's title", 'description'),
      col('translated_description', "the badge's title in the pulling account's language", 'translatedDescription'),
      col('safe_extended_description', 'what earns the badge', 'safeExtendedDescription'),
      col('translated_safe_extended_description', "what earns the badge, in the pulling account's language", 'translatedSafeExtendedDescription'),
      col('badge_category', '0 meteorite, 1 moon, 2 earth, 3 sun, 4 black hole, 5 challenge patch', 'badgeCategory'),
      col('points', 'energy points the badge gives', 'points'),
      col('is_retired', 'the badge can no longer be earned', 'isRetired'),
      col('hide_context', 'Khan does not show what an award was earned on', 'hideContext'),
      col('absolute_url', "the badge's page", 'absoluteUrl'),
      col('relative_url', "the badge's page, from the site's root", 'relativeUrl'),
      col('icon_src', "the badge's default icon URL", 'iconSrc'),
      col('icons_compact', 'the compact icon URL', 'iconsCompact'),
      col('icons_email', 'the icon URL used in emails', 'iconsEmail'),
      col('icons_large', 'the large icon URL', 'iconsLarge'),
      col('icons_small', 'the small icon URL', 'iconsSmall'),
      ['icons', 'icon URLs by size, as JSON', (r) => r.icons],
      ...SEEN,
    ],
  },
  composite_badges: {
    description: 'Per student and badge: whether the student owns it and how many times it was awarded.',
    columns: [col('student', STUDENT, 'student'), col('slug', "the badge's slug", 'slug'), col('owned', 'true when awarded at least once', 'owned'), col('count', 'times awarded', 'count'), ...SEEN],
  },
  badge_detail: {
    description: 'Every badge award of a student.',
    columns: [
      col('student', STUDENT, 'student'), col('slug', "the badge's slug", 'slug'), col('date_earned', 'when it was awarded (UTC)', 'dateEarned'),
      col('context', 'what it was earned on (target_context_name), e.g. an exercise', 'context'), ...SEEN,
    ],
  },
  composite_exercises: {
    description: "A student's state and totals per exercise (/api/v1/user/exercises).",
    columns: [
      col('student', STUDENT, 'student'), col('exercise', "the exercise's internal name (exercise_model.name)", 'exercise'),
      col('streak', 'current streak of correct answers', 'streak'), col('progress', 'progress towards proficiency, 0 to 1', 'progress'),
      col('practiced_date', 'when first practiced (UTC)', 'practicedDate'), col('proficient_date', 'when first proficient (UTC)', 'proficientDate'),
      col('total_done', 'problems done', 'totalDone'), col('total_correct', 'problems answered correctly', 'totalCorrect'),
      col('struggling', 'the student is struggling', 'struggling'), col('proficient', 'the student is proficient', 'proficient'),
      col('practiced', 'the student has practiced', 'practiced'), col('mastered', 'the student has mastered it', 'mastered'),
      col('level', 'maximum_exercise_progress.level, the highest level reached: unstarted, struggling, practiced, mastery1..3 (older: proficient, review)', 'level'),
      col('last_done', 'when last done (UTC)', 'lastDone'), col('longest_streak', 'longest streak of correct answers', 'longestStreak'),
      col('maximum_exercise_progress_dt', 'when the highest level was reached (UTC)', 'maximumExerciseProgressDt'), ...SEEN,
    ],
  },
  stu_detail: {
    description: "A student's profile totals (/api/v1/user). Emails and the Khan user id are never kept; nickname, username and profile_root only with KHAN_STORE_NAMES=true.",
    columns: [
      col('student', STUDENT, 'student'), col('points', 'energy points', 'points'), col('total_seconds_watched', 'seconds of video watched in all', 'totalSecondsWatched'),
      ...[0, 1, 2, 3, 4, 5].map((n) => col(`badge_lev${n}`, `badges held of category ${n}`, `badgeLev${n}`)),
      listCol('coaches', 'the Khan user ids of the authorized coaches whose roster lists the student (never emails)', 'coaches'),
      col('first_visit', 'first visit (UTC)', 'firstVisit'),
      col('joined', 'when the account was made (UTC)', 'joined'), col('registration_date', 'when the account was registered (UTC)', 'registrationDate'),
      col('nickname', "the student's Khan nickname, only with KHAN_STORE_NAMES=true (personal data)", 'nickname'),
      col('username', "the student's Khan username, only with KHAN_STORE_NAMES=true (personal data)", 'username'),
      col('profile_root', "the student's profile path (/profile/<username or kaid>/), only with KHAN_STORE_NAMES=true (personal data)", 'profileRoot'),
      listCol('proficient_exercises', 'exercises the student is proficient in', 'proficientExercises'),
      listCol('all_proficient_exercises', 'exercises the student is proficient in, including those implied by a harder one they mastered', 'allProficientExercises'),
      ...SEEN,
    ],
  },
  coach_students: {
    description: 'Who coaches whom: every coach-student pair of the rosters.',
    columns: [col('coach', "the coach's Khan user id", 'coach'), col('student', STUDENT, 'student'), ...SEEN],
  },
  exercise_states: {
    description: "A student's changes of level per exercise (/api/v1/user/exercises/progress_changes).",
    columns: [
      col('student', STUDENT, 'student'), col('exercise', "the exercise's internal name", 'exercise'), col('date', 'when the level changed (UTC)', 'date'),
      col('from_progress', 'the level before', 'fromProgress'), col('to_progress', 'the level after', 'toProgress'), ...SEEN,
    ],
  },
  exer_metadata: {
    description: "Khan Academy's public exercise list (/api/v1/exercises).",
    columns: [col('name', "the exercise's internal name", 'name'), col('display_name', "the exercise's title", 'displayName'), ['data', 'the whole entry as JSON', (r) => r.data], ...SEEN],
  },
};

/** A value as a CSV cell: times in ISO 8601 UTC, objects as JSON. */
function cell(v: Value): Cell {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

/**
 * Reads the named warehouse tables into report tables.
 * @example const [students] = await khanTables((name) => readWarehouseTable(database, name), ['stu_detail']);
 */
export async function khanTables(read: KhanTableReader, names: readonly KhanTableName[]): Promise<ReportTable[]> {
  const tables: ReportTable[] = [];
  for (const name of names) {
    const d = DEFINITIONS[name];
    const rows = (await read(name)) as Record<string, Value>[];
    tables.push({
      name,
      description: d.description,
      columns: d.columns.map(([column, description]): Column => ({ name: column, description })),
      rows: rows.map((row) => d.columns.map(([, , value]) => cell(value(row)))),
    });
  }
  return tables;
}
