import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { oaiProvider } from '../../src/oai-pmh/routes.js';
import { fullCourse, PNG } from '../support/catalog.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';

const TOKEN = 'admin-token-0123456789abcdef';
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

describe.each(DATABASE_KINDS)('course images on %s', (kind) => {
  let t: TestDatabase;
  let app: RunningLrs;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    app = await startEmbeddedLrs(t.database, {
      adminToken: TOKEN,
      courseImages: { limitBytes: 1024 },
      oai: await oaiProvider(t.database, loadConfig({ OAI_REPOSITORY_ID: 'eco.example.org' })),
    });
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
  });
  const admin = (path: string, method: string, body?: Buffer | string, type = 'image/png') =>
    fetch(`${app.origin}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': type }) }, ...(body !== undefined && { body }) });
  const lom = async () => (await fetch(`${app.origin}/oai?verb=GetRecord&metadataPrefix=oai_lom&identifier=oai:eco.example.org:c1`)).text();

  it('takes an upload whose bytes are of its declared type, serves it with validators, and puts it in oai_lom', async () => {
    expect((await admin('/admin/courses/c1/image', 'PUT', PNG)).status).toBe(404);
    expect((await admin('/admin/courses', 'POST', JSON.stringify(fullCourse('c1', { published: true })), 'application/json')).status).toBe(201);
    expect((await fetch(`${app.origin}/admin/courses/c1/image`, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: PNG })).status).toBe(401);
    const put = await admin('/admin/courses/c1/image', 'PUT', PNG);
    expect(put.status).toBe(201);
    expect(await put.json()).toMatchObject({ mediaType: 'image/png', bytes: PNG.length, url: '/catalog/courses/c1/image' });
    const served = await fetch(`${app.origin}/catalog/courses/c1/image`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
    // Not fetch: it adds Cache-Control: no-cache to conditional requests.
    expect((await request(app.origin).get('/catalog/courses/c1/image').set('if-none-match', served.headers.get('etag')!)).status).toBe(304);
    expect(await lom()).toContain(`<eco:courseImage><eco:courseImageBase64>${PNG.toString('base64')}</eco:courseImageBase64></eco:courseImage>`);
    // Unpublished, the course and its image are no longer public; the admin API still has it.
    await admin('/admin/courses/c1/unpublish', 'POST');
    expect((await fetch(`${app.origin}/catalog/courses/c1/image`)).status).toBe(404);
    expect((await admin('/admin/courses/c1/image', 'GET')).status).toBe(200);
    await admin('/admin/courses/c1/publish', 'POST');
    expect((await admin('/admin/courses/c1/image', 'DELETE')).status).toBe(204);
    expect(await lom()).toContain('<eco:courseImage><eco:courseUrl>https://lms.example.org/static/cs101.png</eco:courseUrl></eco:courseImage>');
    expect((await admin('/admin/courses/c1/image', 'DELETE')).status).toBe(404);
  });

  it('refuses other types, bytes of another type, too few and too many bytes, naming what is wrong', async () => {
    await admin('/admin/courses', 'POST', JSON.stringify(fullCourse('c1', { published: true, imageUrl: undefined })), 'application/json');
    const refused = async (body: Buffer, type: string) => {
      const res = await admin('/admin/courses/c1/image', 'PUT', body, type);
      return { status: res.status, body: (await res.json()) as { errors?: { field: string; message: string }[] } };
    };
    expect(await refused(PNG, 'image/svg+xml')).toMatchObject({ status: 415, body: { errors: [{ field: 'Content-Type' }] } });
    expect(await refused(GIF, 'image/png')).toMatchObject({ status: 400, body: { errors: [{ field: 'body', message: 'is image/gif, not the image/png its Content-Type says' }] } });
    expect(await refused(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png')).toMatchObject({ status: 400, body: { errors: [{ field: 'body' }] } });
    expect(await refused(PNG.subarray(0, 12), 'image/png')).toMatchObject({ status: 400, body: { errors: [{ field: 'body' }] } });
    expect((await refused(Buffer.concat([PNG, Buffer.alloc(2000)]), 'image/png')).status).toBe(413);
    expect((await admin('/admin/courses/c1/image', 'GET')).status).toBe(404);
    expect(await lom()).not.toContain('courseImage');
    expect((await admin('/admin/courses/c1/image', 'PUT', GIF, 'image/gif')).status).toBe(201);
    // A deleted course's image goes with it, also when the tombstone is made a course again.
    expect((await admin('/admin/courses/c1', 'DELETE')).status).toBe(204);
    await admin('/admin/courses', 'POST', JSON.stringify(fullCourse('c1', { published: true, imageUrl: undefined })), 'application/json');
    expect((await admin('/admin/courses/c1/image', 'GET')).status).toBe(404);
  });
});
