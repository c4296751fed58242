/**
 * The admin API under `/admin` (`Authorization: Bearer $ADMIN_TOKEN`): courses,
 * teachers, OAI sets and identity links as JSON, paged by id, with every bad field of
 * an input listed in one 400; bulk import of courses and links from CSV or JSON.
 */
import express, { Router, type Request, type Response } from 'express';
import type { Database } from '../db/connection.js';
import { requireBearer } from '../http/bearer.js';
import { CodedError } from '../errors.js';
import { unstorableText } from '../xapi/storable.js';
import { bulkImport, type BulkKind } from './bulk-import.js';
import { CourseStore, missingForEco } from './courses.js';
import { deleteIdentityLink, listIdentityLinks, putIdentityLink } from './identity-links.js';
import { TeacherStore, type Removal } from './teachers.js';

/** What the admin API needs. */
export interface AdminDeps {
  database: Database;
  /** Unset: every request is refused. */
  adminToken: string | undefined;
  bodyLimitBytes: number;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 500;

/** `value` when the database can hold it as text, else 400 naming the parameter (never the value). */
function storableParam(name: string, value: string): string {
  const problem = unstorableText(value);
  if (problem !== undefined) throw new CodedError('invalid', `${name}: ${problem}`, { members: { errors: [{ field: `/${name}`, message: problem }] } });
  return value;
}

/** `limit` and `after` of a list request. */
function page(req: Request): { limit: number; after?: string } {
  const raw = req.query.limit;
  const limit = raw === undefined ? DEFAULT_PAGE : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new CodedError('invalid', `limit: must be an integer from 1 to ${MAX_PAGE}`);
  const after = typeof req.query.after === 'string' ? storableParam('after', req.query.after) : undefined;
  return after === undefined ? { limit } : { limit, after };
}

/** The body's `id` (or `spec`) must be the one of the path; it is taken from the path when absent. */
function withKey(body: unknown, key: 'id' | 'spec', value: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new CodedError('invalid', 'the body must be a JSON object');
  const given = (body as Record<string, unknown>)[key];
  if (given !== undefined && given !== value) throw new CodedError('invalid', `${key}: differs from the ${key} in the path`, { members: { errors: [{ field: `/${key}`, message: 'differs from the path' }] } });
  return { ...body, [key]: value };
}

/** 404 for nothing to delete; 409 naming the live courses and subsets that keep it. */
function removed(outcome: Removal, what: string): void {
  if (outcome === 'missing') throw new CodedError('not-found', `no ${what}`);
  if (outcome === 'removed') return;
  const held = [
    ...(outcome.courses.length > 0 ? [`courses ${outcome.courses.join(', ')}`] : []),
    ...(outcome.subsets.length > 0 ? [`subsets ${outcome.subsets.join(', ')}`] : []),
  ];
  throw new CodedError('conflict', `${what} is used by ${held.join(' and ')}: change or delete those first`, { members: { courses: outcome.courses, subsets: outcome.subsets } });
}

function listed<T>(res: Response, result: { items: T[]; next?: string }): void {
  res.json(result.next === undefined ? { items: result.items } : result);
}

/** The router of `/admin`. */
export function adminRouter(deps: AdminDeps): Router {
  const courses = new CourseStore(deps.database);
  const teachers = new TeacherStore(deps.database);
  const router = Router();
  router.use((req, _res, next) => {
    requireBearer(req, deps.adminToken === undefined ? [] : [deps.adminToken], 'admin', 'the admin API is off: ADMIN_TOKEN is not set');
    next();
  });
  // Path ids are looked up as text, which cannot hold U+0000.
  for (const name of ['id', 'spec', 'platform', 'platformUserId']) {
    router.param(name, (_req, _res, next, value: string) => {
      storableParam(name, value);
      next();
    });
  }
  router.use(express.json({ limit: deps.bodyLimitBytes, strict: false }));
  router.use(express.text({ type: ['text/csv', 'text/plain'], limit: deps.bodyLimitBytes }));

  router.get('/courses', async (req, res) => listed(res, await courses.list(page(req))));
  router.get('/courses/:id', async (req, res) => {
    const course = await courses.get(req.params.id);
    if (course === undefined) throw new CodedError('not-found', `no course ${req.params.id}`);
    res.json(course);
  });
  router.post('/courses', async (req, res) => {
    const id = (req.body as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && (await courses.get(id)) !== undefined) throw new CodedError('conflict', `course ${id} exists: PUT replaces it`);
    const { course } = await courses.put(req.body);
    res.status(201).location(`/admin/courses/${encodeURIComponent(course.id)}`).json(course);
  });
  router.put('/courses/:id', async (req, res) => {
    const { course, created } = await courses.put(withKey(req.body, 'id', req.params.id));
    res.status(created ? 201 : 200).json(course);
  });
  router.patch('/courses/:id', async (req, res) => {
    const course = await courses.patch(req.params.id, req.body);
    if (course === undefined) throw new CodedError('not-found', `no course ${req.params.id}`);
    res.json(course);
  });
  router.post('/courses/:id/publish', async (req, res) => {
    const current = await courses.get(req.params.id);
    if (current === undefined) throw new CodedError('not-found', `no course ${req.params.id}`);
    const missing = missingForEco(current);
    if (missing.length > 0) throw new CodedError('invalid', `cannot publish: ${missing.map((m) => m.field.slice(1)).join(', ')} missing`, { members: { errors: missing } });
    res.json(await courses.patch(req.params.id, { published: true }));
  });
  router.post('/courses/:id/unpublish', async (req, res) => {
    const course = await courses.patch(req.params.id, { published: false });
    if (course === undefined) throw new CodedError('not-found', `no course ${req.params.id}`);
    res.json(course);
  });
  router.delete('/courses/:id', async (req, res) => {
    if (!(await courses.remove(req.params.id))) throw new CodedError('not-found', `no course ${req.params.id}`);
    res.status(204).end();
  });

  router.get('/teachers', async (req, res) => listed(res, await teachers.list(page(req))));
  router.get('/teachers/:id', async (req, res) => {
    const teacher = await teachers.get(req.params.id);
    if (teacher === undefined) throw new CodedError('not-found', `no teacher ${req.params.id}`);
    res.json(teacher);
  });
  router.put('/teachers/:id', async (req, res) => {
    const { teacher, created } = await teachers.put(withKey(req.body, 'id', req.params.id));
    res.status(created ? 201 : 200).json(teacher);
  });
  router.delete('/teachers/:id', async (req, res) => {
    removed(await teachers.remove(req.params.id), `teacher ${req.params.id}`);
    res.status(204).end();
  });

  router.get('/sets', async (_req, res) => res.json({ items: await teachers.sets() }));
  router.put('/sets/:spec', async (req, res) => {
    const { set, created } = await teachers.putSet(withKey(req.body, 'spec', req.params.spec));
    res.status(created ? 201 : 200).json(set);
  });
  router.delete('/sets/:spec', async (req, res) => {
    removed(await teachers.removeSet(req.params.spec), `set ${req.params.spec}`);
    res.status(204).end();
  });

  router.get('/identity-links', async (req, res) => {
    const platform = typeof req.query.platform === 'string' ? storableParam('platform', req.query.platform) : undefined;
    listed(res, await listIdentityLinks(deps.database, { ...page(req), ...(platform && { platform }) }));
  });
  router.put('/identity-links/:platform/:platformUserId', async (req, res) => {
    const body = { ...(typeof req.body === 'object' && req.body !== null ? req.body : {}), platform: req.params.platform, platformUserId: req.params.platformUserId };
    res.json(await putIdentityLink(deps.database, body));
  });
  router.delete('/identity-links/:platform/:platformUserId', async (req, res) => {
    if (!(await deleteIdentityLink(deps.database, req.params.platform, req.params.platformUserId))) throw new CodedError('not-found', 'no such link');
    res.status(204).end();
  });

  for (const kind of ['courses', 'identity-links'] as const satisfies readonly BulkKind[]) {
    router.post(`/${kind}/import`, async (req, res) => {
      res.json(await bulkImport(kind, req.body, req.is('text/csv') !== false && req.is('text/csv') !== null ? 'csv' : 'json', { database: deps.database, courses }));
    });
  }
  return router;
}
