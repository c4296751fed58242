/**
 * The Khan Academy warehouse tables (reference/platforms.md, "Khan Academy"), written by
 * upserts that keep history: a row seen again keeps its first_seen and moves its
 * last_seen, where the old loader truncated and reloaded every night.
 *
 * Students are keyed by their pseudonym, the actor name of their statements, so the
 * tables join with the LRS. Nickname and username are kept only when the operator asks
 * (KHAN_STORE_NAMES); the Khan user id and emails never are. Reports read the tables
 * through `readWarehouseTable`, handed to them by the command that writes the files.
 */
import { asc, getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/connection.js';
import {
  khanBadgeDetail, khanBadgeMetadata, khanCoachStudents, khanCompositeBadges, khanCompositeExercises,
  khanExerciseMetadata, khanExerciseStates, khanStudentDetail,
} from './schema.js';
import type { Sourced } from '../../xapi/run-summary.js';
import { isObject } from '../../xapi/fields.js';
import { badgeList, nonEmpty, type KhanBadgeRecord, type KhanExerciseRecord, type KhanProgressChangeRecord, type KhanUserRecord } from './records.js';

type Json = Record<string, unknown>;
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const date = (v: string | undefined): Date | null => (v === undefined ? null : new Date(v));

/** One student's answers, read (records) and as received (for what no record states). */
export interface KhanStudentPull {
  /** The pseudonym. */
  student: string;
  /** The Khan user ids of the authorized coaches whose roster lists the student. */
  coaches: string[];
  user: Sourced<KhanUserRecord>;
  exercises: Sourced<KhanExerciseRecord>[];
  changes: Sourced<KhanProgressChangeRecord>[];
  badges: Sourced<KhanBadgeRecord>[];
  bodies: { user: unknown; exercises: unknown; badges: unknown };
}

/** The coach-student pairs of one roster. */
export async function storeRoster(database: Database, coach: string, students: string[], now: Date): Promise<void> {
  await upsert(database, khanCoachStudents, ['coach', 'student'], students.map((student) => ({ coach, student, firstSeen: now, lastSeen: now })));
}

/**
 * One student's rows in stu_detail, composite_exercises, exercise_states, badge_detail
 * and composite_badges. Rejected records write nothing; the good ones beside them do.
 */
export async function storeStudent(database: Database, pull: KhanStudentPull, now: Date, storeNames: boolean): Promise<void> {
  const { student } = pull;
  const seen = { firstSeen: now, lastSeen: now };
  if (pull.user.ok) {
    const r = pull.user.record;
    const lev = (c: number) => r.badgeCounts[String(c)] ?? 0;
    const profile = isObject(pull.bodies.user) ? pull.bodies.user : {};
    await upsert(database, khanStudentDetail, ['student'], [{
      student, points: r.points, totalSecondsWatched: r.totalSecondsWatched,
      badgeLev0: lev(0), badgeLev1: lev(1), badgeLev2: lev(2), badgeLev3: lev(3), badgeLev4: lev(4), badgeLev5: lev(5),
      coaches: [...pull.coaches].sort(), firstVisit: date(r.firstVisit), joined: date(r.joined), registrationDate: date(r.registrationDate),
      // Personal: nickname, username and profile_root (`/profile/<username or kaid>/`) only when asked.
      nickname: storeNames ? nonEmpty(profile.nickname) : null, username: storeNames ? nonEmpty(profile.username) : null,
      profileRoot: storeNames ? nonEmpty(profile.profile_root) : null,
      proficientExercises: r.proficientExercises, allProficientExercises: r.allProficientExercises, ...seen,
    }]);
  }
  // `progress` (0 to 1) is in no record (no statement states it): read from the same item.
  // `level` is the highest level reached (maximum_exercise_progress), as the old tool wrote it.
  const raw = Array.isArray(pull.bodies.exercises) ? pull.bodies.exercises : [];
  await upsert(database, khanCompositeExercises, ['student', 'exercise'], pull.exercises.flatMap((s, i) => {
    if (!s.ok) return [];
    const r = s.record;
    const item = raw[i];
    const progress = isObject(item) && typeof item.progress === 'number' ? item.progress : null;
    return [{
      student, exercise: r.exercise, streak: r.streak, progress, practicedDate: date(r.practicedDate), proficientDate: date(r.proficientDate),
      totalDone: r.totalDone, totalCorrect: r.totalCorrect, struggling: r.struggling, proficient: r.proficient, practiced: r.practiced,
      mastered: r.mastered, level: r.maximumLevel ?? null, lastDone: date(r.lastDone), longestStreak: r.longestStreak,
      maximumExerciseProgressDt: date(r.maximumExerciseProgressDt), ...seen,
    }];
  }));
  await upsert(database, khanExerciseStates, ['student', 'exercise', 'date'], oks(pull.changes).map((r) => ({
    student, exercise: r.exercise, date: new Date(r.date), fromProgress: r.fromLevel ?? null, toProgress: r.toLevel, ...seen,
  })));
  await upsert(database, khanBadgeDetail, ['student', 'slug', 'dateEarned'], oks(pull.badges).map((r) => ({
    student, slug: r.slug, dateEarned: new Date(r.date), context: r.targetContext ?? null, ...seen,
  })));
  await upsert(database, khanCompositeBadges, ['student', 'slug'], compositeBadges(pull.bodies.badges).map((b) => ({ student, ...b, ...seen })));
}

/** `/api/v1/badges` entries (each with a slug or name) into badge_metadata. */
export async function storeBadgeMetadata(database: Database, badges: Json[], now: Date): Promise<void> {
  await upsert(database, khanBadgeMetadata, ['slug'], badges.flatMap((b) => {
    const slug = nonEmpty(b.slug) ?? nonEmpty(b.name);
    if (slug === null) return [];
    const icons = isObject(b.icons) ? Object.fromEntries(Object.entries(b.icons).filter((e): e is [string, string] => typeof e[1] === 'string')) : null;
    return [{
      slug, name: nonEmpty(b.name), description: nonEmpty(b.description), translatedDescription: nonEmpty(b.translated_description),
      safeExtendedDescription: nonEmpty(b.safe_extended_description), translatedSafeExtendedDescription: nonEmpty(b.translated_safe_extended_description),
      badgeCategory: int(b.badge_category), points: int(b.points), isRetired: bool(b.is_retired), hideContext: bool(b.hide_context),
      absoluteUrl: nonEmpty(b.absolute_url), relativeUrl: nonEmpty(b.relative_url), iconSrc: nonEmpty(b.icon_src),
      iconsCompact: nonEmpty(icons?.compact), iconsEmail: nonEmpty(icons?.email), iconsLarge: nonEmpty(icons?.large), iconsSmall: nonEmpty(icons?.small),
      icons, firstSeen: now, lastSeen: now,
    }];
  }));
}

/** `/api/v1/exercises` entries (each with a name) into exer_metadata, the whole entry kept as JSON. */
export async function storeExerciseMetadata(database: Database, exercises: Json[], now: Date): Promise<void> {
  await upsert(database, khanExerciseMetadata, ['name'], exercises.flatMap((e) => {
    const name = nonEmpty(e.name);
    return name === null ? [] : [{ name, displayName: nonEmpty(e.display_name), data: e, firstSeen: now, lastSeen: now }];
  }));
}

/** The warehouse tables by the old tool's file names, each with the sort that keeps its files stable. */
const WAREHOUSE = {
  badge_metadata: { table: khanBadgeMetadata, order: [khanBadgeMetadata.slug] },
  composite_badges: { table: khanCompositeBadges, order: [khanCompositeBadges.student, khanCompositeBadges.slug] },
  badge_detail: { table: khanBadgeDetail, order: [khanBadgeDetail.student, khanBadgeDetail.slug, khanBadgeDetail.dateEarned] },
  composite_exercises: { table: khanCompositeExercises, order: [khanCompositeExercises.student, khanCompositeExercises.exercise] },
  stu_detail: { table: khanStudentDetail, order: [khanStudentDetail.student] },
  coach_students: { table: khanCoachStudents, order: [khanCoachStudents.coach, khanCoachStudents.student] },
  exercise_states: { table: khanExerciseStates, order: [khanExerciseStates.student, khanExerciseStates.exercise, khanExerciseStates.date] },
  exer_metadata: { table: khanExerciseMetadata, order: [khanExerciseMetadata.name] },
} satisfies Record<string, { table: PgTable; order: PgColumn[] }>;

/** A warehouse table's old file name. */
export type WarehouseTableName = keyof typeof WAREHOUSE;

/**
 * Every row of a warehouse table, keyed by column property (`firstSeen`, ...), in a stable order.
 * @example const students = await readWarehouseTable(database, 'stu_detail');
 */
export async function readWarehouseTable(database: Database, name: WarehouseTableName): Promise<Record<string, unknown>[]> {
  const { table, order } = WAREHOUSE[name];
  return database.db.select().from(table as PgTable).orderBy(...order.map((c) => asc(c)));
}

/** Every badge of a student's `/api/v1/user/badges`, owned or not, with how many times it was awarded. */
function compositeBadges(body: unknown): { slug: string; owned: boolean; count: number }[] {
  const list = badgeList(body);
  return (Array.isArray(list) ? list : []).flatMap((b: unknown) => {
    const slug = isObject(b) ? nonEmpty(b.slug) ?? nonEmpty(b.name) : null;
    if (!isObject(b) || slug === null) return [];
    const count = Array.isArray(b.user_badges) ? b.user_badges.length : 0;
    return [{ slug, owned: typeof b.is_owned === 'boolean' ? b.is_owned : count > 0, count }];
  });
}

/** Rows per upsert statement: 20 columns × 1000 rows stays far below PostgreSQL's parameter limit. */
const UPSERT_ROWS = 1000;

function oks<T>(sourced: Sourced<T>[]): T[] {
  return sourced.flatMap((s) => (s.ok ? [s.record] : []));
}

/**
 * Inserts `rows`, or on a key already there updates every column but the key and
 * first_seen. Rows repeating a key are merged first (the last wins): PostgreSQL refuses
 * an ON CONFLICT that touches one row twice.
 */
async function upsert<T extends PgTable>(database: Database, table: T, keys: (keyof T['_']['columns'] & string)[], rows: T['$inferInsert'][]): Promise<void> {
  const keyOf = (r: Json) => keys.map((k) => (r[k] instanceof Date ? (r[k] as Date).toISOString() : String(r[k]))).join('\u0000');
  const unique = [...new Map(rows.map((r) => [keyOf(r as Json), r])).values()];
  if (unique.length === 0) return;
  const columns = getTableColumns(table);
  const set = Object.fromEntries(Object.entries(columns)
    .filter(([k]) => !keys.includes(k) && k !== 'firstSeen')
    .map(([k, c]) => [k, sql`excluded.${sql.identifier(c.name)}`]));
  // A statement holds at most 65535 parameters: a large roster goes in slices.
  for (let i = 0; i < unique.length; i += UPSERT_ROWS) {
    await database.db.insert(table).values(unique.slice(i, i + UPSERT_ROWS)).onConflictDoUpdate({ target: keys.map((k) => columns[k]!), set: set as PgUpdateSetSource<T> });
  }
}
