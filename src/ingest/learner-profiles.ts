/**
 * Learners' anonymized profiles (`learner_profiles`), which platform imports keep beside
 * statements: edX's `auth_userprofile` and FutureLearn's enrolment demographics, keyed
 * by the learner's account name (the pseudonym). Never names, emails or addresses.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/connection.js';
import { erasedAmong } from '../db/erased-learners.js';
import { learnerProfiles } from './schema.js';

/** The columns of edX's `auth_userprofile` that are kept. */
export interface EdxProfile {
  language: string | null;
  location: string | null;
  gender: string | null;
  yearOfBirth: number | null;
  levelOfEducation: string | null;
  country: string | null;
  city: string | null;
}

/** A profile row as a batch writes it. */
export type ProfileRow = typeof learnerProfiles.$inferInsert;

/** Stores an edX learner's profile, replacing what an earlier import stored; never one of an erased learner. */
export async function replaceEdxProfile(database: Database, learner: string, p: EdxProfile): Promise<void> {
  await database.query(
    `INSERT INTO learner_profiles (platform, learner, language, location, gender, year_of_birth, level_of_education, country, city, updated_at)
     SELECT 'edx', $1, $2, $3, $4, $5::int, $6, $7, $8, now()
      WHERE NOT EXISTS (SELECT 1 FROM erased_learners WHERE platform = 'edx' AND pseudonym = $1)
     ON CONFLICT (platform, learner) DO UPDATE SET language = $2, location = $3, gender = $4, year_of_birth = $5,
       level_of_education = $6, country = $7, city = $8, updated_at = now()`,
    [learner, p.language, p.location, p.gender, p.yearOfBirth, p.levelOfEducation, p.country, p.city],
  );
}

/** Keeps the value already stored where the new one is empty. */
const keep = (column: string) => sql.raw(`coalesce(excluded.${column}, learner_profiles.${column})`);

/**
 * Stores FutureLearn demographics; an empty value never erases one an earlier import
 * gave. The rows must name each learner once (ON CONFLICT cannot update a row twice).
 * Learners erased at their request are left out.
 */
export async function mergeFutureLearnProfiles(database: Database, rows: ProfileRow[]): Promise<void> {
  const erased = await erasedAmong(database, 'futurelearn', rows.map((r) => r.learner));
  if (erased.size > 0) rows = rows.filter((r) => !erased.has(r.learner));
  if (rows.length === 0) return;
  await database.db
    .insert(learnerProfiles)
    .values(rows)
    .onConflictDoUpdate({
      target: [learnerProfiles.platform, learnerProfiles.learner],
      set: {
        gender: keep('gender'), country: keep('country'), ageRange: keep('age_range'), levelOfEducation: keep('level_of_education'),
        employmentStatus: keep('employment_status'), employmentArea: keep('employment_area'), detectedCountry: keep('detected_country'), updatedAt: sql`now()`,
      },
    });
}

/** A learner's FutureLearn answers as stored. */
export interface StoredFutureLearnProfile {
  ageRange: string | null;
  gender: string | null;
  employmentStatus: string | null;
  employmentArea: string | null;
  highestEducation: string | null;
  country: string | null;
}

// Bind parameters per query stay well under PostgreSQL's limit, whatever the run's size.
const READ_BATCH = 5000;

/**
 * The stored FutureLearn profiles of `learners` (account names); learners without one are left out.
 * @example const profiles = await readFutureLearnProfiles(database, joiners);
 */
export async function readFutureLearnProfiles(database: Database, learners: readonly string[]): Promise<StoredFutureLearnProfile[]> {
  const found: StoredFutureLearnProfile[] = [];
  for (let i = 0; i < learners.length; i += READ_BATCH) {
    const rows = await database.db
      .select({
        ageRange: learnerProfiles.ageRange, gender: learnerProfiles.gender, employmentStatus: learnerProfiles.employmentStatus,
        employmentArea: learnerProfiles.employmentArea, highestEducation: learnerProfiles.levelOfEducation, country: learnerProfiles.country,
      })
      .from(learnerProfiles)
      .where(and(eq(learnerProfiles.platform, 'futurelearn'), inArray(learnerProfiles.learner, learners.slice(i, i + READ_BATCH))));
    found.push(...rows);
  }
  return found;
}
