import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { PASSWORD, sid, startLrs, USER, type TestLrs } from './lrs-app.js';

const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const statement = (n: number) => ({
  id: sid(n),
  actor: { mbox: 'mailto:learner@example.org' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
  object: { id: `https://courses.example.org/activity/${n}` },
});

describe.each(DATABASE_KINDS)('protocol on %s', (kind) => {
  let t: TestDatabase;
  let lrs: TestLrs;
  let origin: string;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    lrs = await startLrs(t.database);
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

  it('answers CORS preflights without credentials and exposes the xAPI headers', async () => {
    const preflight = await request(origin)
      .options('/xapi/statements')
      .set('Origin', 'https://app.example.org')
      .set('Access-Control-Request-Method', 'PUT')
      .set('Access-Control-Request-Headers', 'authorization, content-type, x-experience-api-version')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(preflight.headers['access-control-allow-methods']).toContain('PUT');
    expect(preflight.headers['access-control-allow-headers']).toContain('x-experience-api-version');
    const got = await lrs.get(`/xapi/statements?statementId=${sid(9)}`).set('Origin', 'https://app.example.org').expect(404);
    expect(got.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(got.headers['access-control-expose-headers']).toContain('X-Experience-API-Consistent-Through');
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
