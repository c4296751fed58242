/**
 * The OpenAPI 3.1 description of every endpoint, served at `/openapi.json`. Request
 * bodies of the catalogue are the same JSON Schemas that validate them, so the
 * description cannot drift from what the API accepts.
 */
import { COURSE_SCHEMA, LINK_SCHEMA, SET_SCHEMA, TEACHER_SCHEMA } from './catalog/schemas.js';
import { CHOICE_SCHEMA } from './reports/coursera/choice.js';
import { COURSE_SETTINGS_SCHEMA } from './reports/coursera/course-settings.js';

type Operation = { summary: string; security?: string; body?: string; query?: string[]; responses: Record<string, string> };
type PathTable = Record<string, Partial<Record<'get' | 'put' | 'post' | 'patch' | 'delete', Operation>>>;

const problem = 'a problem document (RFC 9457); a 400 of the admin API lists every bad field in `errors`';
const page = ['after', 'limit'];

/** Every endpoint: method, summary, security scheme, body schema, query parameters, responses. */
const PATHS: PathTable = {
  '/admin/courses': {
    get: { summary: 'list courses by id', security: 'admin', query: page, responses: { 200: '{items, next?}', 401: problem } },
    post: { summary: 'create a course', security: 'admin', body: 'Course', responses: { 201: 'the course', 400: problem, 409: problem } },
  },
  '/admin/courses/{id}': {
    get: { summary: 'one course', security: 'admin', responses: { 200: 'the course', 404: problem } },
    put: { summary: 'create or replace a course', security: 'admin', body: 'Course', responses: { 200: 'replaced', 201: 'created', 400: problem } },
    patch: { summary: 'change some fields of a course', security: 'admin', body: 'CoursePatch', responses: { 200: 'the course', 400: problem, 404: problem } },
    delete: { summary: 'delete a course (a published one stays as an OAI-PMH tombstone)', security: 'admin', responses: { 204: 'deleted', 404: problem } },
  },
  '/admin/courses/{id}/publish': { post: { summary: 'publish to OAI-PMH; refused with the fields ECO still needs', security: 'admin', responses: { 200: 'the course', 400: problem } } },
  '/admin/courses/{id}/unpublish': { post: { summary: 'withdraw from OAI-PMH (leaves a tombstone)', security: 'admin', responses: { 200: 'the course' } } },
  '/admin/courses/{id}/image': {
    get: { summary: 'the course image', security: 'admin', responses: { 200: 'the image bytes', 404: problem } },
    put: { summary: 'upload the course image: image/png, jpeg, gif or webp bytes up to COURSE_IMAGE_LIMIT', security: 'admin', responses: { 200: 'replaced', 201: 'created', 400: problem, 404: problem, 413: problem, 415: problem } },
    delete: { summary: 'remove the course image', security: 'admin', responses: { 204: 'removed', 404: problem } },
  },
  '/catalog/courses/{id}/image': { get: { summary: 'the image of a published course, with ETag and Cache-Control', responses: { 200: 'the image bytes', 304: 'not modified', 404: problem } } },
  '/admin/courses/import': { post: { summary: 'bulk import of courses from CSV (text/csv) or a JSON array', security: 'admin', responses: { 200: '{read, imported, rejected, errors}' } } },
  '/admin/teachers': { get: { summary: 'list teachers by id', security: 'admin', query: page, responses: { 200: '{items, next?}' } } },
  '/admin/teachers/{id}': {
    get: { summary: 'one teacher', security: 'admin', responses: { 200: 'the teacher', 404: problem } },
    put: { summary: 'create or replace a teacher', security: 'admin', body: 'Teacher', responses: { 200: 'replaced', 201: 'created', 400: problem } },
    delete: { summary: 'delete a teacher who teaches no course', security: 'admin', responses: { 204: 'deleted', 404: problem, 409: problem } },
  },
  '/admin/sets': { get: { summary: 'list OAI sets', security: 'admin', responses: { 200: '{items}' } } },
  '/admin/sets/{spec}': {
    put: { summary: 'create or rename a set (its parent must exist)', security: 'admin', body: 'Set', responses: { 200: 'renamed', 201: 'created', 400: problem } },
    delete: { summary: 'delete a set with no courses and no subsets', security: 'admin', responses: { 204: 'deleted', 404: problem, 409: problem } },
  },
  '/admin/identity-links': { get: { summary: 'list identity links', security: 'admin', query: [...page, 'platform'], responses: { 200: '{items, next?}' } } },
  '/admin/identity-links/{platform}/{platformUserId}': {
    put: { summary: 'link a platform user to an ECO user', security: 'admin', body: 'IdentityLink', responses: { 200: 'the link', 400: problem } },
    delete: { summary: 'remove a link', security: 'admin', responses: { 204: 'removed', 404: problem } },
  },
  '/admin/identity-links/import': { post: { summary: 'bulk import of links from CSV or a JSON array', security: 'admin', responses: { 200: '{read, imported, rejected, errors}' } } },
  '/oai': {
    get: { summary: 'OAI-PMH 2.0 (verb, identifier, metadataPrefix, from, until, set, resumptionToken)', query: ['verb', 'identifier', 'metadataPrefix', 'from', 'until', 'set', 'resumptionToken'], responses: { 200: 'an OAI-PMH XML document' } },
    post: { summary: 'OAI-PMH 2.0 with the arguments form-encoded', responses: { 200: 'an OAI-PMH XML document' } },
  },
  '/ecoapi/heartbeat': { get: { summary: 'liveness for ECO', security: 'ecoKey', responses: { 200: '{alive_at}', 401: problem } } },
  '/ecoapi/users/{ecoUserId}/courses': { get: { summary: "a learner's progress per course, from statements", security: 'ecoKey', responses: { 200: '[{id, viewCount, progressPercentage, firstViewDate, lastViewDate, completedDate, spentTime}]' } } },
  '/ecoapi/teachers/{id}': { get: { summary: 'a teacher, {} when unknown', security: 'ecoKey', responses: { 200: '{name, imageUrl, desc}' } } },
  '/ecoapi/tasks/{courseId}': { get: { summary: 'the blocks of a course as ECO tasks', security: 'ecoKey', responses: { 200: '{moocId, tasks}', 404: '{}' } } },
  '/ecoapi/{key}/users/{ecoUserId}/courses': { get: { summary: "as /ecoapi/users/{ecoUserId}/courses, the key in the path as ECO's client sends it (so are heartbeat, teachers and tasks)", responses: { 200: 'as without the key', 401: problem, 403: problem } } },
  '/ingest/edx': { post: { summary: 'edX tracking events: one JSON event, a JSON array, or NDJSON', security: 'edxToken', responses: { 202: '{received, translated, statements, ignored, ignoredBy, rejected, added, known, byType, errors}', 401: problem, 413: problem } } },
  '/xapi/statements': {
    get: { summary: 'xAPI 1.0.3 or 2.0.0 statements (X-Experience-API-Version 1.0.x or 2.0.x), one or many with every filter, Last-Modified the latest stored', security: 'lrsBasic', responses: { 200: 'a StatementResult or a statement', 400: problem } },
    put: { summary: 'store one statement under the rules of the version asked for (2.0: contextAgents, contextGroups, RFC 3339 timestamps)', security: 'lrsBasic', responses: { 204: 'stored', 400: problem } },
    post: { summary: 'store statements under the rules of the version asked for', security: 'lrsBasic', responses: { 200: 'their ids', 400: problem } },
  },
  '/reports/edx': { get: { summary: 'the edX course reports and their columns', security: 'admin', responses: { 200: '{reports}' } } },
  '/reports/edx/{report}': {
    get: { summary: 'one edX course report, rows paged', security: 'admin', query: ['course', 'from', 'to', 'offset', 'limit'], responses: { 200: '{report, columns, total, rows, next?}', 400: problem, 404: problem } },
  },
  '/reports/coursera/{course}/learners/{learner}': {
    get: { summary: "a learner's 12 Coursera indicators (learner: the hashed Coursera user id of the exports)", security: 'courseraWidget', query: ['at'], responses: { 200: '{course, learner, at, indicators: [{indicator, name, value, absolute_value?, total?, scaled_value, max_used}]}', 400: problem, 401: problem } },
  },
  '/reports/coursera/{course}/learners/{learner}/choice': {
    get: { summary: "the learner's current choice of indicators (and its history with history=true)", security: 'courseraWidget', query: ['history'], responses: { 200: '{course, learner, current, history?}', 401: problem } },
    put: { summary: 'choose indicators, goal and consent; refused while the choice is closed, except consent alone', security: 'courseraWidget', body: 'IndicatorChoice', responses: { 200: '{course, learner, current}', 400: problem, 409: problem, 413: problem } },
  },
  '/reports/coursera/{course}/indicators.csv': { get: { summary: 'every learner of a course with the 12 indicators, as CSV', security: 'admin', query: ['at'], responses: { 200: 'text/csv', 401: problem } } },
  '/admin/coursera/courses/{course}/settings': {
    get: { summary: 'the course settings of the Coursera indicators', security: 'admin', responses: { 200: 'the settings', 404: problem } },
    put: { summary: 'set cohort start, module length, grade and forum weights, previous cohort, maxima', security: 'admin', body: 'CourseraCourseSettings', responses: { 200: 'replaced', 201: 'created', 400: problem, 413: problem } },
  },
  '/reports/futurelearn/{course}/{run}': {
    get: { summary: 'the course-run dashboard: overview, step funnel, comments and quiz charts (HTML with SVG, no script); bearer or HTTP Basic admin:<ADMIN_TOKEN>', security: 'admin', responses: { 200: 'text/html', 400: problem, 401: problem } },
  },
  '/reports/futurelearn/{course}/{run}.json': {
    get: { summary: 'every FutureLearn run report: overview, step funnel, comment activity, quiz results, video stats', security: 'admin', responses: { 200: '{course, run, overview, stepFunnel, comments, quiz, videos}', 400: problem, 401: problem } },
  },
  '/health': { get: { summary: 'database, outbox depth, last flush', responses: { 200: 'healthy', 503: 'the database is unreachable' } } },
  '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: 'text exposition format' } } },
};

const SCHEMAS: Record<string, object> = {
  Course: COURSE_SCHEMA,
  CoursePatch: { ...COURSE_SCHEMA, $id: 'CoursePatch', required: [] },
  Teacher: TEACHER_SCHEMA,
  Set: SET_SCHEMA,
  IdentityLink: LINK_SCHEMA,
  CourseraCourseSettings: COURSE_SETTINGS_SCHEMA,
  IndicatorChoice: CHOICE_SCHEMA,
};

/** The OpenAPI document. */
export function openApiDocument(): object {
  const paths = Object.fromEntries(
    Object.entries(PATHS).map(([path, ops]) => [
      path,
      Object.fromEntries(
        Object.entries(ops).map(([method, op]) => [
          method,
          {
            summary: op.summary,
            ...(op.security && { security: [{ [op.security]: [] }] }),
            parameters: [
              ...[...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
              ...(op.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
            ],
            ...(op.body && { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.body}` } } } } }),
            responses: Object.fromEntries(Object.entries(op.responses).map(([status, description]) => [status, { description }])),
          },
        ]),
      ),
    ]),
  );
  return {
    openapi: '3.1.0',
    info: { title: 'xapi-gateway', version: '1.0.0', description: 'MOOC learning data into xAPI; catalogue, OAI-PMH and the ECO API.' },
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(SCHEMAS).map(([name, schema]) => [name, withoutId(schema)])),
      securitySchemes: {
        admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        ecoKey: { type: 'http', scheme: 'bearer', description: 'a key of ECO_API_KEYS (also accepted as X-API-Key, or as the path segment after /ecoapi)' },
        edxToken: { type: 'http', scheme: 'bearer', description: 'a token of EDX_INGEST_TOKENS' },
        courseraWidget: { type: 'http', scheme: 'bearer', description: 'a token of COURSERA_WIDGET_TOKENS, or ADMIN_TOKEN' },
        lrsBasic: { type: 'http', scheme: 'basic', description: 'LRS_USERS or a stored credential' },
      },
    },
  };
}

function withoutId(schema: object): object {
  const { $id: _id, ...rest } = schema as { $id?: string };
  return rest;
}
