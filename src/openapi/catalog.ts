/**
 * Course images: uploaded, read and removed under `/admin` (ADMIN_TOKEN), served to
 * everyone at `/catalog` while the course is published.
 */
import { json, type PathTable } from './kit.js';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const BYTES = { schema: { type: 'string', contentMediaType: 'application/octet-stream' } };
const IMAGE = Object.fromEntries(IMAGE_TYPES.map((type) => [type, BYTES]));
const ID = { id: 'the course id' };
const VALIDATORS = { ETag: 'the image\'s version', 'Last-Modified': 'when it was uploaded', 'Cache-Control': 'public, max-age=3600' };

const STORED = json('the image is stored; `url` is its public path', {
  type: 'object', required: ['mediaType', 'bytes', 'etag', 'url'],
  properties: { mediaType: { type: 'string', enum: IMAGE_TYPES }, bytes: { type: 'integer' }, etag: { type: 'string' }, url: { type: 'string' } },
}, { mediaType: 'image/png', bytes: 48213, etag: 'b1946ac92492d2347c6235b4d2611184', url: '/catalog/courses/cs101-2026/image' });

/** The paths of course images. */
export const CATALOG_PATHS: PathTable = {
  '/admin/courses/{id}/image': {
    get: { summary: 'the course image, published or not', security: ['admin'], path: ID, responses: { 200: { description: 'the image bytes', content: IMAGE, headers: VALIDATORS }, 304: 'not modified', 404: 'no such course, or it has no image' } },
    put: {
      summary: 'upload the course image: PNG, JPEG, GIF or WebP bytes up to COURSE_IMAGE_LIMIT; the bytes must be of the type Content-Type says',
      security: ['admin'], path: ID,
      body: { content: IMAGE },
      responses: { 200: STORED, 201: STORED, 400: 'the bytes are not an image of the declared type', 404: 'no such course', 413: 'larger than COURSE_IMAGE_LIMIT', 415: 'Content-Type is not an image type taken' },
    },
    delete: { summary: 'remove the course image', security: ['admin'], path: ID, responses: { 204: 'removed', 404: 'the course has no image' } },
  },
  '/catalog/courses/{id}/image': {
    get: {
      summary: 'the image of a published course, for ECO and browsers; no credentials',
      path: ID,
      headers: [{ name: 'If-None-Match', description: 'the ETag held: 304 when it is still the image' }],
      responses: { 200: { description: 'the image bytes', content: IMAGE, headers: VALIDATORS }, 304: 'not modified', 404: 'no published course with an image' },
    },
  },
};
