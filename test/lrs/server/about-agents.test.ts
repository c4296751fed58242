import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../support/databases.js';
import { startLrs, type TestLrs } from './lrs-app.js';

describe('the About and Agents resources', () => {
  let t: TestDatabase;
  let lrs: TestLrs;
  let origin: string;
  beforeEach(async () => {
    t = await freshDatabase('pglite');
    lrs = await startLrs(t.database);
    origin = `http://127.0.0.1:${(lrs.server.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    await lrs.close();
    await t.drop();
  });

  it('serves About without credentials or version header, with 1.0.3 and nothing but version and extensions', async () => {
    const res = await request(origin).get('/xapi/about').expect(200);
    expect(res.headers['x-experience-api-version']).toBe('1.0.3');
    expect(res.body.version).toEqual(['1.0.3', '2.0.0']);
    expect(Object.keys(res.body).sort()).toEqual(['extensions', 'version']);
    await request(origin).get('/xapi/about').set('X-Experience-API-Version', '0.95').expect(200);
    await request(origin).head('/xapi/about').expect(200);
    await request(origin).post('/xapi/about').expect(405);
  });

  it('still requires credentials everywhere else', async () => {
    await request(origin).get('/xapi/agents').query({ agent: '{"mbox":"mailto:a@example.org"}' }).set('X-Experience-API-Version', '1.0.3').expect(401);
  });

  it('returns the Person of an agent, every property an array', async () => {
    const agent = { objectType: 'Agent', name: 'Ann', mbox: 'mailto:ann@example.org' };
    const res = await lrs.get(`/xapi/agents?agent=${encodeURIComponent(JSON.stringify(agent))}`).expect(200);
    expect(res.body).toEqual({ objectType: 'Person', name: ['Ann'], mbox: ['mailto:ann@example.org'] });
    const account = { account: { homePage: 'https://courses.example.org', name: 'p-1' } };
    const byAccount = await lrs.get(`/xapi/agents?agent=${encodeURIComponent(JSON.stringify(account))}`).expect(200);
    expect(byAccount.body).toEqual({ objectType: 'Person', account: [account.account] });
  });

  it.each([
    ['no agent', ''],
    ['an agent that is not JSON', '?agent=ann'],
    ['a Group', `?agent=${encodeURIComponent(JSON.stringify({ objectType: 'Group', mbox: 'mailto:g@example.org' }))}`],
    ['an agent with two identifiers', `?agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:a@example.org', openid: 'https://a.example.org' }))}`],
    ['an unknown parameter', `?agent=${encodeURIComponent('{"mbox":"mailto:a@example.org"}')}&x=1`],
  ])('refuses with 400 %s', async (_name, query) => {
    await lrs.get(`/xapi/agents${query}`).expect(400);
  });
});
