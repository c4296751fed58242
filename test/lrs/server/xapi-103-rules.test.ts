// The xAPI 1.0.3 rules the ADL conformance suite found broken (issue 19, item 1), one test each.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { BASIC_AUTH as AUTH, experienced, sid, useLrs } from './lrs-app.js';

const ann = { objectType: 'Agent', mbox: 'mailto:ann@example.org' };
const app = { objectType: 'Agent', account: { homePage: 'https://apps.example.org', name: 'quiz-app' } };
const statement = (n: number, extra: Record<string, unknown> = {}) => experienced(n, ann, extra);
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const AGENT = JSON.stringify(ann);
const ACTIVITY = 'https://courses.example.org/activity/1';

describe.each(DATABASE_KINDS)('xAPI 1.0.3 rules on %s', (kind) => {
  const lrs = useLrs(kind);

  it('accepts a Group authority only as an OAuth pair of two identified Agents (Data 2.4.9)', async () => {
    const pair = { objectType: 'Group', member: [app, ann] };
    await lrs.post('/xapi/statements', statement(1, { authority: pair })).expect(200);
    const refused = [
      { ...pair, mbox: 'mailto:pair@example.org' }, // a Group with its own identifier
      { objectType: 'Group', member: [app] },
      { objectType: 'Group', member: [app, ann, { mbox: 'mailto:bob@example.org' }] },
      { objectType: 'Group', member: [app, { name: 'no identifier' }] },
      { objectType: 'Group', member: [app, { objectType: 'Group', member: [ann] }] },
    ];
    for (const [i, authority] of refused.entries()) {
      const res = await lrs.post('/xapi/statements', statement(10 + i, { authority })).expect(400);
      expect(res.body.detail).toContain('authority');
    }
    const own = await lrs.post('/xapi/statements', statement(20, { authority: refused[0] })).expect(400);
    expect(own.body.detail).toContain('authority: must not have an identifier (mbox)');
    await lrs.get(`/xapi/statements?statementId=${sid(10)}`).expect(404);
  });

  it('accepts a statement whose version is 1.0, as well as 1.0.x, and returns it as accepted', async () => {
    await lrs.post('/xapi/statements', [statement(1, { version: '1.0' }), statement(2, { version: '1.0.2' })]).expect(200);
    expect((await lrs.get(`/xapi/statements?statementId=${sid(1)}`).expect(200)).body.version).toBe('1.0');
    await lrs.post('/xapi/statements', statement(3, { version: '1.1.0' })).expect(400);
  });

  it('takes alternate-syntax content without a Content-Type form field as JSON', async () => {
    await request(lrs.server)
      .post('/xapi/statements?method=PUT')
      .type('form')
      .send(form({ statementId: sid(1), Authorization: AUTH, 'X-Experience-API-Version': '1.0.3', content: JSON.stringify(statement(1)) }))
      .expect(204);
    expect((await lrs.get(`/xapi/statements?statementId=${sid(1)}`).expect(200)).body.object.id).toBe(`https://courses.example.org/activity/1`);
    await request(lrs.server)
      .post('/xapi/statements?method=POST')
      .type('form')
      .send(form({ Authorization: AUTH, 'X-Experience-API-Version': '1.0.3', content: JSON.stringify([statement(2)]) }))
      .expect(200);
    await request(lrs.server)
      .post('/xapi/activities/state?method=PUT')
      .type('form')
      .send(form({ activityId: ACTIVITY, agent: AGENT, stateId: 's', Authorization: AUTH, 'X-Experience-API-Version': '1.0.3', content: '{"page":3}' }))
      .expect(204);
    const doc = await lrs.get(`/xapi/activities/state?${new URLSearchParams({ activityId: ACTIVITY, agent: AGENT, stateId: 's' })}`).expect(200);
    expect(doc.type).toBe('application/json');
    expect(doc.body).toEqual({ page: 3 });
  });

  for (const [resource, scope] of [
    ['agent profile', `/xapi/agents/profile?${new URLSearchParams({ agent: AGENT, profileId: 'p' })}`],
    ['activity profile', `/xapi/activities/profile?${new URLSearchParams({ activityId: ACTIVITY, profileId: 'p' })}`],
  ] as const) {
    it(`refuses a PUT to the ${resource} without If-Match or If-None-Match: 400 with no document, 409 with one`, async () => {
      const res = await lrs.put(scope, { v: 1 }).expect(400);
      expect(res.body.detail).toContain('If-Match or If-None-Match is required');
      await lrs.get(scope).expect(404);
      await lrs.put(scope, { v: 1 }).set('If-None-Match', '*').expect(204);
      await lrs.put(scope, { v: 2 }).expect(409);
      expect((await lrs.get(scope).expect(200)).body).toEqual({ v: 1 });
      // POST merges without preconditions, as before (Communication 3.1.s4.b7 is a SHOULD*).
      await lrs.post(scope, { w: 2 }).set('Content-Type', 'application/json').expect(204);
    });
  }
});
