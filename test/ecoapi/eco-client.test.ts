import { BlockList } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertIdentityLinks } from '../../src/catalog/identity-links.js';
import { AuthThrottle } from '../../src/http/auth-throttle.js';
import type { AppDeps } from '../../src/app.js';
import type { StatementQuery } from '../../src/lrs/statement-query.js';
import { fetchProgress, get } from '../fakes/eco-progress-client.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { LMS, SECRET } from '../support/edx-events.js';
import { startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';

const KEY = 'eco-portal-key-0123456789abcdef';
const noStatements: StatementQuery = { get: async () => null, page: async () => ({ statements: [] }) };
const failing: StatementQuery = { get: async () => null, page: async () => { throw new Error('LRS exploded'); } };

describe("ECO's progress client, with the key in the base URL", () => {
  let t: TestDatabase;
  const running: RunningLrs[] = [];
  beforeEach(async () => {
    t = await freshDatabase('pglite');
  });
  afterEach(async () => {
    for (const app of running.splice(0)) await app.close();
    await t.drop();
  });

  const start = async (eco: Partial<NonNullable<AppDeps['ecoApi']>> = {}, extra: Partial<AppDeps> = {}) => {
    const app = await startEmbeddedLrs(t.database, {
      ecoApi: { keys: new Map([[KEY, 'eco']]), statements: noStatements, repositoryId: 'eco.example.org', edxLmsUrl: LMS, pseudonymSecret: SECRET, ...eco },
      ...extra,
    });
    running.push(app);
    return app;
  };

  it('gets progress with no header at all from the base URL /ecoapi/<key>, and a 401 JSON body with a wrong key', async () => {
    const app = await start();
    expect(await fetchProgress(`${app.origin}/ecoapi/${KEY}`, 'eco-unknown')).toEqual({ status: 200, body: [] });
    expect((await get(`${app.origin}/ecoapi/${KEY}/heartbeat`)).body).toEqual({ alive_at: expect.any(String) });
    const wrong = await fetchProgress(`${app.origin}/ecoapi/not-the-key-0123456789abcdef`, 'eco-7');
    expect(wrong).toMatchObject({ status: 401, body: { detail: expect.stringMatching(/ECO_API_KEYS/) } });
    expect((await fetchProgress(`${app.origin}/ecoapi`, 'eco-7')).status).toBe(401);
    // The header forms still work.
    const res = await fetch(`${app.origin}/ecoapi/users/eco-7/courses`, { headers: { 'x-api-key': KEY } });
    expect(res.status).toBe(200);
  });

  it('never writes the key into a log line or an error text', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => { lines.push(chunk.toString()); done(); } });
    const app = await start({ statements: failing }, { logger: pino({ level: 'info' }, sink) });
    await upsertIdentityLinks(t.database, [{ platform: 'edx', platformUserId: '7', ecoUserId: 'eco-7' }]);
    const failed = await fetchProgress(`${app.origin}/ecoapi/${KEY}`, 'eco-7');
    expect(failed.status).toBe(500);
    expect(lines.join('')).toMatch(/request failed/);
    expect(lines.join('')).toMatch(/"path":"\/ecoapi\/users\/eco-7\/courses"/);
    const unknown = await get(`${app.origin}/ecoapi/${KEY}/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(JSON.stringify([lines, failed.body, unknown.body])).not.toContain(KEY);
  });

  it('refuses (403) a client address outside ECO_API_ALLOWED_IPS, whatever its key', async () => {
    const elsewhere = new BlockList();
    elsewhere.addSubnet('192.0.2.0', 24);
    const refused = await start({ allowedClients: elsewhere });
    expect(await fetchProgress(`${refused.origin}/ecoapi/${KEY}`, 'eco-7')).toMatchObject({ status: 403, body: { detail: expect.stringMatching(/ECO_API_ALLOWED_IPS/) } });
    const loopback = new BlockList();
    loopback.addAddress('127.0.0.1');
    const allowed = await start({ allowedClients: loopback });
    expect((await fetchProgress(`${allowed.origin}/ecoapi/${KEY}`, 'eco-7')).status).toBe(200);
  });

  it('throttles an address that guesses keys in the path', async () => {
    const app = await start({}, { authThrottle: new AuthThrottle({ maxFailures: 2 }) });
    const guess = () => fetchProgress(`${app.origin}/ecoapi/guessed-key-0123456789abcdef`, 'eco-7');
    expect([(await guess()).status, (await guess()).status, (await guess()).status]).toEqual([401, 401, 429]);
    // Asking without any key is not a guess: an unthrottled client still only learns 401.
    const other = await start({}, { authThrottle: new AuthThrottle({ maxFailures: 1 }) });
    for (let i = 0; i < 3; i++) expect((await get(`${other.origin}/ecoapi/heartbeat`)).status).toBe(401);
  });
});
