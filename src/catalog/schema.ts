/**
 * The catalogue's tables: courses with their teachers, sets, images and structure, and
 * the identity links; only src/catalog queries them (request bodies: schemas.ts).
 * drizzle-kit reads every schema file listed in drizzle.config.ts.
 */
import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { bytea, timestamptz } from '../db/columns.js';

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
