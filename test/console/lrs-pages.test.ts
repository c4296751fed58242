import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore, VERIFY_CACHE_MS } from '../../src/lrs/server/credential-store.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LRS_USER } from '../support/embedded-lrs.js';
import { makeStatements } from '../support/statements.js';
import { consoleApp, movableClock, signedIn } from './console-app.js';

const XAPI = { 'X-Experience-API-Version': '1.0.3' };
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';

/** The statement ids a page of the browser lists. */
const listedIds = (html: string): string[] => [...html.matchAll(/href="\/console\/lrs\/statements\/([^"]+)"/g)].map((m) => m[1]!);

describe.each(DATABASE_KINDS)('the console\'s LRS pages on %s', (kind) => {
  let t: TestDatabase;
  const clock = movableClock();
  let made: ReturnType<typeof consoleApp>;
  let signed: Awaited<ReturnType<typeof signedIn>>;
  const statements = makeStatements(30, 'browse');
  // Two of them completed, not played: the verb filter finds them.
  for (const s of statements.slice(0, 2)) s.verb = { id: COMPLETED, display: { en: 'completed' } };

  beforeAll(async () => {
    t = await freshDatabase(kind);
    made = consoleApp(t.database, clock, { credentials: new CredentialStore(t.database, clock.now) });
    await request(made.app).post('/xapi/statements').set(XAPI).set('Authorization', basic(LRS_USER.username, LRS_USER.password)).send(statements).expect(200);
    signed = await signedIn(made.app);
  });
  afterAll(() => t.drop());

  it('lists the statements 25 a page, newest first, and the rest on the next page', async () => {
    const first = await signed.agent.get('/console/lrs').expect(200);
    expect(listedIds(first.text)).toHaveLength(25);
    const next = /rel="next" href="([^"]+)"/.exec(first.text)![1]!.replaceAll('&amp;', '&');
    const second = await signed.agent.get(next).expect(200);
    expect(new Set([...listedIds(first.text), ...listedIds(second.text)])).toEqual(new Set(statements.map((s) => s.id)));
  });

  it('filters by agent, as JSON or as mailto:, and by verb', async () => {
    const agent = JSON.stringify(statements[7]!.actor);
    expect(listedIds((await signed.agent.get('/console/lrs').query({ agent }).expect(200)).text)).toEqual([statements[7]!.id]);
    expect(listedIds((await signed.agent.get('/console/lrs').query({ agent: 'mailto:nobody@example.org' }).expect(200)).text)).toEqual([]);
    expect(listedIds((await signed.agent.get('/console/lrs').query({ verb: COMPLETED }).expect(200)).text).sort()).toEqual([statements[0]!.id, statements[1]!.id].sort());
    expect(listedIds((await signed.agent.get('/console/lrs').query({ until: '2000-01-01T00:00:00Z' }).expect(200)).text)).toEqual([]);
  });

  it('answers a bad filter with the page\'s 400 naming it', async () => {
    expect((await signed.agent.get('/console/lrs').query({ agent: '{not json' }).expect(400)).text).toContain('agent: must be an Agent');
    expect((await signed.agent.get('/console/lrs').query({ since: 'yesterday' }).expect(400)).text).toContain('since: must be an ISO 8601 timestamp');
    await signed.agent.get('/console/lrs').query({ more: 'forged' }).expect(400);
  });

  it('shows one statement as JSON, and 404 for an id it does not hold', async () => {
    const page = await signed.agent.get(`/console/lrs/statements/${statements[3]!.id}`).expect(200);
    expect(page.text).toContain(`&#34;id&#34;: &#34;${statements[3]!.id}&#34;`);
    await signed.agent.get('/console/lrs/statements/00000000-0000-4000-8000-000000000000').expect(404);
    await signed.agent.get('/console/lrs/statements/not-an-id').expect(404);
  });

  it('adds a credential whose secret is shown once and works at /xapi, then revokes it', async () => {
    const added = await signed.agent.post('/console/lrs/credentials').type('form').send({ csrf: signed.csrf, username: 'research', scope: 'read', label: 'research team' }).expect(201);
    const secret = /id="new-secret" readonly value="([^"]+)"/.exec(added.text)![1]!;
    await request(made.app).get('/xapi/statements').set(XAPI).set('Authorization', basic('research', secret)).expect(200);
    const listed = await signed.agent.get('/console/lrs/credentials').expect(200);
    expect(listed.text).toContain('<td>research</td><td>read only</td><td>research team</td>');
    expect(listed.text).not.toContain(secret);
    await signed.agent.post('/console/lrs/credentials/revoke').type('form').send({ csrf: signed.csrf, username: 'research' }).expect(303).expect('Location', '/console/lrs/credentials?revoked=research');
    clock.advance(VERIFY_CACHE_MS + 1);
    await request(made.app).get('/xapi/statements').set(XAPI).set('Authorization', basic('research', secret)).expect(401);
    expect((await signed.agent.get('/console/lrs/credentials').expect(200)).text).toMatch(/<td>research<\/td>.*<td>revoked /);
  });

  it('refuses a taken name with 409, a bad name with 400, and revoking an unknown credential with 400', async () => {
    await signed.agent.post('/console/lrs/credentials').type('form').send({ csrf: signed.csrf, username: 'twice' }).expect(201);
    expect((await signed.agent.post('/console/lrs/credentials').type('form').send({ csrf: signed.csrf, username: 'twice' }).expect(409)).text).toContain('exists already');
    await signed.agent.post('/console/lrs/credentials').type('form').send({ csrf: signed.csrf, username: 'has space' }).expect(400);
    await signed.agent.post('/console/lrs/credentials').type('form').send({ csrf: signed.csrf, username: 'x', scope: 'admin' }).expect(400);
    await signed.agent.post('/console/lrs/credentials/revoke').type('form').send({ csrf: signed.csrf, username: 'nobody' }).expect(400);
  });
});
