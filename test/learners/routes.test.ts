import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { edxTranslateOptions } from '../../src/pipelines/edx.js';
import { pseudonym } from '../../src/xapi/ids.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LMS, ndjson, playVideo, problemCheck, SECRET } from '../support/edx-events.js';
import { testApp } from '../support/embedded-lrs.js';

const ADMIN = 'admin-token-for-learner-tests';
const EDX_TOKEN = 'edx-token-for-learner-tests';
const USER = '314159265';

describe.each(DATABASE_KINDS)('/admin/learners on %s', (kind) => {
  let t: TestDatabase;
  let app: ReturnType<typeof testApp>;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    app = testApp(t.database, { adminToken: ADMIN, learners: { config }, edxIngest: { tokens: new Map([[EDX_TOKEN, 'lms']]), translate: edxTranslateOptions(config, SECRET) } });
  });
  afterEach(() => t.drop());

  const events = [playVideo(Number(USER), 1), problemCheck(Number(USER)), playVideo(7, 2)];
  const post = () => request(app).post('/ingest/edx').set('Authorization', `Bearer ${EDX_TOKEN}`).set('Content-Type', 'application/x-ndjson').send(ndjson(events));
  const admin = (method: 'get' | 'delete', path: string) => request(app)[method](path).set('Authorization', `Bearer ${ADMIN}`);
  const path = `/admin/learners/edx/${USER}`;

  it('refuses every route without the admin token', async () => {
    for (const [method, p] of [['get', path], ['get', `${path}/export`], ['delete', path]] as const) {
      const res = await request(app)[method](p);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect((await request(app).delete(path).set('Authorization', 'Bearer wrong')).status).toBe(401);
  });

  it('finds, exports and erases a learner, naming them by pseudonym only; their events posted again are dropped', async () => {
    expect((await post()).body).toMatchObject({ translated: 3 });
    const found = await admin('get', path).expect(200);
    expect(found.body).toMatchObject({ platform: 'edx', pseudonym: pseudonym(SECRET, USER), total: 2 });
    expect(found.text).not.toContain(USER);

    const archive = await admin('get', `${path}/export`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(archive.headers['content-type']).toBe('application/gzip');
    expect(archive.headers['content-disposition']).toBe('attachment; filename=learner-edx.tar.gz');
    const tar = gunzipSync(archive.body as Buffer).toString('utf8');
    expect(tar).toContain('README.txt');
    expect(tar).toContain('outbox.ndjson');
    expect(tar).not.toContain(pseudonym(SECRET, '7'));

    const erased = await admin('delete', path).expect(200);
    expect(erased.body).toMatchObject({ total: 2, erased: { outbox: 2 }, notErased: [] });
    expect(erased.text).not.toContain(USER);
    expect((await post()).body).toMatchObject({ received: 3, translated: 1, erased: 2, added: 0 });
    expect((await admin('get', path).expect(200)).body).toMatchObject({ total: 0, erased: { by: 'admin api' } });
  });

  it('answers 400 for an unknown platform or an overlong id, never echoing the id', async () => {
    const platform = await admin('get', `/admin/learners/moodle/${USER}`).expect(400);
    expect(platform.text).not.toContain(USER);
    const long = 'x'.repeat(300);
    const overlong = await admin('delete', `/admin/learners/edx/${long}`).expect(400);
    expect(overlong.text).not.toContain(long);
    expect((await admin('get', `/admin/learners/edx/${USER}/export`).expect(200)).headers['content-type']).toBe('application/gzip');
  });
});
