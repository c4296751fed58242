import { describe, expect, it } from 'vitest';
import {
  parseKhanBadges,
  parseKhanExercises,
  parseKhanProgressChanges,
  parseKhanUser,
  type KhanRecord,
} from '../../../src/ingest/khan/records.js';
import type { Sourced } from '../../../src/xapi/run-summary.js';

const STUDENT = 'http://googleid.khanacademy.org/103958210394857';
const P = 'c0ffee'; // stands for the student's pseudonym in `at`
const at = (endpoint: string) => `${endpoint}?userId=${P}`;

// Shaped as the API answered (2013-2019), with the fields no record reads left in.
const USER = {
  kind: 'UserData',
  user_id: STUDENT,
  kaid: 'kaid_384756102938475610293847',
  nickname: 'Ada L.',
  username: 'adalovelace1815',
  auth_emails: ['norm:ada@example.org'],
  email: 'ada@example.org',
  student_summary: { nickname: 'Ada L.', email: 'ada@example.org' },
  coaches: ['coach@example.org'],
  points: 48250,
  total_seconds_watched: 12345,
  badge_counts: { '0': 12, '1': 4, '2': 1, '3': 0, '4': 0, '5': 2 },
  proficient_exercises: ['addition_1', 'subtraction_1'],
  all_proficient_exercises: ['addition_1', 'subtraction_1', 'counting_1'],
  profile_root: '/profile/adalovelace1815/',
  registration_date: '2013-09-01T12:00:00Z',
  first_visit: '2013-09-02T08:15:00Z',
  joined: '2013-09-02T08:16:41Z',
  last_activity: { kind: 'ActivityData' },
};

const exercise = (name: string, extra: object = {}) => ({
  kind: 'UserExercise',
  user: 'ada@example.org',
  exercise: name,
  exercise_model: { name, display_name: 'Addition 1', kind: 'Exercise', ka_url: `https://www.khanacademy.org/exercise/${name}` },
  exercise_progress: { level: 'mastery2', mastered: false, practiced: true, proficient: true, struggling: false },
  maximum_exercise_progress: { level: 'mastery3', mastered: true, practiced: true, proficient: true, struggling: false },
  streak: 3,
  longest_streak: 11,
  total_done: 40,
  total_correct: 33,
  last_done: '2014-02-10T19:02:11Z',
  practiced_date: '2014-01-05T10:00:00Z',
  proficient_date: '2014-01-20T10:00:00Z',
  maximum_exercise_progress_dt: '2014-02-01T09:30:00Z',
  snooze_time: null,
  ...extra,
});

function records<T>(items: Sourced<T>[]): T[] {
  return items.flatMap((s) => (s.ok ? [s.record] : []));
}

/** No name, nickname, username, email or coach in any record. */
function expectNoPersonalData(r: KhanRecord | KhanRecord[]): void {
  const json = JSON.stringify(r);
  for (const personal of ['Ada L.', 'adalovelace1815', 'ada@example.org', 'norm:', 'coach@example.org', 'kaid_']) expect(json).not.toContain(personal);
}

describe('parseKhanUser', () => {
  it('reads a student profile and leaves out every personal field', () => {
    const s = parseKhanUser(USER, at('/api/v1/user'));
    expect(s).toEqual({
      ok: true,
      at: `/api/v1/user?userId=${P}`,
      record: {
        type: '/api/v1/user',
        userId: STUDENT,
        points: 48250,
        totalSecondsWatched: 12345,
        badgeCounts: { '0': 12, '1': 4, '2': 1, '3': 0, '4': 0, '5': 2 },
        proficientExercises: ['addition_1', 'subtraction_1'],
        allProficientExercises: ['addition_1', 'subtraction_1', 'counting_1'],
        firstVisit: '2013-09-02T08:15:00.000Z',
        joined: '2013-09-02T08:16:41.000Z',
        registrationDate: '2013-09-01T12:00:00.000Z',
      },
    });
    if (s.ok) expectNoPersonalData(s.record);
  });

  it('rejects a profile without points, naming the field and the student', () => {
    const { points: _points, ...noPoints } = USER;
    expect(parseKhanUser(noPoints, at('/api/v1/user'))).toEqual({
      ok: false,
      at: `/api/v1/user?userId=${P}`,
      rejection: { code: 'missing_field', field: 'points', detail: 'absent, null or empty' },
    });
  });

  it('names a nested field that is malformed', () => {
    const s = parseKhanUser({ ...USER, badge_counts: { ...USER.badge_counts, '3': 'many' } }, at('/api/v1/user'));
    expect(s).toMatchObject({ ok: false, rejection: { code: 'bad_value', field: 'badge_counts.3' } });
  });

  it('names the entry of all_proficient_exercises that is no exercise name', () => {
    const s = parseKhanUser({ ...USER, all_proficient_exercises: ['addition_1', 7] }, at('/api/v1/user'));
    expect(s).toMatchObject({ ok: false, rejection: { code: 'bad_value', field: 'all_proficient_exercises[1]' } });
  });

  it('takes a time without a zone as UTC and rejects one that is no time', () => {
    const noZone = parseKhanUser({ ...USER, joined: '2013-09-02T08:16:41' }, 'a');
    expect(noZone.ok && noZone.record.joined).toBe('2013-09-02T08:16:41.000Z');
    expect(parseKhanUser({ ...USER, joined: 'yesterday' }, 'a')).toMatchObject({ ok: false, rejection: { code: 'bad_value', field: 'joined' } });
  });

  it('rejects a body that is no object as unreadable', () => {
    expect(parseKhanUser('<html>', 'a')).toMatchObject({ ok: false, rejection: { code: 'unreadable' } });
  });
});

describe('parseKhanExercises', () => {
  it('reads the nested exercise model and progress of each exercise', () => {
    const [s] = parseKhanExercises([exercise('addition_1')], STUDENT, at('/api/v1/user/exercises'));
    expect(s).toEqual({
      ok: true,
      at: `/api/v1/user/exercises?userId=${P} [0]`,
      record: {
        type: '/api/v1/user/exercises',
        userId: STUDENT,
        exercise: 'addition_1',
        displayName: 'Addition 1',
        level: 'mastery2',
        maximumLevel: 'mastery3',
        mastered: false,
        practiced: true,
        proficient: true,
        struggling: false,
        streak: 3,
        longestStreak: 11,
        totalDone: 40,
        totalCorrect: 33,
        lastDone: '2014-02-10T19:02:11.000Z',
        practicedDate: '2014-01-05T10:00:00.000Z',
        proficientDate: '2014-01-20T10:00:00.000Z',
        maximumExerciseProgressDt: '2014-02-01T09:30:00.000Z',
      },
    });
    if (s?.ok) expectNoPersonalData(s.record);
  });

  it('rejects the exercises with a missing or bad field, naming it, and keeps the others', () => {
    const parsed = parseKhanExercises(
      [
        exercise('addition_1'),
        exercise('subtraction_1', { exercise_progress: { mastered: true } }),
        exercise('counting_1', { exercise_model: { display_name: 'Counting' } }),
        exercise('place_value', { total_correct: 41 }),
        exercise('fractions_1', { streak: -1 }),
        exercise('never_done', { total_done: 0, total_correct: 0, last_done: null, practiced_date: null, proficient_date: null }),
      ],
      STUDENT,
      at('/api/v1/user/exercises'),
    );
    expect(parsed.filter((s) => !s.ok)).toEqual([
      { ok: false, at: `/api/v1/user/exercises?userId=${P} [1]`, rejection: { code: 'missing_field', field: 'exercise_progress.level', detail: 'absent, null or empty' } },
      { ok: false, at: `/api/v1/user/exercises?userId=${P} [2]`, rejection: { code: 'missing_field', field: 'exercise_model.name', detail: 'absent, null or empty' } },
      { ok: false, at: `/api/v1/user/exercises?userId=${P} [3]`, rejection: { code: 'bad_value', field: 'total_correct', detail: '41 is more than total_done 40' } },
      { ok: false, at: `/api/v1/user/exercises?userId=${P} [4]`, rejection: { code: 'bad_value', field: 'streak', detail: 'is not a whole number from 0' } },
    ]);
    const kept = records(parsed);
    expect(kept.map((r) => r.exercise)).toEqual(['addition_1', 'never_done']);
    expect(kept[1]).not.toHaveProperty('lastDone');
  });

  it('rejects a body that is no list as one unreadable response', () => {
    expect(parseKhanExercises({ error: 'Unauthorized' }, STUDENT, 'x')).toEqual([
      { ok: false, at: 'x', rejection: { code: 'unreadable', detail: 'the response is not a JSON array' } },
    ]);
  });
});

describe('parseKhanProgressChanges', () => {
  it('reads each change with the nested from and to levels', () => {
    const body = [
      { exercise_name: 'addition_1', date: '2014-01-05T10:00:00Z', from_progress: { level: 'unstarted', practiced: false }, to_progress: { level: 'practiced', practiced: true } },
      { exercise_name: 'addition_1', date: '2014-01-20T10:00:00Z', to_progress: { level: 'mastery1' } },
      { exercise_name: 'addition_1', from_progress: { level: 'mastery1' }, to_progress: { level: 'mastery2' } },
      { exercise_name: 'addition_1', date: '2014-01-22T10:00:00Z', from_progress: { level: 'mastery2' }, to_progress: {} },
    ];
    const parsed = parseKhanProgressChanges(body, STUDENT, at('/api/v1/user/exercises/progress_changes'));
    expect(records(parsed)).toEqual([
      { type: '/api/v1/user/exercises/progress_changes', userId: STUDENT, exercise: 'addition_1', date: '2014-01-05T10:00:00.000Z', fromLevel: 'unstarted', toLevel: 'practiced' },
      { type: '/api/v1/user/exercises/progress_changes', userId: STUDENT, exercise: 'addition_1', date: '2014-01-20T10:00:00.000Z', toLevel: 'mastery1' },
    ]);
    expect(parsed.filter((s) => !s.ok).map((s) => [s.at, !s.ok && s.rejection.field])).toEqual([
      [`/api/v1/user/exercises/progress_changes?userId=${P} [2]`, 'date'],
      [`/api/v1/user/exercises/progress_changes?userId=${P} [3]`, 'to_progress.level'],
    ]);
  });
});

describe('parseKhanBadges', () => {
  const badge = (slug: string, category: number, awards: object[]) => ({
    kind: 'Badge', name: slug.replace(/-/g, ''), slug, badge_category: category, points: 500, description: 'A badge',
    icons: { small: 'https://www.khanacademy.org/images/badges/x.png' }, is_owned: awards.length > 0, user_badges: awards,
  });
  const BADGES = [
    badge('great-listener', 0, [{ kind: 'UserBadge', badge_name: 'greatlistener', date: '2014-01-05T10:00:00Z', target_context_name: '', points_earned: 500, user: 'ada@example.org' }]),
    badge('streak-10', 1, [
      { badge_name: 'streak10', date: '2014-01-06T10:00:00Z', target_context_name: 'Addition 1', points_earned: 100 },
      { date: '2014-02-06T10:00:00Z', target_context_name: 'Subtraction 1' },
      { badge_name: 'streak10', target_context_name: 'Counting' },
    ]),
    badge('not-earned', 2, []),
  ];

  it('gives one record per award, with the badge metadata, and rejects an award without a date', () => {
    const parsed = parseKhanBadges(BADGES, STUDENT, at('/api/v1/user/badges'));
    const kept = records(parsed);
    // An empty target context is none.
    expect(parsed[0]).toEqual({
      ok: true,
      at: `/api/v1/user/badges?userId=${P} [0].user_badges[0]`,
      record: { type: '/api/v1/user/badges', userId: STUDENT, badge: 'greatlistener', slug: 'great-listener', category: 0, date: '2014-01-05T10:00:00.000Z', pointsEarned: 500 },
    });
    expect(parsed.map((s) => s.at)).toEqual([
      `/api/v1/user/badges?userId=${P} [0].user_badges[0]`,
      `/api/v1/user/badges?userId=${P} [1].user_badges[0]`,
      `/api/v1/user/badges?userId=${P} [1].user_badges[1]`,
      `/api/v1/user/badges?userId=${P} [1].user_badges[2]`,
    ]);
    expect(parsed[3]).toMatchObject({ ok: false, rejection: { code: 'missing_field', field: 'date' } });
    expect(parsed[1]).toEqual({
      ok: true,
      at: `/api/v1/user/badges?userId=${P} [1].user_badges[0]`,
      record: { type: '/api/v1/user/badges', userId: STUDENT, badge: 'streak10', slug: 'streak-10', category: 1, date: '2014-01-06T10:00:00.000Z', targetContext: 'Addition 1', pointsEarned: 100 },
    });
    // An award without badge_name takes its badge's name.
    expect(parsed[2]).toMatchObject({ ok: true, record: { badge: 'streak10', slug: 'streak-10', targetContext: 'Subtraction 1' } });
    expectNoPersonalData(kept);
  });

  it('reads the badge_collections shape too', () => {
    const parsed = parseKhanBadges({ badge_collections: [{ category: 1, badges: [BADGES[1]] }] }, STUDENT, 'b');
    expect(parsed.map((s) => s.ok)).toEqual([true, true, false]);
  });
});
