/**
 * The settings of a Coursera course that its data does not give: when the cohort
 * started (module windows, indicators 5 and 6), module length, grade and forum weights,
 * and what scales the indicators. Input is checked against one JSON Schema, every bad
 * field reported at once, as the catalogue's admin API does.
 */
import { eq } from 'drizzle-orm';
import { ValidationError, validator, type FieldProblem } from '../../catalog/schemas.js';
import type { Database } from '../../db/connection.js';
import { courseraCourseSettings } from './schema.js';
import { DEFAULT_FORUM_WEIGHTS, type IndicatorSettings } from './indicators.js';

/** A course's settings as the indicators use them (defaults filled in). */
export interface CourseraCourseSettings extends IndicatorSettings {
  courseId: string;
  previousCourseId: string | null;
  /** Indicator number ("1" to "12") → maximum, used where the previous cohort has no data. */
  maxima: Record<string, number>;
  /** When they were last changed; null for a course never configured (all defaults). */
  updatedAt: Date | null;
}

const weight = { type: 'number', minimum: 0, maximum: 1000 } as const;

/** The body of `PUT /admin/coursera/courses/:course/settings`. */
export const COURSE_SETTINGS_SCHEMA = {
  $id: 'CourseraCourseSettings',
  type: 'object',
  additionalProperties: false,
  // A PUT replaces the settings: the admin says explicitly when the cohort started, or null for none.
  required: ['cohortStart'],
  properties: {
    courseId: { type: 'string', minLength: 1, maxLength: 300 },
    cohortStart: {
      type: 'string', nullable: true,
      pattern: '^\\d{4}-\\d\\d-\\d\\d(T\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?(Z|[+-]\\d\\d:\\d\\d))?$',
      description: 'ISO 8601 date (midnight UTC) or date-time with a zone; null: no cohort, indicators 5 and 6 are null',
    },
    moduleLengthDays: { type: 'integer', minimum: 1, maximum: 365 },
    gradeWeights: {
      type: 'object', maxProperties: 5000,
      propertyNames: { minLength: 1, maxLength: 300 },
      additionalProperties: weight,
      description: 'Coursera item id → weight in the current grade (indicator 12)',
    },
    forumWeights: {
      type: 'object', nullable: true, additionalProperties: false,
      required: ['questions', 'ownThreadAnswers', 'otherAnswers'],
      properties: { questions: weight, ownThreadAnswers: weight, otherAnswers: weight },
    },
    previousCourseId: { type: 'string', nullable: true, minLength: 1, maxLength: 300 },
    maxima: {
      type: 'object',
      propertyNames: { pattern: '^([1-9]|1[0-2])$' },
      additionalProperties: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
      description: 'indicator number → the maximum that scales it when the previous cohort has no data',
    },
  },
} as const;

const validateSettings = validator(COURSE_SETTINGS_SCHEMA);

/** Every problem of a settings body for course `courseId`. */
export function courseSettingsProblems(courseId: string, input: unknown): FieldProblem[] {
  const problems = validateSettings(input);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return problems;
  const body = input as Record<string, unknown>;
  // The pattern admits 2026-02-31; the calendar does not.
  if (typeof body.cohortStart === 'string' && Number.isNaN(Date.parse(body.cohortStart))) problems.push({ field: '/cohortStart', message: 'is not a date' });
  if (body.courseId !== undefined && body.courseId !== courseId) problems.push({ field: '/courseId', message: 'differs from the course in the path' });
  if (body.previousCourseId === courseId) problems.push({ field: '/previousCourseId', message: 'must be another course than this one' });
  return problems;
}

type Row = typeof courseraCourseSettings.$inferSelect;

function fromRow(courseId: string, row: Row | undefined): CourseraCourseSettings {
  return {
    courseId,
    cohortStart: row?.cohortStart ?? null,
    moduleLengthDays: row?.moduleLengthDays ?? 7,
    gradeWeights: row?.gradeWeights ?? {},
    forumWeights: row?.forumWeights ?? { ...DEFAULT_FORUM_WEIGHTS },
    previousCourseId: row?.previousCourseId ?? null,
    maxima: row?.maxima ?? {},
    updatedAt: row?.updatedAt ?? null,
  };
}

/** The settings of a course; defaults (no cohort start, 7-day modules) when it was never configured. */
export async function getCourseSettings(database: Database, courseId: string): Promise<CourseraCourseSettings> {
  const rows = await database.db.select().from(courseraCourseSettings).where(eq(courseraCourseSettings.courseId, courseId));
  return fromRow(courseId, rows[0]);
}

/**
 * Creates or replaces a course's settings; throws ValidationError listing every bad field.
 * @example await putCourseSettings(database, 'C1', { cohortStart: '2026-03-02', moduleLengthDays: 7 });
 */
export async function putCourseSettings(database: Database, courseId: string, input: unknown): Promise<{ settings: CourseraCourseSettings; created: boolean }> {
  const problems = courseSettingsProblems(courseId, input);
  if (problems.length > 0) throw new ValidationError(problems);
  const body = input as {
    cohortStart: string | null; moduleLengthDays?: number; gradeWeights?: Record<string, number>;
    forumWeights?: Row['forumWeights']; previousCourseId?: string | null; maxima?: Record<string, number>;
  };
  const values = {
    cohortStart: body.cohortStart === null ? null : new Date(body.cohortStart.length === 10 ? `${body.cohortStart}T00:00:00Z` : body.cohortStart),
    moduleLengthDays: body.moduleLengthDays ?? 7,
    gradeWeights: body.gradeWeights ?? {},
    forumWeights: body.forumWeights ?? null,
    previousCourseId: body.previousCourseId ?? null,
    maxima: body.maxima ?? {},
    updatedAt: new Date(),
  };
  const existed = (await database.db.select({ id: courseraCourseSettings.courseId }).from(courseraCourseSettings).where(eq(courseraCourseSettings.courseId, courseId))).length > 0;
  const [row] = await database.db
    .insert(courseraCourseSettings)
    .values({ courseId, ...values })
    .onConflictDoUpdate({ target: courseraCourseSettings.courseId, set: values })
    .returning();
  return { settings: fromRow(courseId, row), created: !existed };
}

/** Settings as JSON: dates in ISO 8601. */
export function settingsJson(s: CourseraCourseSettings): Record<string, unknown> {
  return { ...s, cohortStart: s.cohortStart?.toISOString() ?? null, updatedAt: s.updatedAt?.toISOString() ?? null };
}
