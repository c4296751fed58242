import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  khanBadgeDetail, khanBadgeMetadata, khanCoachStudents, khanCompositeBadges, khanCompositeExercises,
  khanExerciseMetadata, khanExerciseStates, khanStudentDetail,
} from '../../../src/ingest/khan/schema.js';
import { readWarehouseTable } from '../../../src/ingest/khan/warehouse.js';
import { writeKhanCsv } from '../../../src/reports/khan/csv.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';

const FIRST = new Date('2026-03-01T02:00:00Z');
const LAST = new Date('2026-03-02T02:00:00Z');
const seen = { firstSeen: FIRST, lastSeen: LAST };
const S = 'pseudo-student-1';
const SEEN = '2026-03-01T02:00:00.000Z,2026-03-02T02:00:00.000Z';

/** Every file, its header and its rows (CRLF lines, RFC 4180). */
const EXPECTED: Record<string, string[]> = {
  badge_metadata: [
    'slug,name,description,translated_description,safe_extended_description,translated_safe_extended_description,badge_category,points,is_retired,hide_context,absolute_url,relative_url,icon_src,icons_compact,icons_email,icons_large,icons_small,icons,first_seen,last_seen',
    'great-listener,greatlistener,Great Listener,Grand auditeur,Listen to 30 minutes of video,Écoutez 30 minutes de vidéo,1,500,false,true,'
      + 'https://www.khanacademy.org/badges/great-listener,/badges/great-listener,/c.png,/c.png,,,/s.png,'
      + `"{""small"":""/s.png"",""compact"":""/c.png""}",${SEEN}`,
  ],
  composite_badges: ['student,slug,owned,count,first_seen,last_seen', `${S},great-listener,true,2,${SEEN}`, `${S},sun,false,0,${SEEN}`],
  badge_detail: ['student,slug,date_earned,context,first_seen,last_seen', `${S},great-listener,2019-02-02T10:00:00.000Z,"Addition 1, level 2",${SEEN}`],
  composite_exercises: [
    'student,exercise,streak,progress,practiced_date,proficient_date,total_done,total_correct,struggling,proficient,practiced,mastered,level,last_done,longest_streak,maximum_exercise_progress_dt,first_seen,last_seen',
    `${S},addition_1,4,0.5,2019-02-01T09:00:00.000Z,,20,18,false,false,true,false,practiced,2019-03-01T09:00:00.000Z,9,,${SEEN}`,
  ],
  stu_detail: [
    'student,points,total_seconds_watched,badge_lev0,badge_lev1,badge_lev2,badge_lev3,badge_lev4,badge_lev5,coaches,first_visit,joined,registration_date,'
      + 'nickname,username,profile_root,proficient_exercises,all_proficient_exercises,first_seen,last_seen',
    `${S},12500,3600,3,1,0,0,0,1,kaid_coach1|kaid_coach2,2019-01-05T10:00:00.000Z,,2019-01-04T18:30:00.000Z,`
      + `Ada,,/profile/ada_l/,addition_1,addition_1|counting_1,${SEEN}`,
  ],
  coach_students: ['coach,student,first_seen,last_seen', `kaid_coach1,${S},${SEEN}`, `kaid_coach2,${S},${SEEN}`],
  exercise_states: [
    'student,exercise,date,from_progress,to_progress,first_seen,last_seen',
    `${S},addition_1,2019-02-20T09:00:00.000Z,,practiced,${SEEN}`,
    `${S},addition_1,2019-02-21T09:00:00.000Z,practiced,mastery1,${SEEN}`,
  ],
  exer_metadata: ['name,display_name,data,first_seen,last_seen', `addition_1,Addition 1,"{""name"":""addition_1""}",${SEEN}`],
};

describe.each(DATABASE_KINDS)('the Khan CSV files on %s', (kind) => {
  let t: TestDatabase;
  let out: string;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    out = await mkdtemp(join(tmpdir(), 'xgw-khan-csv-'));
    const db = t.database.db;
    await db.insert(khanBadgeMetadata).values({
      slug: 'great-listener', name: 'greatlistener', description: 'Great Listener', translatedDescription: 'Grand auditeur',
      safeExtendedDescription: 'Listen to 30 minutes of video', translatedSafeExtendedDescription: 'Écoutez 30 minutes de vidéo',
      badgeCategory: 1, points: 500, isRetired: false, hideContext: true,
      absoluteUrl: 'https://www.khanacademy.org/badges/great-listener', relativeUrl: '/badges/great-listener', iconSrc: '/c.png',
      iconsCompact: '/c.png', iconsSmall: '/s.png', icons: { small: '/s.png', compact: '/c.png' }, ...seen,
    });
    await db.insert(khanCompositeBadges).values([{ student: S, slug: 'sun', owned: false, count: 0, ...seen }, { student: S, slug: 'great-listener', owned: true, count: 2, ...seen }]);
    await db.insert(khanBadgeDetail).values({ student: S, slug: 'great-listener', dateEarned: new Date('2019-02-02T10:00:00Z'), context: 'Addition 1, level 2', ...seen });
    await db.insert(khanCompositeExercises).values({
      student: S, exercise: 'addition_1', streak: 4, progress: 0.5, practicedDate: new Date('2019-02-01T09:00:00Z'), totalDone: 20, totalCorrect: 18,
      struggling: false, proficient: false, practiced: true, mastered: false, level: 'practiced', lastDone: new Date('2019-03-01T09:00:00Z'), longestStreak: 9, ...seen,
    });
    await db.insert(khanStudentDetail).values({
      student: S, points: 12_500, totalSecondsWatched: 3600, badgeLev0: 3, badgeLev1: 1, badgeLev2: 0, badgeLev3: 0, badgeLev4: 0, badgeLev5: 1,
      coaches: ['kaid_coach1', 'kaid_coach2'], firstVisit: new Date('2019-01-05T10:00:00Z'), registrationDate: new Date('2019-01-04T18:30:00Z'),
      nickname: 'Ada', profileRoot: '/profile/ada_l/', proficientExercises: ['addition_1'], allProficientExercises: ['addition_1', 'counting_1'], ...seen,
    });
    await db.insert(khanCoachStudents).values([{ coach: 'kaid_coach2', student: S, ...seen }, { coach: 'kaid_coach1', student: S, ...seen }]);
    await db.insert(khanExerciseStates).values([
      { student: S, exercise: 'addition_1', date: new Date('2019-02-21T09:00:00Z'), fromProgress: 'practiced', toProgress: 'mastery1', ...seen },
      { student: S, exercise: 'addition_1', date: new Date('2019-02-20T09:00:00Z'), toProgress: 'practiced', ...seen },
    ]);
    await db.insert(khanExerciseMetadata).values({ name: 'addition_1', displayName: 'Addition 1', data: { name: 'addition_1' }, ...seen });
  });
  afterEach(async () => {
    await t.drop();
    await rm(out, { recursive: true, force: true });
  });

  it('writes every table of the old tool with its header and rows, and a README of the columns', async () => {
    const files = await writeKhanCsv((name) => readWarehouseTable(t.database, name), 'all', out);
    expect(files.map((f) => f.slice(out.length + 1))).toEqual([...Object.keys(EXPECTED).map((n) => `${n}.csv`), 'README.txt']);
    for (const [name, lines] of Object.entries(EXPECTED)) {
      expect(await readFile(join(out, `${name}.csv`), 'utf8'), name).toBe(lines.map((l) => `${l}\r\n`).join(''));
    }
    const readme = await readFile(join(out, 'README.txt'), 'utf8');
    expect(readme).toMatch(/stu_detail\.csv: /);
    expect(readme).toMatch(/ {2}badge_lev5: badges held of category 5/);
    expect(readme).toMatch(/ {2}last_seen: /);
  });

  it('writes one table alone when asked', async () => {
    await writeKhanCsv((name) => readWarehouseTable(t.database, name), 'coach_students', out);
    expect((await readdir(out)).sort()).toEqual(['README.txt', 'coach_students.csv']);
  });
});
