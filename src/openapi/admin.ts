/**
 * The admin API under `/admin` (ADMIN_TOKEN): courses, teachers, OAI sets and identity
 * links, paged by id, every bad field of an input listed in one 400; bulk imports.
 */
import { json, jsonBody, problem, ref, type Operation, type Param, type PathTable } from './kit.js';

/** A course as an administrator enters it: everything ECO needs to show it. */
export const COURSE_EXAMPLE = {
  id: 'cs101-2026',
  platform: 'edx',
  platformCourseId: 'course-v1:OrgX+CS101+2026',
  titles: { en: 'Introduction to Computer Science', pt: 'Introdução à Ciência da Computação' },
  descriptions: { en: 'Programs, data and algorithms, from the first line of code to a small project.' },
  languages: ['en'],
  url: 'https://lms.example.org/courses/course-v1:OrgX+CS101+2026/about',
  organisation: 'Example University',
  startDate: '2026-03-02',
  endDate: '2026-05-29',
  studyLoadHours: 40,
  typicalLearningTime: 'P12W',
  interestArea: 'ECO:TS',
  teachers: ['t-exemplo'],
  sets: ['computing'],
  published: false,
};

const STORED_COURSE = { ...COURSE_EXAMPLE, datestamp: '2026-02-20T10:00:00Z' };
const TEACHER_EXAMPLE = { id: 't-exemplo', name: 'Ana Exemplo', imageUrl: 'https://www.example.org/people/exemplo.jpg', descriptions: { en: 'Professor of computing.' } };
const SET_EXAMPLE = { spec: 'computing', name: 'Computing', description: 'Courses of the computing department' };
const LINK_EXAMPLE = { platform: 'edx', platformUserId: '42', ecoUserId: 'eco-user-7781' };

const ADMIN = ['admin' as const];
const PAGE: Param[] = [
  { name: 'after', description: 'the last id of the previous page (its `next`)' },
  { name: 'limit', description: 'items per page', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
];
const page = (item: string, example: object) =>
  json('a page of items by id; `next` is the `after` of the next page', { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref(item) }, next: { type: 'string' } } }, { items: [example] });

/** The 400 of an admin input: every bad field at once. */
const BAD_FIELDS = problem('the body is not valid: `errors` lists every bad field', {
  type: 'about:blank', title: 'Bad Request', status: 400, detail: '2 field(s) are not valid',
  errors: [{ field: '/titles', message: 'must have at least 1 property' }, { field: '/startDate', message: 'must be a calendar date YYYY-MM-DD (no time, so no offset; served as that day in UTC)' }],
});

const IMPORTED = json('every good record stored; each bad one listed with its position and fields', {
  type: 'object', required: ['read', 'imported', 'rejected', 'errors'],
  properties: {
    read: { type: 'integer' }, imported: { type: 'integer' }, rejected: { type: 'integer' },
    errors: { type: 'array', items: { type: 'object', properties: { at: { type: 'string' }, errors: { type: 'array', items: { type: 'object' } } } } },
  },
}, { read: 3, imported: 2, rejected: 1, errors: [{ at: 'line 4', errors: [{ field: '/platform', message: 'must be one of edx, coursera, futurelearn, khan, other' }] }] });

function bulkImport(what: string, csv: string, example: object[]): Operation {
  return {
    summary: `import ${what} in bulk from CSV (a header row) or a JSON array`,
    security: ADMIN,
    body: { content: { 'text/csv': { schema: { type: 'string' }, example: csv }, 'application/json': { schema: { type: 'array', items: { type: 'object' } }, example } } },
    responses: { 200: IMPORTED, 400: 'the body as a whole cannot be read (not CSV, not an array)' },
  };
}

const ID = { id: 'the course id (the local part of its OAI identifier)' };
const TEACHER = { id: 'the teacher id' };
const LINK = { platform: 'edx, coursera, futurelearn, khan or other', platformUserId: 'the user id on the platform (edX: the numeric user id)' };

/** The paths of the admin API (images: ./catalog.ts; Coursera settings: ./coursera.ts). */
export const ADMIN_PATHS: PathTable = {
  '/admin/courses': {
    get: { summary: 'list courses by id', security: ADMIN, query: PAGE, responses: { 200: page('StoredCourse', STORED_COURSE), 400: 'limit or after is wrong' } },
    post: {
      summary: 'create a course', security: ADMIN, body: jsonBody(ref('Course'), COURSE_EXAMPLE),
      responses: { 201: { ...json('the course as stored', ref('StoredCourse'), STORED_COURSE), headers: { Location: 'the path of the new course' } }, 400: BAD_FIELDS, 409: 'a course has this id: PUT replaces it' },
    },
  },
  '/admin/courses/{id}': {
    get: { summary: 'one course', security: ADMIN, path: ID, responses: { 200: json('the course', ref('StoredCourse'), STORED_COURSE), 404: 'no such course' } },
    put: {
      summary: 'create or replace a course (the body\'s id, if any, must be the path\'s)', security: ADMIN, path: ID, body: jsonBody(ref('Course'), COURSE_EXAMPLE),
      responses: { 200: json('replaced', ref('StoredCourse')), 201: json('created', ref('StoredCourse')), 400: BAD_FIELDS },
    },
    patch: {
      summary: 'change some fields of a course', security: ADMIN, path: ID, body: jsonBody(ref('CoursePatch'), { published: true, endDate: '2026-06-05' }),
      responses: { 200: json('the course', ref('StoredCourse')), 400: BAD_FIELDS, 404: 'no such course' },
    },
    delete: { summary: 'delete a course (a published one stays as an OAI-PMH tombstone)', security: ADMIN, path: ID, responses: { 204: 'deleted', 404: 'no such course' } },
  },
  '/admin/courses/{id}/publish': {
    post: {
      summary: 'publish to OAI-PMH; refused with the fields ECO still needs', security: ADMIN, path: ID,
      responses: { 200: json('the course', ref('StoredCourse')), 400: problem('fields ECO needs are missing: `errors` names them'), 404: 'no such course' },
    },
  },
  '/admin/courses/{id}/unpublish': {
    post: { summary: 'withdraw from OAI-PMH (leaves a tombstone)', security: ADMIN, path: ID, responses: { 200: json('the course', ref('StoredCourse')), 404: 'no such course' } },
  },
  '/admin/courses/import': {
    post: bulkImport('courses', 'id,platform,platform_course_id,title:en,languages,url,organisation,interest_area\ncs102-2026,edx,course-v1:OrgX+CS102+2026,Data Structures,en,https://lms.example.org/courses/course-v1:OrgX+CS102+2026/about,Example University,ECO:TS\n', [COURSE_EXAMPLE]),
  },
  '/admin/teachers': { get: { summary: 'list teachers by id', security: ADMIN, query: PAGE, responses: { 200: page('Teacher', TEACHER_EXAMPLE), 400: 'limit or after is wrong' } } },
  '/admin/teachers/{id}': {
    get: { summary: 'one teacher', security: ADMIN, path: TEACHER, responses: { 200: json('the teacher', ref('Teacher'), TEACHER_EXAMPLE), 404: 'no such teacher' } },
    put: {
      summary: 'create or replace a teacher', security: ADMIN, path: TEACHER, body: jsonBody(ref('Teacher'), TEACHER_EXAMPLE),
      responses: { 200: json('replaced', ref('Teacher')), 201: json('created', ref('Teacher')), 400: BAD_FIELDS },
    },
    delete: { summary: 'delete a teacher who teaches no course', security: ADMIN, path: TEACHER, responses: { 204: 'deleted', 404: 'no such teacher', 409: problem('courses still name the teacher: `courses` lists them') } },
  },
  '/admin/sets': {
    get: { summary: 'list OAI sets', security: ADMIN, responses: { 200: json('every set', { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('Set') } } }, { items: [SET_EXAMPLE] }) } },
  },
  '/admin/sets/{spec}': {
    put: {
      summary: 'create or rename a set; a:b is a subset of a, which must exist', security: ADMIN, path: { spec: 'the setSpec' }, body: jsonBody(ref('Set'), SET_EXAMPLE),
      responses: { 200: json('renamed', ref('Set')), 201: json('created', ref('Set')), 400: BAD_FIELDS },
    },
    delete: { summary: 'delete a set with no courses and no subsets', security: ADMIN, path: { spec: 'the setSpec' }, responses: { 204: 'deleted', 404: 'no such set', 409: problem('courses or subsets use the set: `courses` and `subsets` list them') } },
  },
  '/admin/identity-links': {
    get: {
      summary: 'list identity links (platform user → ECO user)', security: ADMIN,
      query: [...PAGE, { name: 'platform', description: 'only the links of this platform', example: 'edx' }],
      responses: { 200: page('IdentityLink', LINK_EXAMPLE), 400: 'limit, after or platform is wrong' },
    },
  },
  '/admin/identity-links/{platform}/{platformUserId}': {
    put: {
      summary: 'link a platform user to an ECO user: ECO progress of an edX learner needs the link from the numeric edX user id',
      security: ADMIN,
      path: LINK,
      body: jsonBody({ type: 'object', required: ['ecoUserId'], properties: { ecoUserId: { $ref: '#/components/schemas/IdentityLink/properties/ecoUserId' } } }, { ecoUserId: 'eco-user-7781' }),
      responses: { 200: json('the link', ref('IdentityLink'), LINK_EXAMPLE), 400: BAD_FIELDS },
    },
    delete: { summary: 'remove a link', security: ADMIN, path: LINK, responses: { 204: 'removed', 404: 'no such link' } },
  },
  '/admin/identity-links/import': {
    post: bulkImport('identity links', 'platform,platform_user_id,eco_user_id\nedx,42,eco-user-7781\nedx,43,eco-user-7782\n', [LINK_EXAMPLE]),
  },
};
