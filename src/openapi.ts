/**
 * The OpenAPI 3.1 description of every endpoint, served at `/openapi.json`. Each area's
 * paths are a table in `src/openapi/`; request bodies of the admin API and the Coursera
 * widget are the same JSON Schemas that validate them, so the description cannot drift
 * from what the API accepts. test/openapi-routes.test.ts walks the app's routes and fails
 * on any route missing here.
 */
import { COURSE_SCHEMA, LINK_SCHEMA, SET_SCHEMA, TEACHER_SCHEMA } from './catalog/schemas.js';
import { EDX_REPORTS } from './reports/edx/reports.js';
import { CHOICE_SCHEMA } from './reports/coursera/choice.js';
import { COURSE_SETTINGS_SCHEMA } from './reports/coursera/course-settings.js';
import { ADMIN_PATHS } from './openapi/admin.js';
import { CATALOG_PATHS } from './openapi/catalog.js';
import { PROBLEM_SCHEMA, SECURITY_SCHEMES, TAGS } from './openapi/components.js';
import { CONSOLE_PATHS } from './openapi/console.js';
import { COURSERA_PATHS } from './openapi/coursera.js';
import { ECO_PATHS } from './openapi/eco.js';
import { HEALTH_PATHS } from './openapi/health.js';
import { INGEST_PATHS } from './openapi/ingest.js';
import { expandPaths, type PathTable } from './openapi/kit.js';
import { LEARNERS_PATHS } from './openapi/learners.js';
import { LRS_PATHS, LRS_SCHEMAS } from './openapi/lrs.js';
import { OAI_PATHS } from './openapi/oai.js';
import { reportsPaths } from './openapi/reports.js';

/** The areas and their paths, by tag. */
const AREAS: readonly [string, PathTable][] = [
  ['lrs', LRS_PATHS],
  ['ingest', INGEST_PATHS],
  ['admin', ADMIN_PATHS],
  ['learners', LEARNERS_PATHS],
  ['catalog', CATALOG_PATHS],
  ['eco', ECO_PATHS],
  ['oai', OAI_PATHS],
  ['reports', { ...reportsPaths(Object.keys(EDX_REPORTS)), ...COURSERA_PATHS }],
  ['health', HEALTH_PATHS],
  ['console', CONSOLE_PATHS],
];

/**
 * A validator's schema as OpenAPI 3.1 (JSON Schema 2020-12) has it: without `$id`, and
 * with the `nullable: true` of ajv's OpenAPI 3.0 dialect as a `null` type.
 */
function asJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(asJsonSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const { $id: _id, nullable, ...rest } = schema as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, asJsonSchema(v)]));
  if (nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

/** The stored course: what the admin API takes, and the OAI datestamp it answers with. */
const STORED_COURSE = {
  ...COURSE_SCHEMA,
  required: [...COURSE_SCHEMA.required, 'datestamp'],
  properties: { ...COURSE_SCHEMA.properties, datestamp: { type: 'string', description: 'when the OAI record last changed' } },
};

const SCHEMAS: Record<string, unknown> = {
  Problem: PROBLEM_SCHEMA,
  ...LRS_SCHEMAS,
  Course: COURSE_SCHEMA,
  CoursePatch: { ...COURSE_SCHEMA, required: [] },
  StoredCourse: STORED_COURSE,
  Teacher: TEACHER_SCHEMA,
  Set: SET_SCHEMA,
  IdentityLink: LINK_SCHEMA,
  CourseraCourseSettings: COURSE_SETTINGS_SCHEMA,
  IndicatorChoice: CHOICE_SCHEMA,
};

/**
 * The OpenAPI document.
 * @example app.get('/openapi.json', (_req, res) => res.json(openApiDocument()))
 */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'xapi-gateway',
      version: '1.0.0',
      description:
        'Learning data from edX, Coursera, FutureLearn and Khan Academy as xAPI statements; the embedded LRS; the catalogue with OAI-PMH and the ECO API; reports. ' +
        'Every fault is application/problem+json (RFC 9457). Paths with {key} under /ecoapi are served by the route named in x-route.',
    },
    tags: TAGS,
    paths: Object.assign({}, ...AREAS.map(([tag, table]) => expandPaths(table, tag))),
    components: {
      schemas: Object.fromEntries(Object.entries(SCHEMAS).map(([name, schema]) => [name, asJsonSchema(schema)])),
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
