import { createHash } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { PASSWORD, useLrs, USER } from './lrs-app.js';

const ACTIVITY = 'https://courses.example.org/activity/1';
const AGENT = JSON.stringify({ objectType: 'Agent', mbox: 'mailto:learner@example.org' });
const OTHER_AGENT = JSON.stringify({ account: { homePage: 'https://courses.example.org', name: 'p-42' } });
const REGISTRATION = '6f1c1c52-6b47-4a43-9d0c-6a8a9b0e0f02';

const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;
const state = (extra: Record<string, string> = {}) => `/xapi/activities/state${q({ activityId: ACTIVITY, agent: AGENT, ...extra })}`;
const activityProfile = (extra: Record<string, string> = {}) => `/xapi/activities/profile${q({ activityId: ACTIVITY, ...extra })}`;
const agentProfile = (extra: Record<string, string> = {}) => `/xapi/agents/profile${q({ agent: AGENT, ...extra })}`;
const sha1 = (s: string | Buffer) => `"${createHash('sha1').update(s).digest('hex')}"`;

describe.each(DATABASE_KINDS)('document resources on %s', (kind) => {
  const lrs = useLrs(kind, { bodyLimitBytes: 64 * 1024 });

  it('stores, returns and deletes a state document with its content type, ETag and Last-Modified', async () => {
    await lrs.put(state({ stateId: 'bookmark' }), { page: 3 }).expect(204);
    const got = await lrs.get(state({ stateId: 'bookmark' })).expect(200);
    expect(got.body).toEqual({ page: 3 });
    expect(got.type).toBe('application/json');
    expect(got.headers.etag).toBe(sha1(JSON.stringify({ page: 3 })));
    expect(new Date(got.headers['last-modified']!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const head = await lrs.head(state({ stateId: 'bookmark' })).expect(200);
    expect(head.headers.etag).toBe(got.headers.etag);
    await lrs.delete(state({ stateId: 'bookmark' })).expect(204);
    await lrs.get(state({ stateId: 'bookmark' })).expect(404);
    await lrs.delete(state({ stateId: 'bookmark' })).expect(204);
  });

  it('refuses with 400 a stateId, profileId or activityId holding %00, and a since in year 0000', async () => {
    const nul = await lrs.put(`${state()}&stateId=a%00b`, { page: 1 }).expect(400);
    expect(nul.body.detail).toBe('stateId: contains the character U+0000, which the database cannot store');
    await lrs.get(`${state()}&stateId=a%00b`).expect(400);
    await lrs.put(`${activityProfile()}&profileId=%00`, { a: 1 }).set('If-None-Match', '*').expect(400);
    await lrs.get(`${agentProfile()}&profileId=x%00`).expect(400);
    const activity = await lrs.get(`/xapi/activities/state${q({ activityId: `${ACTIVITY}\u0000`, agent: AGENT })}`).expect(400);
    expect(activity.body.detail).toContain('activityId: contains the character U+0000');
    expect((await lrs.get(state({ since: '0000-01-01T00:00:00Z' })).expect(400)).body.detail).toMatch(/^since: must fall between/);
  });

  it('refuses with 400 to merge a JSON document nested 5,000 deep', async () => {
    await lrs.put(state({ stateId: 'deep' }), { page: 1 }).expect(204);
    const deep = `{"x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const res = await lrs.post(state({ stateId: 'deep' }), deep).set('Content-Type', 'application/json').expect(400);
    expect(res.body.detail).toMatch(/^the posted document: x(\.a)+: nests deeper than 100 levels/);
    expect((await lrs.get(state({ stateId: 'deep' })).expect(200)).body).toEqual({ page: 1 });
  });

  it('keeps binary documents byte for byte', async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 10, 13, 0x89, 0x50, 0x4e, 0x47]);
    await lrs.put(state({ stateId: 'image' }), bytes).set('Content-Type', 'image/png').expect(204);
    const got = await lrs.get(state({ stateId: 'image' })).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(got.type).toBe('image/png');
    expect(Buffer.compare(got.body as Buffer, bytes)).toBe(0);
  });

  it('separates states by registration and agent, and lists ids with and without since', async () => {
    await lrs.put(state({ stateId: 'a' }), { n: 1 }).expect(204);
    await lrs.put(state({ stateId: 'b', registration: REGISTRATION }), { n: 2 }).expect(204);
    await lrs.put(`/xapi/activities/state${q({ activityId: ACTIVITY, agent: OTHER_AGENT, stateId: 'c' })}`, { n: 3 }).expect(204);
    expect((await lrs.get(state()).expect(200)).body).toEqual(['a']);
    expect((await lrs.get(state({ registration: REGISTRATION })).expect(200)).body).toEqual(['b']);
    await lrs.get(state({ stateId: 'b' })).expect(404);

    // The cut is the stored time of the latest change: documents are stamped by the database's clock.
    const { rows } = await lrs.database.query<{ cut: string }>(`SELECT to_char(max(updated) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cut FROM lrs_documents`);
    const cut = rows[0]!.cut;
    await lrs.put(state({ stateId: 'later' }), { n: 4 }).expect(204);
    expect((await lrs.get(state({ since: cut })).expect(200)).body).toEqual(['later']);
    const list = await lrs.get(state()).expect(200);
    expect(list.body).toEqual(['a', 'later']);
    expect(list.headers.etag).toMatch(/^"[0-9a-f]{40}"$/);
  });

  it('deletes every state of an activity and agent, or only those of a registration', async () => {
    await lrs.put(state({ stateId: 'a' }), { n: 1 }).expect(204);
    await lrs.put(state({ stateId: 'b', registration: REGISTRATION }), { n: 2 }).expect(204);
    await lrs.delete(state({ registration: REGISTRATION })).expect(204);
    expect((await lrs.get(state({ registration: REGISTRATION })).expect(200)).body).toEqual([]);
    expect((await lrs.get(state()).expect(200)).body).toEqual(['a']);
    await lrs.delete(state()).expect(204);
    expect((await lrs.get(state()).expect(200)).body).toEqual([]);
  });

  it('merges a posted JSON object into the stored one at the top level', async () => {
    await lrs.post(state({ stateId: 'vars' }), { x: 'foo', y: 'bar', nested: { a: 1 } }).expect(204);
    await lrs.post(state({ stateId: 'vars' }), { x: 'bash', z: 'faz', nested: { b: 2 } }).expect(204);
    expect((await lrs.get(state({ stateId: 'vars' })).expect(200)).body).toEqual({ x: 'bash', y: 'bar', z: 'faz', nested: { b: 2 } });
  });

  it('refuses with 400 a POST merge when either document is not a JSON object, and changes nothing', async () => {
    await lrs.put(state({ stateId: 'text' }), 'plain words').set('Content-Type', 'text/plain').expect(204);
    await lrs.post(state({ stateId: 'text' }), { x: 1 }).expect(400);
    expect((await lrs.get(state({ stateId: 'text' })).expect(200)).text).toBe('plain words');
    await lrs.put(state({ stateId: 'json' }), { x: 1 }).expect(204);
    await lrs.post(state({ stateId: 'json' }), '[1,2]').set('Content-Type', 'application/json').expect(400);
    await lrs.post(state({ stateId: 'json' }), 'x=1').set('Content-Type', 'text/plain').expect(400);
    expect((await lrs.get(state({ stateId: 'json' })).expect(200)).body).toEqual({ x: 1 });
  });

  it('checks If-Match and If-None-Match, with 412 on a mismatch and nothing changed', async () => {
    await lrs.put(activityProfile({ profileId: 'p' }), { v: 1 }).set('If-None-Match', '*').expect(204);
    await lrs.put(activityProfile({ profileId: 'p' }), { v: 2 }).set('If-None-Match', '*').expect(412);
    const etag = (await lrs.get(activityProfile({ profileId: 'p' })).expect(200)).headers.etag!;
    await lrs.put(activityProfile({ profileId: 'p' }), { v: 3 }).set('If-Match', sha1('something else')).expect(412);
    await lrs.put(activityProfile({ profileId: 'p' }), { v: 4 }).set('If-Match', etag).expect(204);
    expect((await lrs.get(activityProfile({ profileId: 'p' })).expect(200)).body).toEqual({ v: 4 });
    await lrs.delete(activityProfile({ profileId: 'p' })).set('If-Match', etag).expect(412);
    await lrs.put(activityProfile({ profileId: 'missing' }), { v: 1 }).set('If-Match', etag).expect(412);
  });

  it('refuses with 409 a profile PUT without a precondition header when the document exists, but not a state PUT', async () => {
    await lrs.put(agentProfile({ profileId: 'prefs' }), { lang: 'nl' }).set('If-None-Match', '*').expect(204);
    const conflict = await lrs.put(agentProfile({ profileId: 'prefs' }), { lang: 'fr' }).expect(409);
    expect(conflict.body.detail).toMatch(/If-Match/);
    expect((await lrs.get(agentProfile({ profileId: 'prefs' })).expect(200)).body).toEqual({ lang: 'nl' });
    await lrs.put(state({ stateId: 's' }), { v: 1 }).expect(204);
    await lrs.put(state({ stateId: 's' }), { v: 2 }).expect(204);
  });

  it('lets exactly one of two concurrent PUTs with the same If-Match win', async () => {
    await lrs.put(agentProfile({ profileId: 'race' }), { v: 0 }).set('If-None-Match', '*').expect(204);
    const etag = (await lrs.get(agentProfile({ profileId: 'race' }))).headers.etag!;
    const results = await Promise.all(
      [1, 2, 3, 4].map((v) => lrs.put(agentProfile({ profileId: 'race' }), { v }).set('If-Match', etag)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([204, 412, 412, 412]);
  });

  it('serves activity and agent profile lists with since', async () => {
    await lrs.put(activityProfile({ profileId: 'one' }), { a: 1 }).set('If-None-Match', '*').expect(204);
    await lrs.post(agentProfile({ profileId: 'two' }), { b: 2 }).expect(204);
    expect((await lrs.get(activityProfile()).expect(200)).body).toEqual(['one']);
    expect((await lrs.get(agentProfile()).expect(200)).body).toEqual(['two']);
    expect((await lrs.get(agentProfile({ since: new Date(Date.now() + 60_000).toISOString() })).expect(200)).body).toEqual([]);
  });

  it.each([
    ['a state without activityId', `/xapi/activities/state${q({ agent: AGENT, stateId: 's' })}`, /activityId is required/],
    ['a state without agent', `/xapi/activities/state${q({ activityId: ACTIVITY, stateId: 's' })}`, /agent is required/],
    ['an agent that is not JSON', `/xapi/activities/state${q({ activityId: ACTIVITY, agent: 'bob', stateId: 's' })}`, /agent/],
    ['an agent without an identifier', `/xapi/activities/state${q({ activityId: ACTIVITY, agent: '{"name":"Bob"}', stateId: 's' })}`, /agent/],
    ['an activityId that is not an IRI', `/xapi/activities/state${q({ activityId: 'not an iri', agent: AGENT, stateId: 's' })}`, /activityId/],
    ['a registration that is not a UUID', state({ stateId: 's', registration: 'nope' }), /registration/],
    ['an unknown parameter', state({ stateId: 's', stateid: 'x' }), /unknown parameter "stateid"/],
    ['since on a single document', state({ stateId: 's', since: new Date().toISOString() }), /since/],
    ['a bad since', state({ since: 'yesterday' }), /since/],
  ])('refuses with 400 %s', async (_name, path, detail) => {
    const res = await lrs.get(path).expect(400);
    expect(res.body.detail).toMatch(detail);
  });

  it('refuses a PUT without a document id, and a profile DELETE without one', async () => {
    await lrs.put(state(), { v: 1 }).expect(400);
    await lrs.delete(activityProfile()).expect(400);
    await lrs.delete(agentProfile()).expect(400);
  });

  it('refuses a document over the body limit with 413, and requests without credentials with 401', async () => {
    await lrs.put(state({ stateId: 'big' }), Buffer.alloc(70 * 1024, 1)).set('Content-Type', 'application/octet-stream').expect(413);
    const origin = `http://127.0.0.1:${(lrs.server.address() as { port: number }).port}`;
    await request(origin).get(state({ stateId: 'x' })).set('X-Experience-API-Version', '1.0.3').expect(401);
    await request(origin).put(state({ stateId: 'x' })).auth(USER, `${PASSWORD}!`).set('X-Experience-API-Version', '1.0.3').send({ v: 1 }).expect(401);
  });
});
