/**
 * The records of the Khan Academy API as the translator sees them: one variant per
 * per-student endpoint, keyed by `type` (the endpoint path), and the parsers that read
 * the API's JSON into them. A missing or malformed field becomes a rejection naming the
 * field at the item's `at`, never an exception; fields a record does not need are ignored.
 *
 * WARNING (invariant 4): a student's id is read only to be pseudonymized. Nickname,
 * username, emails (`auth_emails`, `norm:...`) and coaches are never read into a record,
 * so they cannot reach a statement.
 */
import type { Sourced } from '../../xapi/run-summary.js';
import { FieldError, isObject, isoTime, jsonFields, type FieldDialect, type Fields } from '../../xapi/fields.js';

/** The per-student endpoints read, each the source type of its records. */
export const KHAN_ENDPOINTS = {
  user: '/api/v1/user',
  exercises: '/api/v1/user/exercises',
  progressChanges: '/api/v1/user/exercises/progress_changes',
  badges: '/api/v1/user/badges',
} as const;

/** `/api/v1/user`: a student's profile totals. */
export interface KhanUserRecord {
  type: '/api/v1/user';
  userId: string;
  points: number;
  totalSecondsWatched: number;
  /** Badges held per badge category (`"0"` to `"5"`). */
  badgeCounts: Record<string, number>;
  /** The `exercise_model.name` of every exercise the student is proficient in. */
  proficientExercises: string[];
  /** `all_proficient_exercises`: the same, including those implied by a harder one they mastered. */
  allProficientExercises: string[];
  firstVisit?: string;
  joined?: string;
  /** `registration_date`: when the account was registered. */
  registrationDate?: string;
}

/** `/api/v1/user/exercises`: a student's totals on one exercise. */
export interface KhanExerciseRecord {
  type: '/api/v1/user/exercises';
  userId: string;
  /** `exercise_model.name`, Khan's stable internal name. */
  exercise: string;
  displayName?: string;
  /** `exercise_progress.level`: unstarted, struggling, practiced, mastery1..3 (older: proficient, review). */
  level: string;
  /** `maximum_exercise_progress.level`: the highest level the student ever reached (the old tool's `level`). */
  maximumLevel?: string;
  mastered: boolean;
  practiced: boolean;
  proficient: boolean;
  struggling: boolean;
  streak: number;
  longestStreak: number;
  totalDone: number;
  totalCorrect: number;
  lastDone?: string;
  practicedDate?: string;
  proficientDate?: string;
  maximumExerciseProgressDt?: string;
}

/** `/api/v1/user/exercises/progress_changes`: a student's level on an exercise changed. */
export interface KhanProgressChangeRecord {
  type: '/api/v1/user/exercises/progress_changes';
  userId: string;
  exercise: string;
  date: string;
  fromLevel?: string;
  toLevel: string;
}

/** `/api/v1/user/badges`: one award of a badge to a student (an entry of its `user_badges`). */
export interface KhanBadgeRecord {
  type: '/api/v1/user/badges';
  userId: string;
  /** The badge's internal name (`badge_name`). */
  badge: string;
  /** The badge's URL slug, else its name. */
  slug: string;
  /** `badge_category`: 0 meteorite, 1 moon, 2 earth, 3 sun, 4 black hole, 5 challenge patch. */
  category?: number;
  date: string;
  /** What it was earned on (`target_context_name`), e.g. an exercise's display name. */
  targetContext?: string;
  pointsEarned?: number;
}

/** Every record the Khan Academy API gives. */
export type KhanRecord = KhanUserRecord | KhanExerciseRecord | KhanProgressChangeRecord | KhanBadgeRecord;

/**
 * Khan's JSON for the one field reader: an unset value is null, an unset text
 * (`target_context_name`) "". Khan writes `2013-05-21T17:24:53Z`; some older objects drop
 * the zone: those are UTC too.
 */
const KHAN_FIELDS: FieldDialect = {
  text: false,
  time: isoTime,
  words: { missing: 'absent, null or empty', text: 'is not a string', number: 'is not a number', count: 'is not a whole number from 0', bool: 'is not true or false', time: 'is not an ISO 8601 time' },
};

/** `v` when it is a non-empty string, else null. */
export const nonEmpty = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The badges of a `/api/v1/user/badges` body: the list itself, or Khan's `{ badge_collections: [{ badges }] }` flattened. */
export function badgeList(json: unknown): unknown {
  return isObject(json) && Array.isArray(json.badge_collections)
    ? json.badge_collections.flatMap((c: unknown) => (isObject(c) && Array.isArray(c.badges) ? c.badges : []))
    : json;
}

/** Reads one item into a record, or the rejection of its first bad field. */
function sourced<T>(at: string, item: unknown, read: (f: Fields) => T): Sourced<T> {
  if (!isObject(item)) return { ok: false, at, rejection: { code: 'unreadable', detail: 'not a JSON object' } };
  try {
    return { ok: true, at, record: read(jsonFields(item, KHAN_FIELDS)) };
  } catch (e) {
    if (e instanceof FieldError) return { ok: false, at, rejection: e.rejection };
    throw e;
  }
}

/** Reads each item of a list endpoint; a body that is no list is one rejection. */
function eachItem<T>(json: unknown, at: string, read: (f: Fields) => T): Sourced<T>[] {
  if (!Array.isArray(json)) return [{ ok: false, at, rejection: { code: 'unreadable', detail: 'the response is not a JSON array' } }];
  return json.map((item, i) => sourced(`${at} [${i}]`, item, read));
}

/**
 * Reads `/api/v1/user` of one student; `at` names the endpoint and the student's pseudonym.
 * @example parseKhanUser(await res.json(), `/api/v1/user?userId=${pseudonym(secret, id)}`)
 */
export function parseKhanUser(json: unknown, at: string): Sourced<KhanUserRecord> {
  return sourced(at, json, (f) => {
    const badgeCounts: Record<string, number> = {};
    const counts = f.obj('badge_counts');
    if (counts !== undefined) for (const category of counts.keys()) badgeCounts[category] = counts.reqCount(category);
    return optional<KhanUserRecord>({
      type: KHAN_ENDPOINTS.user,
      userId: f.req('user_id'),
      points: f.reqCount('points'),
      totalSecondsWatched: f.reqCount('total_seconds_watched'),
      badgeCounts,
      proficientExercises: exerciseNames(f, 'proficient_exercises'),
      allProficientExercises: exerciseNames(f, 'all_proficient_exercises'),
      firstVisit: f.time('first_visit'),
      joined: f.time('joined'),
      registrationDate: f.time('registration_date'),
    });
  });
}

/**
 * Reads `/api/v1/user/exercises` of the student `userId`: one record per exercise, at `<at> [i]`.
 * @example parseKhanExercises(body, userId, `/api/v1/user/exercises?userId=${pseudonym(secret, userId)}`)
 */
export function parseKhanExercises(json: unknown, userId: string, at: string): Sourced<KhanExerciseRecord>[] {
  return eachItem(json, at, (f) => {
    const model = f.reqObj('exercise_model');
    const progress = f.reqObj('exercise_progress');
    const totalDone = f.reqCount('total_done');
    const totalCorrect = f.reqCount('total_correct');
    if (totalCorrect > totalDone) throw new FieldError({ code: 'bad_value', field: 'total_correct', detail: `${totalCorrect} is more than total_done ${totalDone}` });
    return optional<KhanExerciseRecord>({
      type: KHAN_ENDPOINTS.exercises,
      userId,
      exercise: model.req('name'),
      displayName: model.opt('display_name'),
      level: progress.req('level'),
      maximumLevel: f.obj('maximum_exercise_progress')?.opt('level'),
      mastered: progress.flag('mastered'),
      practiced: progress.flag('practiced'),
      proficient: progress.flag('proficient'),
      struggling: progress.flag('struggling'),
      streak: f.reqCount('streak'),
      longestStreak: f.reqCount('longest_streak'),
      totalDone,
      totalCorrect,
      lastDone: f.time('last_done'),
      practicedDate: f.time('practiced_date'),
      proficientDate: f.time('proficient_date'),
      maximumExerciseProgressDt: f.time('maximum_exercise_progress_dt'),
    });
  });
}

/**
 * Reads `/api/v1/user/exercises/progress_changes` of the student `userId`: one record per change.
 * @example parseKhanProgressChanges(body, userId, `/api/v1/user/exercises/progress_changes?userId=${p}`)
 */
export function parseKhanProgressChanges(json: unknown, userId: string, at: string): Sourced<KhanProgressChangeRecord>[] {
  return eachItem(json, at, (f) =>
    optional<KhanProgressChangeRecord>({
      type: KHAN_ENDPOINTS.progressChanges,
      userId,
      exercise: f.req('exercise_name'),
      date: f.reqTime('date'),
      fromLevel: f.obj('from_progress')?.opt('level'),
      toLevel: f.reqObj('to_progress').req('level'),
    }),
  );
}

/**
 * Reads `/api/v1/user/badges` of the student `userId`: one record per entry of each badge's
 * `user_badges`, at `<at> [i].user_badges[j]`. Takes the list of badges, or Khan's
 * `{ badge_collections: [{ badges }] }`. Badges the student has not earned give none.
 * @example parseKhanBadges(body, userId, `/api/v1/user/badges?userId=${p}`)
 */
export function parseKhanBadges(json: unknown, userId: string, at: string): Sourced<KhanBadgeRecord>[] {
  const badges = badgeList(json);
  if (!Array.isArray(badges)) return [{ ok: false, at, rejection: { code: 'unreadable', detail: 'the response is neither a list of badges nor badge_collections' } }];
  return badges.flatMap((badge: unknown, i): Sourced<KhanBadgeRecord>[] => {
    const badgeAt = `${at} [${i}]`;
    const meta = sourced(badgeAt, badge, (f) => ({ name: f.opt('name'), slug: f.opt('slug'), category: f.count('badge_category'), awards: f.list('user_badges') }));
    if (!meta.ok) return [meta];
    const { name, slug, category, awards } = meta.record;
    return awards.map((award, j) =>
      sourced(`${badgeAt}.user_badges[${j}]`, award, (f) => {
        const badgeName = f.opt('badge_name') ?? name;
        if (badgeName === undefined) throw new FieldError({ code: 'missing_field', field: 'badge_name', detail: 'neither the award nor its badge names it' });
        return optional<KhanBadgeRecord>({
          type: KHAN_ENDPOINTS.badges,
          userId,
          badge: badgeName,
          slug: slug ?? badgeName,
          category,
          date: f.reqTime('date'),
          targetContext: f.opt('target_context_name'),
          pointsEarned: f.count('points_earned'),
        });
      }),
    );
  });
}

/** A list of exercise names (`proficient_exercises`), empty when absent; an entry that is no name is a rejection naming it. */
function exerciseNames(f: Fields, field: string): string[] {
  return f.list(field).map((name, i) => {
    if (typeof name !== 'string' || name === '') throw new FieldError({ code: 'bad_value', field: `${field}[${i}]`, detail: 'is not an exercise name' });
    return name;
  });
}

/** Drops the keys whose value is undefined, so that records compare and serialize cleanly. */
function optional<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
