import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthThrottle } from '../../src/http/auth-throttle.js';
import { EmbeddedStatementQuery } from '../../src/lrs/server/statement-reader.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';

const XAPI = { 'X-Experience-API-Version': '1.0.3' };
const ADMIN_TOKEN = 'admin-token-of-the-throttle-test';
const ECO_KEY = 'eco-key-of-the-throttle-test';

describe('throttling of repeated wrong credentials', () => {
  let t: TestDatabase;
  let lrs: RunningLrs;
  let now: number;

  beforeEach(async () => {
    t = await freshDatabase('pglite');
    now = 1_000_000;
    lrs = await startEmbeddedLrs(t.database, {
      adminToken: ADMIN_TOKEN,
      ecoApi: { keys: new Map([[ECO_KEY, 'eco']]), statements: new EmbeddedStatementQuery(t.database), repositoryId: 'repo', pseudonymSecret: 'pseudonym-secret-of-the-test' },
      authThrottle: new AuthThrottle({ maxFailures: 10, windowMs: 60_000, now: () => now }),
    });
  });
  afterEach(async () => {
    await lrs.close();
    await t.drop();
  });

  const routes = {
    'LRS Basic': { ok: () => request(lrs.origin).get('/xapi/statements').query({ limit: 1 }).auth(LRS_USER.username, LRS_USER.password).set(XAPI), wrong: () => request(lrs.origin).get('/xapi/statements').auth(LRS_USER.username, 'not-the-password').set(XAPI) },
    'admin bearer': { ok: () => request(lrs.origin).get('/admin/courses').auth(ADMIN_TOKEN, { type: 'bearer' }), wrong: () => request(lrs.origin).get('/admin/courses').auth('a-wrong-token', { type: 'bearer' }) },
    'ECO API key': { ok: () => request(lrs.origin).get('/ecoapi/heartbeat').set('X-API-Key', ECO_KEY), wrong: () => request(lrs.origin).get('/ecoapi/heartbeat').set('X-API-Key', 'a-wrong-key') },
  };

  it.each(Object.entries(routes))('answers 429 with Retry-After after 10 refusals on the %s, not counting successes, until the window ends', async (_name, route) => {
    for (let i = 0; i < 9; i++) await route.wrong().expect(401);
    // Successes do not count, and do not stop the count either.
    for (let i = 0; i < 5; i++) await route.ok().expect(200);
    now += 30_000;
    await route.wrong().expect(401);

    const refused = await route.ok().expect(429);
    expect(refused.headers['retry-after']).toBe('30');
    await route.wrong().expect(429);
    // Requests without credentials are not guesses: the public parts still answer.
    await request(lrs.origin).get('/xapi/about').expect(200);

    now += 30_000;
    await route.ok().expect(200);
    await route.wrong().expect(401);
  });

  it('shares the count across the APIs of one address', async () => {
    for (let i = 0; i < 5; i++) await routes['LRS Basic'].wrong().expect(401);
    for (let i = 0; i < 5; i++) await routes['admin bearer'].wrong().expect(401);
    await routes['ECO API key'].ok().expect(429);
  });
});

describe('the throttle table', () => {
  it('remembers at most maxClients addresses, forgetting the oldest', () => {
    const throttle = new AuthThrottle({ maxFailures: 1, maxClients: 3, now: () => 0 });
    for (const client of ['a', 'b', 'c', 'd']) throttle.failed(client);
    expect(throttle.size).toBe(3);
    expect(throttle.waitMs('a')).toBe(0);
    expect(throttle.waitMs('d')).toBe(60_000);
  });
});

describe('throttling behind a reverse proxy', () => {
  let t: TestDatabase;
  afterEach(async () => t.drop());

  /** Ten wrong passwords from client A through the proxy, then client B's right one. */
  async function clientBAfterAGuessed(trustProxy: false | string[]): Promise<number> {
    t = await freshDatabase('pglite');
    const lrs = await startEmbeddedLrs(t.database, { trustProxy, authThrottle: new AuthThrottle({ maxFailures: 10, windowMs: 60_000, now: () => 0 }) });
    try {
      for (let i = 0; i < 10; i++) {
        await request(lrs.origin).get('/xapi/statements').auth(LRS_USER.username, 'not-the-password').set(XAPI).set('X-Forwarded-For', '203.0.113.7').expect(401);
      }
      const b = await request(lrs.origin).get('/xapi/statements').query({ limit: 1 }).auth(LRS_USER.username, LRS_USER.password).set(XAPI).set('X-Forwarded-For', '198.51.100.9');
      return b.status;
    } finally {
      await lrs.close();
    }
  }

  it('counts each client named by a trusted proxy on its own', async () => {
    expect(await clientBAfterAGuessed(['loopback'])).toBe(200);
  });

  it('ignores X-Forwarded-For from an untrusted peer, so a forged header escapes nothing', async () => {
    expect(await clientBAfterAGuessed(false)).toBe(429);
  });
});
