import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedStatementQuery } from '../../src/lrs/server/statement-reader.js';
import { SECRET } from '../support/edx-events.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { LRS_USER, testApp } from '../support/embedded-lrs.js';

const ECO_KEY = 'eco-portal-key-0123456789abcdef';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const LEARNER = 'learner-4711';
const XAPI = { 'X-Experience-API-Version': '1.0.3' };

/** Log lines written so far, parsed, and the raw text (for what must never appear). */
let lines: Record<string, unknown>[];
let text: string;
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
);
const requests = () => lines.filter((l) => l.request !== undefined).map((l) => l.request);

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase('pglite');
});
afterAll(() => t.drop());
beforeEach(() => {
  lines = [];
  text = '';
});

const app = (accessLog: boolean) =>
  testApp(t.database, {
    logger,
    accessLog,
    adminToken: ADMIN_TOKEN,
    ecoApi: { keys: new Map([[ECO_KEY, 'eco-portal']]), statements: new EmbeddedStatementQuery(t.database), repositoryId: 'eco.example.org', pseudonymSecret: SECRET },
  });

describe('the access log', () => {
  it('logs the route template and the client, never the path as sent, its query or the key', async () => {
    await request(app(true)).get(`/ecoapi/${ECO_KEY}/users/${LEARNER}/courses`).query({ lang: 'fr', email: 'a@example.org' }).expect(200);
    expect(requests()).toEqual([{ method: 'GET', route: '/ecoapi/users/:ecoUserId/courses', status: 200, ms: expect.any(Number), client: 'eco:eco-portal' }]);
    expect(lines[0]!.msg).toBe('GET /ecoapi/users/:ecoUserId/courses 200');
    expect(lines[0]!.level).toBe(30);
    for (const secret of [ECO_KEY, LEARNER, 'lang', 'a@example.org', '127.0.0.1']) expect(text).not.toContain(secret);
  });

  it('names the LRS user and the admin token as clients', async () => {
    const served = app(true);
    await request(served).get('/xapi/statements').query({ agent: JSON.stringify({ mbox: 'mailto:a@example.org' }) }).auth(LRS_USER.username, LRS_USER.password).set(XAPI).expect(200);
    await request(served).get('/admin/courses').auth(ADMIN_TOKEN, { type: 'bearer' }).expect(200);
    expect(requests()).toEqual([
      { method: 'GET', route: '/xapi/statements', status: 200, ms: expect.any(Number), client: `lrs:${LRS_USER.username}` },
      { method: 'GET', route: '/admin/courses', status: 200, ms: expect.any(Number), client: 'token:admin' },
    ]);
    expect(text).not.toContain('a@example.org');
  });

  it('logs refused and unknown requests too, by template or mount', async () => {
    const served = app(true);
    await request(served).get(`/ecoapi/wrong-key-0123456789abcdef/users/${LEARNER}/courses`).expect(401);
    await request(served).get('/admin/courses').auth('not-the-admin-token-at-all', { type: 'bearer' }).expect(401);
    await request(served).get(`/admin/courses/${LEARNER}`).auth(ADMIN_TOKEN, { type: 'bearer' }).expect(404);
    await request(served).get(`/nowhere/${LEARNER}`).expect(404);
    expect(requests()).toEqual([
      { method: 'GET', route: '/ecoapi/*', status: 401, ms: expect.any(Number) },
      { method: 'GET', route: '/admin/*', status: 401, ms: expect.any(Number) },
      { method: 'GET', route: '/admin/courses/:id', status: 404, ms: expect.any(Number), client: 'token:admin' },
      { method: 'GET', route: '(no route)', status: 404, ms: expect.any(Number) },
    ]);
    for (const secret of ['wrong-key-0123456789abcdef', LEARNER, 'not-the-admin-token-at-all']) expect(text).not.toContain(secret);
  });

  it('is silent when ACCESS_LOG is false', async () => {
    const served = app(false);
    await request(served).get('/health').expect(200);
    await request(served).get('/nowhere').expect(404);
    expect(requests()).toEqual([]);
  });
});
