/**
 * Course images over HTTP: uploaded, read and removed under the admin API
 * (`/admin/courses/:id/image`, admin token), and served to everyone at
 * `/catalog/courses/:id/image` while the course is published (its metadata is public).
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Database } from '../db/connection.js';
import { requireBearer } from '../http/bearer.js';
import { CodedError } from '../errors.js';
import { unstorableText } from '../xapi/storable.js';
import { CourseImageStore, IMAGE_MEDIA_TYPES, MIN_IMAGE_BYTES, sniffImageType, type CourseImage, type ImageMediaType } from './course-images.js';

/** What the image routes need. */
export interface CourseImageDeps {
  database: Database;
  /** Unset: the admin routes refuse every request. */
  adminToken: string | undefined;
  /** The largest image taken (COURSE_IMAGE_LIMIT). */
  limitBytes: number;
}

/** Browsers and ECO may keep an image an hour; the ETag tells them when it changed. */
const CACHE_CONTROL = 'public, max-age=3600';

/** The path of a course's public image. */
export const publicImagePath = (courseId: string) => `/catalog/courses/${encodeURIComponent(courseId)}/image`;

/** The router of the image paths, mounted at the root of the app. */
export function courseImageRouter(deps: CourseImageDeps): Router {
  const images = new CourseImageStore(deps.database);
  const router = Router();
  const admin: RequestHandler = (req, _res, next) => {
    requireBearer(req, deps.adminToken === undefined ? [] : [deps.adminToken], 'admin', 'the admin API is off: ADMIN_TOKEN is not set');
    next();
  };
  // Path ids are looked up as text, which cannot hold U+0000.
  router.param('id', (_req, _res, next, value: string) => {
    const problem = unstorableText(value);
    if (problem !== undefined) throw new CodedError('invalid', `id: ${problem}`, { members: { errors: [{ field: '/id', message: problem }] } });
    next();
  });

  router.put('/admin/courses/:id/image', admin, declaredType, express.raw({ type: () => true, limit: deps.limitBytes }), async (req: Request<{ id: string }>, res: Response) => {
    // declaredType let only the types taken through: req.is names the one matched.
    const content = checkedImage(req.body, req.is(IMAGE_MEDIA_TYPES) as ImageMediaType);
    const stored = await images.put(req.params.id, content.mediaType, content.bytes);
    if (stored === undefined) throw new CodedError('not-found', `no course ${req.params.id}`);
    res.status(stored.created ? 201 : 200).json({ mediaType: stored.image.mediaType, bytes: stored.image.content.length, etag: stored.image.etag, url: publicImagePath(req.params.id) });
  });
  router.get('/admin/courses/:id/image', admin, async (req: Request<{ id: string }>, res: Response) => {
    sendImage(req, res, await images.get(req.params.id, { published: false }));
  });
  router.delete('/admin/courses/:id/image', admin, async (req: Request<{ id: string }>, res: Response) => {
    if (!(await images.remove(req.params.id))) throw new CodedError('not-found', `course ${req.params.id} has no image`);
    res.status(204).end();
  });
  router.get('/catalog/courses/:id/image', async (req: Request<{ id: string }>, res: Response) => {
    sendImage(req, res, await images.get(req.params.id, { published: true }));
  });
  return router;
}

/** 415 unless Content-Type is an image type taken, before the body is read. */
const declaredType: RequestHandler = (req, _res, next) => {
  const allowed = `must be one of ${IMAGE_MEDIA_TYPES.join(', ')}`;
  if (typeof req.is(IMAGE_MEDIA_TYPES) !== 'string') throw new CodedError('unsupported', `Content-Type: ${allowed}`, { members: { errors: [{ field: 'Content-Type', message: allowed }] } });
  next();
};

/** The body as an image of the declared type, or 400 saying what the bytes are. */
function checkedImage(body: unknown, declared: ImageMediaType): { mediaType: ImageMediaType; bytes: Buffer } {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
  const refuse = (message: string) => new CodedError('invalid', `body: ${message}`, { members: { errors: [{ field: 'body', message }] } });
  if (bytes.length < MIN_IMAGE_BYTES) throw refuse(`must be an image of at least ${MIN_IMAGE_BYTES} bytes`);
  const actual = sniffImageType(bytes);
  if (actual === undefined) throw refuse(`is not an image of a type taken (${IMAGE_MEDIA_TYPES.join(', ')})`);
  if (actual !== declared) throw refuse(`is ${actual}, not the ${declared} its Content-Type says`);
  return { mediaType: actual, bytes };
}

/** The image with its validators (a 304 when the client has it), or 404. */
function sendImage(req: Request<{ id: string }>, res: Response, image: CourseImage | undefined): void {
  if (image === undefined) throw new CodedError('not-found', `course ${req.params.id} has no image here`);
  res.set({
    'Content-Type': image.mediaType,
    ETag: `"${image.etag}"`,
    'Last-Modified': image.updatedAt.toUTCString(),
    'Cache-Control': CACHE_CONTROL,
    'X-Content-Type-Options': 'nosniff',
  });
  // req.fresh compares If-None-Match and If-Modified-Since with the validators just set.
  if (req.fresh) res.status(304).end();
  else res.send(image.content);
}
