import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { testApp } from '../support/embedded-lrs.js';
import { CONSOLE_TOKEN, consoleApp, csrfOf, movableClock, signedIn } from './console-app.js';

describe.each(DATABASE_KINDS)('signing in to the console on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(() => t.drop());

  it('sends a request without a session to the sign-in form, whose page forbids scripts', async () => {
    const { app } = consoleApp(t.database);
    for (const path of ['/console', '/console/outbox']) await request(app).get(path).expect(303).expect('Location', '/console/sign-in');
    const form = await request(app).get('/console/sign-in').expect(200);
    expect(form.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(form.headers['content-security-policy']).not.toMatch(/script-src/);
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.text).toContain('<label for="token">Admin token</label>');
    expect(form.text).not.toContain('<script');
  });

  it('sets an HttpOnly, SameSite=Strict session cookie on /console for the right token, Secure over https', async () => {
    const { app } = consoleApp(t.database, movableClock(), { trustProxy: 1 });
    const form = await request(app).get('/console/sign-in').set('X-Forwarded-Proto', 'https').expect(200);
    const nonce = [form.headers['set-cookie']].flat().find((c) => String(c).startsWith('console_sign_in='));
    expect(nonce).toMatch(/; Secure/);
    // The test speaks http to the app: it hands the Secure cookie back itself, as a browser would over https.
    const signIn = await request(app).post('/console/sign-in').set('X-Forwarded-Proto', 'https').set('Cookie', String(nonce).split(';')[0]!)
      .type('form').send({ csrf: csrfOf(form.text), token: CONSOLE_TOKEN }).expect(303);
    const session = [signIn.headers['set-cookie']].flat().find((c) => String(c).startsWith('console_session='));
    expect(session).toMatch(/; Path=\/console/);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(session).toMatch(/; Secure/);
    expect(session).not.toContain(CONSOLE_TOKEN);
  });

  it('refuses a wrong token with the form again, then throttles the address', async () => {
    const { app } = consoleApp(t.database);
    const agent = request.agent(app);
    for (let i = 0; i < 3; i++) {
      const form = await agent.get('/console/sign-in');
      const refused = await agent.post('/console/sign-in').type('form').send({ csrf: csrfOf(form.text), token: `wrong-${i}` }).expect(401);
      expect(refused.text).toContain('That is not the admin token.');
      expect(refused.text).not.toContain(`wrong-${i}`);
      expect(refused.headers['set-cookie']?.toString() ?? '').not.toContain('console_session=');
    }
    const form = await agent.get('/console/sign-in');
    const throttled = await agent.post('/console/sign-in').type('form').send({ csrf: csrfOf(form.text), token: CONSOLE_TOKEN }).expect(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a sign-in without the form\'s own CSRF token', async () => {
    const { app } = consoleApp(t.database);
    await request(app).post('/console/sign-in').type('form').send({ token: CONSOLE_TOKEN }).expect(403);
    const agent = request.agent(app);
    await agent.get('/console/sign-in');
    await agent.post('/console/sign-in').type('form').send({ csrf: 'made-up', token: CONSOLE_TOKEN }).expect(403);
  });

  it('refuses a POST of a session without its CSRF token with 403, and takes it with the token', async () => {
    const { app } = consoleApp(t.database);
    const { agent, csrf } = await signedIn(app);
    await agent.post('/console/outbox/requeue').type('form').send({ state: 'dead', reason: 'x' }).expect(403);
    await agent.post('/console/outbox/requeue').type('form').send({ csrf: `${csrf}x`, state: 'dead', reason: 'x' }).expect(403);
    await agent.post('/console/outbox/requeue').type('form').send({ csrf, state: 'dead', reason: 'x' }).expect(303).expect('Location', '/console/outbox?requeued=0');
  });

  it('ends a session when its time is up on the console\'s clock', async () => {
    const clock = movableClock();
    const { app } = consoleApp(t.database, clock);
    const { agent } = await signedIn(app);
    clock.advance(60 * 60 * 1000 - 1);
    await agent.get('/console/outbox').expect(200);
    clock.advance(1);
    await agent.get('/console/outbox').expect(303).expect('Location', '/console/sign-in');
  });

  it('signs out: the cookie goes and the console asks to sign in again', async () => {
    const { app } = consoleApp(t.database);
    const { agent, csrf } = await signedIn(app);
    await agent.post('/console/sign-out').type('form').send({ csrf }).expect(303).expect('Location', '/console/sign-in');
    await agent.get('/console/outbox').expect(303).expect('Location', '/console/sign-in');
  });

  it('takes no session signed under another admin token', async () => {
    const { app } = consoleApp(t.database);
    const { agent } = await signedIn(app);
    const other = testApp(t.database, { adminToken: 'another-token' });
    const cookie = (await agent.get('/console/outbox')).request.cookies;
    await request(other).get('/console/outbox').set('Cookie', cookie).expect(303);
  });

  it('is off without ADMIN_TOKEN, and says which setting turns it on', async () => {
    const app = testApp(t.database);
    const page = await request(app).get('/console/sign-in').expect(401);
    expect(page.text).toContain('ADMIN_TOKEN');
    await request(app).get('/console/outbox').expect(303);
  });
});
