/**
 * The table the platform readers share: learners' anonymized profiles (learner-profiles.ts).
 * drizzle-kit reads every schema file listed in drizzle.config.ts.
 */
import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../db/columns.js';

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
