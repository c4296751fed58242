/**
 * The ECO REST API under `/ecoapi` (ECO_API_KEYS), in the shapes ECO reads. ECO's own
 * progress client sends no header: it appends `/users/<id>/courses` to the base URL an
 * operator enters, so each route is also served with the key as the first path segment.
 */
import { json, problem, type Operation, type PathTable } from './kit.js';

/** A learner's progress in two courses, as ECO reads it: dates without zone (UTC), spentTime in ms. */
export const ECO_PROGRESS_EXAMPLE = [
  {
    id: 'oai:eco.example.org:cs101-2026', viewCount: 14, progressPercentage: 62,
    firstViewDate: '2026-03-02T09:15:22', lastViewDate: '2026-03-20T18:40:05', completedDate: '', spentTime: 5_400_000,
  },
  {
    id: 'oai:eco.example.org:ds102-2026', viewCount: 31, progressPercentage: 100,
    firstViewDate: '2026-01-12T08:02:11', lastViewDate: '2026-02-27T16:30:00', completedDate: '2026-02-27T16:30:00', spentTime: 19_800_000,
  },
];

const ECO_DATE = { type: 'string', pattern: '^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)?$', description: 'UTC, no zone; empty when none' };
const PROGRESS = {
  type: 'array',
  items: {
    type: 'object',
    required: ['id', 'viewCount', 'progressPercentage', 'firstViewDate', 'lastViewDate', 'completedDate', 'spentTime'],
    properties: {
      id: { type: 'string', description: 'the OAI identifier of the catalogue course' },
      viewCount: { type: 'integer', minimum: 0 },
      progressPercentage: { type: 'number', minimum: 0, maximum: 100 },
      firstViewDate: ECO_DATE, lastViewDate: ECO_DATE, completedDate: ECO_DATE,
      spentTime: { type: 'integer', minimum: 0, description: 'milliseconds in sessions' },
    },
  },
};

const SECURITY = { security: ['ecoKey' as const, 'ecoKeyHeader' as const] };
const FORBIDDEN = { 403: 'the client address is outside ECO_API_ALLOWED_IPS' };

/** The routes, as served with the key in a header; `withKeyInPath` adds the path form. */
const ROUTES: PathTable = {
  '/ecoapi/heartbeat': {
    get: { ...SECURITY, summary: 'liveness for ECO', responses: { ...FORBIDDEN, 200: json('alive', { type: 'object', required: ['alive_at'], properties: { alive_at: { type: 'string', format: 'date-time' } } }, { alive_at: '2026-03-20T18:45:00.000Z' }) } },
  },
  '/ecoapi/users/{ecoUserId}/courses': {
    get: {
      ...SECURITY,
      summary: "a learner's progress per catalogue course, from statements",
      description: 'The learner is found through identity links (PUT /admin/identity-links/edx/{edX numeric user id}); a user without a link has [].',
      path: { ecoUserId: 'the ECO user id of an identity link' },
      responses: { ...FORBIDDEN, 200: json('progress per course', PROGRESS, ECO_PROGRESS_EXAMPLE) },
    },
  },
  '/ecoapi/teachers/{id}': {
    get: {
      ...SECURITY, summary: 'a teacher of the catalogue; {} when unknown', path: { id: 'the teacher id' },
      responses: {
        ...FORBIDDEN,
        200: json('the teacher', { type: 'object', properties: { name: { type: 'string' }, imageUrl: { type: 'string' }, desc: { type: 'array', items: { type: 'object', properties: { language: { type: 'string' }, label: { type: 'string' } } } } } },
          { name: 'Ana Exemplo', imageUrl: 'https://www.example.org/people/exemplo.jpg', desc: [{ language: 'en', label: 'Professor of computing.' }] }),
      },
    },
  },
  '/ecoapi/tasks/{courseId}': {
    get: {
      ...SECURITY, summary: 'the blocks of a course as ECO tasks, in course order', path: { courseId: 'the course id or its OAI identifier' },
      responses: {
        ...FORBIDDEN,
        200: json('the tasks', { type: 'object', required: ['moocId', 'tasks'], properties: { moocId: { type: 'string' }, tasks: { type: 'array', items: { type: 'object', required: ['id', 'type', 'completedTimestamp'], properties: { id: { type: 'string' }, type: { type: 'string' }, completedTimestamp: { type: 'string' } } } } } },
          { moocId: 'oai:eco.example.org:cs101-2026', tasks: [{ id: 'block-v1:OrgX+CS101+2026+type@video+block@0b9e39477cf34507a7a48f74be381fdd', type: 'video', completedTimestamp: '2026-05-29T00:00:00' }] }),
        404: json('no such course: {}, as ECO expects', { type: 'object', maxProperties: 0 }, {}),
      },
    },
  },
};

/** Each route again as `/ecoapi/{key}/...`, for ECO's client; `route` names the one that serves it. */
function withKeyInPath(routes: PathTable): PathTable {
  const keyed = Object.entries(routes).map(([path, item]) => {
    const ops = Object.fromEntries(Object.entries(item).map(([method, op]) => {
      const { security: _header, ...rest } = op as Operation;
      return [method, {
        ...rest,
        summary: `${rest.summary} (key in the path)`,
        path: { key: 'a key of ECO_API_KEYS, as ECO\'s client sends it', ...rest.path },
        responses: {
          ...rest.responses,
          401: 'the key is not one of ECO_API_KEYS, or ECO_API_KEYS is unset',
          429: { ...problem('too many refused keys from this client address'), headers: { 'Retry-After': 'seconds until this client may try again' } },
        },
      }];
    }));
    return [path.replace('/ecoapi/', '/ecoapi/{key}/'), { ...ops, route: path }];
  });
  return { ...routes, ...Object.fromEntries(keyed) };
}

/** The paths of the ECO API. */
export const ECO_PATHS: PathTable = withKeyInPath(ROUTES);
