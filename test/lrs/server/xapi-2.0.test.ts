// xAPI 2.0.0 served beside 1.0.3 (issue 19, item 2; xapi-2.0.md): one test per requirement.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { BASIC_AUTH as AUTH, experienced, PASSWORD, sid, useLrs, USER } from './lrs-app.js';

const V2 = '2.0.0';
const ann = { objectType: 'Agent', mbox: 'mailto:ann@example.org' };
const tutor = { objectType: 'Agent', mbox: 'mailto:tutor@example.org', name: 'Tutor' };
const team = { objectType: 'Group', name: 'Team', account: { homePage: 'https://courses.example.org', name: 'team-1' } };
const statement = (n: number, extra: Record<string, unknown> = {}) => experienced(n, ann, extra);
const contextActors = {
  contextAgents: [{ objectType: 'contextAgent', agent: tutor, relevantTypes: ['https://courses.example.org/roles/tutor'] }],
  contextGroups: [{ objectType: 'contextGroup', group: team }],
};
const withContextActors = (n: number) => statement(n, { context: contextActors });
const ACTIVITY = 'https://courses.example.org/activity/1';
const AGENT = JSON.stringify(ann);
const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

describe.each(DATABASE_KINDS)('xAPI 2.0 beside 1.0.3 on %s', (kind) => {
  const lrs = useLrs(kind);
  const v2 = { get: (path: string) => lrs.get(path).set('X-Experience-API-Version', V2), post: (path: string, body: unknown) => lrs.post(path, body).set('X-Experience-API-Version', V2), put: (path: string, body: unknown) => lrs.put(path, body).set('X-Experience-API-Version', V2) };

  it('answers each request with the version it asked for, and 400 naming 1.0.3 and 2.0.0 to any other', async () => {
    const asked = async (version: string) => (await lrs.get('/xapi/statements').set('X-Experience-API-Version', version).expect(200)).headers['x-experience-api-version'];
    expect(await asked('2.0.0')).toBe('2.0.0');
    expect(await asked('2.0')).toBe('2.0.0');
    expect(await asked('2.0.4')).toBe('2.0.0');
    expect(await asked('1.0')).toBe('1.0.3');
    expect(await asked('1.0.3')).toBe('1.0.3');
    for (const version of ['2.1.0', '1.1.0', '0.95', 'two']) {
      const res = await lrs.get('/xapi/statements').set('X-Experience-API-Version', version).expect(400);
      expect(res.body.detail).toContain('1.0.3 and 2.0.0');
    }
    const missing = await request(lrs.server).get('/xapi/statements').auth(USER, PASSWORD).expect(400);
    expect(missing.body.detail).toContain('1.0.3 and 2.0.0');
  });

  it('lists 1.0.3 and 2.0.0 on /about, answering with the version asked for', async () => {
    const res = await request(lrs.server).get('/xapi/about').set('X-Experience-API-Version', V2).expect(200);
    expect(res.body.version).toEqual(['1.0.3', '2.0.0']);
    expect(res.headers['x-experience-api-version']).toBe('2.0.0');
  });

  it('sets a missing statement version from the request: 2.0.0 under 2.0, 1.0.0 under 1.0.3', async () => {
    await v2.post('/xapi/statements', statement(1)).expect(200);
    await lrs.post('/xapi/statements', statement(2)).expect(200);
    expect((await v2.get(`/xapi/statements?statementId=${sid(1)}`).expect(200)).body.version).toBe('2.0.0');
    expect((await v2.get(`/xapi/statements?statementId=${sid(2)}`).expect(200)).body.version).toBe('1.0.0');
  });

  it('accepts statement version 2.0.0 under 2.0 only', async () => {
    await lrs.post('/xapi/statements', statement(1, { version: '2.0.0' })).expect(400);
    await v2.post('/xapi/statements', [statement(1, { version: '2.0.0' }), statement(2, { version: '1.0.3' })]).expect(200);
    await v2.post('/xapi/statements', statement(3, { version: '2.0.1' })).expect(400);
  });

  it('stores contextAgents and contextGroups under 2.0, refuses them under 1.0.3, and returns them to both', async () => {
    const refused = await lrs.post('/xapi/statements', withContextActors(1)).expect(400);
    expect(refused.body.detail).toContain('context.contextAgents: is not a property xAPI allows here');
    await v2.post('/xapi/statements', statement(2, { context: { contextAgents: [{ objectType: 'contextAgent', agent: { name: 'x' } }] } })).expect(400);
    await v2.post('/xapi/statements', withContextActors(1)).expect(200);
    for (const get of [v2.get, lrs.get]) {
      const { context } = (await get(`/xapi/statements?statementId=${sid(1)}`).expect(200)).body;
      expect(context.contextAgents).toEqual(contextActors.contextAgents);
      expect(context.contextGroups).toEqual(contextActors.contextGroups);
    }
    const ids = (await v2.get(`/xapi/statements?statementId=${sid(1)}&format=ids`).expect(200)).body.context;
    expect(ids.contextAgents[0].agent).toEqual({ objectType: 'Agent', mbox: tutor.mbox });
    expect(ids.contextGroups[0].group).toEqual({ objectType: 'Group', account: team.account });
  });

  it('matches context agents and groups with related_agents, in either version', async () => {
    await v2.post('/xapi/statements', [withContextActors(1), statement(2)]).expect(200);
    for (const agent of [tutor, team]) {
      const related = q({ agent: JSON.stringify(agent), related_agents: 'true' });
      expect((await lrs.get(`/xapi/statements${related}`).expect(200)).body.statements.map((s: { id: string }) => s.id)).toEqual([sid(1)]);
      expect((await v2.get(`/xapi/statements${q({ agent: JSON.stringify(agent) })}`).expect(200)).body.statements).toEqual([]);
    }
  });

  it('accepts a space for T in a timestamp under 2.0 only, and returns it with T', async () => {
    const spaced = { timestamp: '2024-03-01 09:30:00.250+01:00' };
    await lrs.post('/xapi/statements', statement(1, spaced)).expect(400);
    await v2.post('/xapi/statements', statement(1, spaced)).expect(200);
    expect((await lrs.get(`/xapi/statements?statementId=${sid(1)}`).expect(200)).body.timestamp).toBe('2024-03-01T09:30:00.250+01:00');
  });

  it('reads since and until with a space for T under 2.0 only, on statements and documents', async () => {
    await v2.post('/xapi/statements', statement(1)).expect(200);
    const range = q({ since: '2000-01-01 00:00:00Z', until: '2999-01-01 00:00:00Z' });
    expect((await v2.get(`/xapi/statements${range}`).expect(200)).body.statements.map((s: { id: string }) => s.id)).toEqual([sid(1)]);
    await lrs.get(`/xapi/statements${range}`).expect(400);
    const states = `/xapi/activities/state${q({ activityId: ACTIVITY, agent: AGENT, since: '2000-01-01 00:00:00Z' })}`;
    await v2.put(`/xapi/activities/state${q({ activityId: ACTIVITY, agent: AGENT, stateId: 's' })}`, { v: 1 }).expect(204);
    expect((await v2.get(states).expect(200)).body).toEqual(['s']);
    await lrs.get(states).expect(400);
  });

  it('sends Last-Modified on statement lists: the latest stored returned, ascending or not', async () => {
    await lrs.post('/xapi/statements', statement(1)).expect(200);
    await lrs.post('/xapi/statements', statement(2)).expect(200);
    for (const get of [v2.get, lrs.get]) {
      for (const ascending of ['true', 'false']) {
        const res = await get(`/xapi/statements${q({ ascending })}`).expect(200);
        const latest = Math.max(...res.body.statements.map((s: { stored: string }) => Date.parse(s.stored)));
        expect(res.headers['last-modified']).toBe(new Date(latest).toUTCString());
      }
    }
    expect((await v2.get(`/xapi/statements${q({ verb: 'http://adlnet.gov/expapi/verbs/none' })}`).expect(200)).headers['last-modified']).toBeUndefined();
  });

  it('refuses under 2.0 a State PUT without a precondition on an existing document, as 1.0.3 does not', async () => {
    const state = `/xapi/activities/state${q({ activityId: ACTIVITY, agent: AGENT, stateId: 's' })}`;
    await v2.put(state, { v: 1 }).expect(204);
    const conflict = await v2.put(state, { v: 2 }).expect(409);
    expect(conflict.body.detail).toContain('If-Match');
    expect((await v2.get(state).expect(200)).body).toEqual({ v: 1 });
    await lrs.put(state, { v: 3 }).expect(204);
  });

  it('stores under 2.0 a new profile document PUT without a precondition, and refuses it with 409 once it exists', async () => {
    const profile = `/xapi/agents/profile${q({ agent: AGENT, profileId: 'p' })}`;
    await v2.put(profile, { v: 1 }).expect(204);
    await v2.put(profile, { v: 2 }).expect(409);
    expect((await v2.get(profile).expect(200)).body).toEqual({ v: 1 });
  });

  it('refuses the alternate request syntax under 2.0 without running the request', async () => {
    const res = await request(lrs.server)
      .post('/xapi/statements?method=PUT')
      .type('form')
      .send(new URLSearchParams({ statementId: sid(1), Authorization: AUTH, 'X-Experience-API-Version': V2, content: JSON.stringify(statement(1)) }).toString())
      .expect(400);
    expect(res.body.detail).toContain('xAPI 2.0 has no alternate request syntax');
    expect(res.headers['x-experience-api-version']).toBe('2.0.0');
    await lrs.get(`/xapi/statements?statementId=${sid(1)}`).expect(404);
  });
});
