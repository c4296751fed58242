import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { BASIC_AUTH as AUTH, experienced, sid, startLrs, type TestLrs } from './lrs-app.js';

// The one origin allowed to use the browser's credentials; any other page needs an explicit Authorization header.
const LISTED = 'https://lms.example.org';
const statement = (n: number) => experienced(n, { mbox: 'mailto:learner@example.org' });

describe.each(DATABASE_KINDS)('protocol on %s', (kind) => {
  let t: TestDatabase;
  let lrs: TestLrs;
  let origin: string;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    lrs = await startLrs(t.database, { corsCredentialsOrigins: new Set([LISTED]) });
    origin = `http://127.0.0.1:${(lrs.server.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    await lrs.close();
    await t.drop();
  });

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  it('stores a statement PUT through the alternate request syntax and reads it back the same way', async () => {
    await request(origin)
      .post('/xapi/statements?method=PUT')
      .type('form')
      .send(form({
        statementId: sid(1), Authorization: AUTH, 'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json', content: JSON.stringify(statement(1)),
      }))
      .expect(204);
    const got = await request(origin)
      .post('/xapi/statements?method=GET')
      .type('form')
      .send(form({ statementId: sid(1), Authorization: AUTH, 'X-Experience-API-Version': '1.0.3' }))
      .expect(200);
    expect(got.body.id).toBe(sid(1));
  });

  it('stores a document through the alternate request syntax', async () => {
    const agent = JSON.stringify({ mbox: 'mailto:learner@example.org' });
    await request(origin)
      .post('/xapi/activities/state?method=PUT')
      .type('form')
      .send(form({
        activityId: 'https://courses.example.org/activity/1', agent, stateId: 's', Authorization: AUTH,
        'X-Experience-API-Version': '1.0.3', 'Content-Type': 'text/plain', content: 'héllo',
      }))
      .expect(204);
    const got = await lrs.get(`/xapi/activities/state?${new URLSearchParams({ activityId: 'https://courses.example.org/activity/1', agent, stateId: 's' })}`).expect(200);
    expect(got.text).toBe('héllo');
  });

  it('refuses the alternate syntax with other query parameters, a bad method, or without credentials', async () => {
    await request(origin).post(`/xapi/statements?method=GET&statementId=${sid(1)}`).type('form')
      .send(form({ Authorization: AUTH, 'X-Experience-API-Version': '1.0.3' })).expect(400);
    await request(origin).post('/xapi/statements?method=PATCH').type('form')
      .send(form({ Authorization: AUTH, 'X-Experience-API-Version': '1.0.3' })).expect(400);
    await request(origin).post('/xapi/statements?method=POST').type('form')
      .send(form({ 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json', content: JSON.stringify(statement(2)) })).expect(401);
  });

  const preflight = (from: string) =>
    request(origin)
      .options('/xapi/statements')
      .set('Origin', from)
      .set('Access-Control-Request-Method', 'PUT')
      .set('Access-Control-Request-Headers', 'authorization, content-type, x-experience-api-version')
      .expect(204);

  it('answers a preflight from any origin with * and no credentials, and from a listed origin with it and credentials', async () => {
    const any = await preflight('https://app.example.org');
    expect(any.headers['access-control-allow-origin']).toBe('*');
    expect(any.headers['access-control-allow-credentials']).toBeUndefined();
    expect(any.headers['access-control-allow-methods']).toContain('PUT');
    expect(any.headers['access-control-allow-headers']).toContain('authorization');
    expect(any.headers['access-control-allow-headers']).toContain('x-experience-api-version');
    const listed = await preflight(LISTED);
    expect(listed.headers['access-control-allow-origin']).toBe(LISTED);
    expect(listed.headers['access-control-allow-credentials']).toBe('true');
    expect(listed.headers.vary).toContain('Origin');
  });

  it('lets a cross-origin GET with an explicit Authorization header be read from any origin, with credentials only from a listed one', async () => {
    await lrs.post('/xapi/statements', statement(9)).expect(200);
    const any = await lrs.get(`/xapi/statements?statementId=${sid(9)}`).set('Origin', 'https://evil.example.net').expect(200);
    expect(any.headers['access-control-allow-origin']).toBe('*');
    expect(any.headers['access-control-allow-credentials']).toBeUndefined();
    expect(any.headers['access-control-expose-headers']).toContain('X-Experience-API-Consistent-Through');
    const listed = await lrs.get(`/xapi/statements?statementId=${sid(9)}`).set('Origin', LISTED).expect(200);
    expect(listed.headers['access-control-allow-origin']).toBe(LISTED);
    expect(listed.headers['access-control-allow-credentials']).toBe('true');
    expect(listed.headers.vary).toContain('Origin');
  });

  it('answers HEAD like GET without a body', async () => {
    await lrs.post('/xapi/statements', statement(3)).expect(200);
    const get = await lrs.get(`/xapi/statements?statementId=${sid(3)}`).expect(200);
    const head = await lrs.head(`/xapi/statements?statementId=${sid(3)}`).expect(200);
    expect(head.text ?? '').toBe('');
    expect(head.headers['last-modified']).toBe(get.headers['last-modified']);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    await lrs.head('/xapi/statements').expect(200);
  });
});
