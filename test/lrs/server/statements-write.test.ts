import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { PASSWORD, realistic, sid, useLrs, USER } from './lrs-app.js';

describe.each(DATABASE_KINDS)('storing statements in the embedded LRS on %s', (kind) => {
  const lrs = useLrs(kind, { bodyLimitBytes: 64 * 1024 });

  const count = async (): Promise<number> =>
    (await lrs.database.query<{ n: number }>('SELECT count(*)::int AS n FROM lrs_statements')).rows[0]!.n;

  it('stores one posted statement and answers with its id', async () => {
    const res = await lrs.post('/xapi/statements', realistic(1)).expect(200);
    expect(res.body).toEqual([sid(1)]);
    expect(res.headers['x-experience-api-version']).toBe('1.0.3');
    expect(await count()).toBe(1);
  });

  it('stores a posted batch and answers with the ids in order', async () => {
    const batch = [3, 1, 2].map((n) => realistic(n));
    const res = await lrs.post('/xapi/statements', batch).expect(200);
    expect(res.body).toEqual([sid(3), sid(1), sid(2)]);
    expect(await count()).toBe(3);
  });

  it('assigns an id, stored, timestamp, authority and version where the LRS sets them', async () => {
    const { id: _id, timestamp: _ts, ...bare } = realistic(1);
    const res = await lrs.post('/xapi/statements', bare).expect(200);
    const id = res.body[0] as string;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const got = (await lrs.get(`/xapi/statements?statementId=${id}`).expect(200)).body;
    expect(got.id).toBe(id);
    expect(got.stored).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(got.timestamp).toBe(got.stored);
    expect(got.authority).toEqual({ objectType: 'Agent', account: { homePage: 'urn:xapi-gateway', name: USER } });
    expect(got.version).toBe('1.0.0');
  });

  it('returns a single context activity as an array of one', async () => {
    const s = realistic(1);
    (s.context as { contextActivities: Record<string, unknown> }).contextActivities = { parent: { id: 'https://x.org/course' } };
    await lrs.post('/xapi/statements', s).expect(200);
    const got = (await lrs.get(`/xapi/statements?statementId=${sid(1)}`).expect(200)).body;
    expect(got.context.contextActivities).toEqual({ parent: [{ id: 'https://x.org/course' }] });
  });

  it.each([
    ['U+0000', (s: Record<string, unknown>) => ({ ...s, context: { ...(s.context as object), platform: 'edX\u0000' } }), 'context.platform: contains the character U+0000'],
    ['a lone surrogate', (s: Record<string, unknown>) => ({ ...s, result: { response: 'x\ud800y' } }), 'result.response: contains a lone UTF-16 surrogate'],
    ['a key with U+0000', (s: Record<string, unknown>) => ({ ...s, result: { extensions: { 'https://x.org/e\u0000': 1 } } }), 'result.extensions["https://x.org/e\\u0000"]: has a name that contains the character U+0000'],
    ['year 0000', (s: Record<string, unknown>) => ({ ...s, timestamp: '0000-01-01T00:00:00Z' }), 'timestamp: must fall between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z'],
  ])('refuses with 400 naming the field a statement holding %s, on POST and PUT, and stores nothing', async (_what, poison, expected) => {
    const post = await lrs.post('/xapi/statements', [realistic(1), poison(realistic(2))]).expect(400);
    expect(post.body.detail).toContain(`statements[1].${expected}`);
    const put = await lrs.put(`/xapi/statements?statementId=${sid(3)}`, poison(realistic(3))).expect(400);
    expect(put.body.detail).toContain(`statement.${expected}`);
    expect(await count()).toBe(0);
  });

  it('refuses with 400 a score of 1e400 (read as Infinity) and an extension nested 5,000 deep, naming the field', async () => {
    const raw = (body: string) => lrs.post('/xapi/statements', body).set('Content-Type', 'application/json');
    const score = JSON.stringify({ ...realistic(1), result: { score: { raw: 7 } } }).replace('"raw":7', '"raw":1e400');
    expect((await raw(score).expect(400)).body.detail).toContain('statements[0].result.score.raw: must be a finite number');
    const deep = JSON.stringify({ ...realistic(2), result: { extensions: { 'https://x.org/e': 0 } } })
      .replace('"https://x.org/e":0', `"https://x.org/e":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    const res = await raw(deep).expect(400);
    expect(res.body.detail).toMatch(/^statements\[0\]\.result\.extensions\["https:\/\/x\.org\/e"\](\.a)+: nests deeper than 100 levels/);
    expect(await count()).toBe(0);
  });

  it('refuses since and until the database cannot compare with, with 400', async () => {
    expect((await lrs.get('/xapi/statements?since=0000-01-01T00:00:00Z').expect(400)).body.detail).toMatch(/^since: must fall between/);
    expect((await lrs.get('/xapi/statements?until=9999-12-31T23:00:00-05:00').expect(400)).body.detail).toMatch(/^until: must fall between/);
    await lrs.get(`/xapi/statements?activity=${encodeURIComponent('https://x.org/a\u0000')}`).expect(400);
  });

  it('stores a statement put under its statementId with 204', async () => {
    const { id: _id, ...bare } = realistic(5);
    await lrs.put(`/xapi/statements?statementId=${sid(5)}`, bare).expect(204);
    await lrs.put(`/xapi/statements?statementId=${sid(6)}`, realistic(6)).expect(204);
    expect((await lrs.get(`/xapi/statements?statementId=${sid(5)}`).expect(200)).body.id).toBe(sid(5));
    expect(await count()).toBe(2);
  });

  it('refuses a put whose body id differs from statementId, or without statementId', async () => {
    const res = await lrs.put(`/xapi/statements?statementId=${sid(9)}`, realistic(5)).expect(400);
    expect(res.body.detail).toContain('statement.id');
    await lrs.put('/xapi/statements', realistic(5)).expect(400);
    await lrs.put('/xapi/statements?statementId=not-a-uuid', realistic(5)).expect(400);
    expect(await count()).toBe(0);
  });

  it('accepts the same statement sent again and stores it once', async () => {
    await lrs.post('/xapi/statements', [realistic(1), realistic(2)]).expect(200);
    const again = realistic(1);
    // Serialization differences the comparison ignores (Data 2.3.1).
    again.timestamp = new Date(Date.parse(again.timestamp as string)).toISOString().replace('Z', '+00:00');
    (again.verb as { display: object }).display = { 'fr-FR': 'a vu' };
    const res = await lrs.post('/xapi/statements', [again, realistic(3)]).expect(200);
    expect(res.body).toEqual([sid(1), sid(3)]);
    await lrs.put(`/xapi/statements?statementId=${sid(2)}`, realistic(2)).expect(204);
    expect(await count()).toBe(3);
  });

  it('refuses with 409 a different statement under a stored id and stores nothing of that batch', async () => {
    await lrs.post('/xapi/statements', realistic(1)).expect(200);
    const changed = realistic(1, { learner: 'someone-else' });
    const res = await lrs.post('/xapi/statements', [realistic(2), changed, realistic(3)]).expect(409);
    expect(res.body.detail).toContain(sid(1));
    expect(await count()).toBe(1);
    await lrs.put(`/xapi/statements?statementId=${sid(1)}`, changed).expect(409);
    const stored = (await lrs.get(`/xapi/statements?statementId=${sid(1)}`).expect(200)).body;
    expect(stored.actor.account.name).toBe('learner-1');
  });

  it('refuses with 400 a batch that repeats an id', async () => {
    const res = await lrs.post('/xapi/statements', [realistic(1), realistic(2), realistic(1)]).expect(400);
    expect(res.body.detail).toBe('statements[2].id: repeats the id of statements[0]');
    expect(await count()).toBe(0);
  });

  it('refuses with 400 an invalid statement, naming its index and field, and stores nothing', async () => {
    const bad = realistic(4);
    bad.actor = { mbox: 'someone@example.org' };
    const res = await lrs.post('/xapi/statements', [realistic(1), realistic(2), realistic(3), bad]).expect(400);
    expect(res.body.detail).toMatch(/^statements\[3\]\.actor\.mbox: /);
    expect(await count()).toBe(0);
  });

  it('refuses with 400 a body that is not JSON or not application/json', async () => {
    await lrs.post('/xapi/statements', '').set('Content-Type', 'application/json').send('{"actor":').expect(400);
    await lrs.post('/xapi/statements', 'x').set('Content-Type', 'text/plain').send('hello').expect(400);
  });

  it('refuses with 413 a body over the limit', async () => {
    const batch = Array.from({ length: 100 }, (_, i) => realistic(i));
    const res = await lrs.post('/xapi/statements', batch).expect(413);
    expect(res.headers['x-experience-api-version']).toBe('1.0.3');
    expect(await count()).toBe(0);
  });

  it('stores two concurrent posts of the same new statement once, and both succeed', async () => {
    const [a, b] = await Promise.all([lrs.post('/xapi/statements', realistic(7)), lrs.post('/xapi/statements', realistic(7))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await count()).toBe(1);
  });

  const voiding = (n: number, target: string) => ({
    id: sid(n),
    actor: { mbox: 'mailto:admin@example.org' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } },
    object: { objectType: 'StatementRef', id: target },
  });
  const voidedFlags = async () =>
    (await lrs.database.query<{ id: string; voided: boolean }>('SELECT id::text AS id, voided FROM lrs_statements ORDER BY id')).rows;

  it('voids the target of a voiding statement, also when the target arrives later', async () => {
    await lrs.post('/xapi/statements', [realistic(1), voiding(2, sid(1))]).expect(200);
    // Data 2.3.2.s2.b5: the voiding statement may arrive before its target.
    await lrs.post('/xapi/statements', voiding(4, sid(5))).expect(200);
    await lrs.post('/xapi/statements', realistic(5)).expect(200);
    // Voiding a voided statement again changes nothing.
    await lrs.post('/xapi/statements', voiding(6, sid(1))).expect(200);
    expect(await voidedFlags()).toEqual([
      { id: sid(1), voided: true },
      { id: sid(2), voided: false },
      { id: sid(4), voided: false },
      { id: sid(5), voided: true },
      { id: sid(6), voided: false },
    ]);
  });

  it('refuses with 400 a statement voiding a voiding statement, stored or in the same batch, and stores nothing of it', async () => {
    await lrs.post('/xapi/statements', [realistic(1), voiding(2, sid(1))]).expect(200);
    const stored = await lrs.post('/xapi/statements', [realistic(3), voiding(4, sid(2))]).expect(400);
    expect(stored.body.detail).toBe('statements[1].object.id: targets a voiding statement, which cannot be voided (Data 2.3.2)');
    await lrs.put(`/xapi/statements?statementId=${sid(4)}`, voiding(4, sid(2))).expect(400);
    const sameBatch = await lrs.post('/xapi/statements', [voiding(5, sid(3)), voiding(6, sid(5))]).expect(400);
    expect(sameBatch.body.detail).toContain('statements[1].object.id');
    await lrs.post('/xapi/statements', voiding(7, sid(7))).expect(400);
    expect(await voidedFlags()).toEqual([
      { id: sid(1), voided: true },
      { id: sid(2), voided: false },
    ]);
  });

  it('refuses requests without credentials or with wrong ones with 401 and a Basic challenge', async () => {
    const base = request(lrs.server);
    const none = await base.get('/xapi/statements').set('X-Experience-API-Version', '1.0.3').expect(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic realm="xapi"/);
    expect(none.headers['x-experience-api-version']).toBe('1.0.3');
    await base.get('/xapi/statements').auth(USER, `${PASSWORD}!`).set('X-Experience-API-Version', '1.0.3').expect(401);
    await base.get('/xapi/statements').auth('nobody', PASSWORD).set('X-Experience-API-Version', '1.0.3').expect(401);
    await base.post('/xapi/statements').auth(USER, 'wrong').set('X-Experience-API-Version', '1.0.3').send(realistic(1)).expect(401);
    expect(await count()).toBe(0);
  });

  it('refuses with 400 requests without a 1.0.x version header, and accepts 1.0 and 1.0.x', async () => {
    const base = request(lrs.server);
    const res = await base.get('/xapi/statements').auth(USER, PASSWORD).expect(400);
    expect(res.headers['x-experience-api-version']).toBe('1.0.3');
    await base.get('/xapi/statements').auth(USER, PASSWORD).set('X-Experience-API-Version', '0.95').expect(400);
    await base.get('/xapi/statements').auth(USER, PASSWORD).set('X-Experience-API-Version', '1.1.0').expect(400);
    await base.get('/xapi/statements').auth(USER, PASSWORD).set('X-Experience-API-Version', '1.0').expect(200);
    await base.get('/xapi/statements').auth(USER, PASSWORD).set('X-Experience-API-Version', '1.0.1').expect(200);
  });
});
