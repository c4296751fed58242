import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { openDatabase } from '../src/db/connection.js';
import { Outbox } from '../src/lrs/outbox.js';
import { startService, type Service } from '../src/service.js';
import { LrsProxy } from './fakes/lrs-proxy.js';
import { fakeTimersAt } from './support/clock.js';
import { freePort } from './support/net.js';
import { freshDatabase, type TestDatabase } from './support/databases.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from './support/embedded-lrs.js';
import { makeStatements } from './support/statements.js';

const silent = pino({ level: 'silent' });
const EVERY_10_SECONDS = '*/10 * * * * *';

const fakeClock = () => fakeTimersAt(new Date('2026-01-05T10:00:00.000Z'));
afterEach(() => {
  vi.useRealTimers();
});
const XAPI = { 'X-Experience-API-Version': '1.0.3' };

// The service in this process runs on a test's PGlite, as `serve` runs on the one it opens:
// a first start in a new DATA_DIR (1.2-1.6 s here) is compiled-cli.test.ts's `npm start`
// test's, and the graceful shutdown's, which opens the folder again after the stop.
describe('the service on embedded defaults', () => {
  let dir: string;
  let t: TestDatabase;
  let service: Service | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-service-'));
    t = await freshDatabase('pglite');
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves /health and /metrics with the outbox figures', async () => {
    service = await startService(loadConfig({ PORT: '0', DATA_DIR: dir, FLUSH_CRON: '0 0 1 1 *' }), silent, Promise.resolve(t.database));
    await service.outbox.enqueue(makeStatements(3, 'health'), 'test');
    const health = await request(service.url).get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', database: { reachable: true, kind: 'pglite' }, outbox: { pending: 3, sent: 0 } });
    expect(health.body.outbox.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(0);
    await request(service.url).get('/ready').expect(200);
    const metrics = await request(service.url).get('/metrics').expect(200);
    expect(metrics.text).toContain('xgw_outbox_rows{state="pending"} 3');
    expect(metrics.text).toContain('xgw_lrs_request_duration_seconds_count 0');
    expect(metrics.text).toContain('xgw_rejected_records 0');
  });

  it('answers unknown paths and oversized bodies with problem+json and no stack trace', async () => {
    service = await startService(loadConfig({ PORT: '0', DATA_DIR: dir, LRS_USERS: 'a:b-password-of-16', BODY_LIMIT: '1kb', FLUSH_CRON: '0 0 1 1 *' }), silent, Promise.resolve(t.database));
    const missing = await request(service.url).get('/nowhere').expect(404);
    expect(missing.type).toBe('application/problem+json');
    expect(missing.body).toMatchObject({ status: 404, title: 'Not Found' });
    const big = await request(service.url)
      .post('/xapi/statements')
      .auth('a', 'b-password-of-16')
      .set(XAPI)
      .type('json')
      .send(JSON.stringify(makeStatements(10, 'big')))
      .expect(413);
    expect(big.type).toBe('application/problem+json');
    expect(JSON.stringify(big.body)).not.toMatch(/at .*\.ts|node_modules/);
  });

  it('flushes the outbox into its own embedded LRS on FLUSH_CRON', async () => {
    fakeClock();
    service = await startService(loadConfig({ PORT: '0', DATA_DIR: dir, LRS_USERS: 'reader:pw-password-of-16', FLUSH_CRON: EVERY_10_SECONDS }), silent, Promise.resolve(t.database));
    await service.outbox.enqueue(makeStatements(700, 'cron'), 'test');
    await vi.advanceTimersByTimeAsync(9_000);
    expect((await service.outbox.status()).counts.sent).toBe(0);
    // 10:00:10, the first slot: the flush runs, on the database's own time.
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitFor(async () => expect((await service!.outbox.status()).counts.sent).toBe(700), { timeout: 30_000 });
    const stored = await request(service.url).get('/xapi/statements').query({ limit: 0 }).auth('reader', 'pw-password-of-16').set(XAPI).expect(200);
    expect(stored.body.statements).toHaveLength(500);
    expect(stored.body.more).toMatch(/^\/xapi\/statements\?/);
  });
});

describe('the start-up log', () => {
  let dir: string;
  let t: TestDatabase;
  let service: Service | undefined;
  let messages: string[];
  const capturing = () =>
    pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => done(void messages.push(JSON.parse(chunk.toString()).msg as string)) }));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-parts-'));
    t = await freshDatabase('pglite');
    messages = [];
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('says which part is on and why the others are off, then the address it listens on', async () => {
    service = await startService(loadConfig({ PORT: '0', DATA_DIR: dir, FLUSH_CRON: '0 0 1 1 *', ADMIN_TOKEN: 'admin-token-0123456789abcdef' }), capturing(), Promise.resolve(t.database));
    const port = new URL(service.url).port;
    const started = messages.indexOf(`xapi-gateway started on http://0.0.0.0:${port} (every interface; http://127.0.0.1:${port} from this machine)`);
    expect(started).toBeGreaterThan(0);
    const parts = messages.slice(started - 12, started);
    expect(parts).toEqual([
      `database: on (PGlite in ${dir})`,
      'LRS: on (embedded at /xapi)',
      'admin API: on',
      'reports: on',
      'Coursera widget API: off (COURSERA_WIDGET_TOKENS unset)',
      'edX live ingest: off (EDX_INGEST_TOKENS unset)',
      'ECO API: off (ECO_API_KEYS unset)',
      'OAI-PMH: on (at /oai)',
      expect.stringMatching(/^Coursera pull: off \(COURSERA_TOKEN(, [A-Z_]+)* unset\)$/),
      expect.stringMatching(/^FutureLearn pull: off \(FUTURELEARN_EMAIL, [A-Z_, ]+ unset\)$/),
      expect.stringMatching(/^Khan pull: off \(KHAN_CONSUMER_KEY, [A-Z_, ]+ unset\)$/),
      'edX S3 sync: off (EDX_S3_PREFIX, EDX_S3_ACCESS_KEY_ID, EDX_S3_SECRET_ACCESS_KEY, EDX_GPG_KEY_FILE, EDX_GPG_PASSPHRASE unset)',
    ]);
    expect(messages.join('\n')).not.toContain('admin-token-0123456789abcdef');
  });

  it('names the one address it listens on, and an external LRS without its credentials', async () => {
    const lrsPort = await freePort();
    const config = loadConfig({
      PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, FLUSH_CRON: '0 0 1 1 *',
      LRS_ENDPOINT: `http://127.0.0.1:${lrsPort}/xapi/`, LRS_USERNAME: 'gateway', LRS_PASSWORD: 'lrs-password-never-logged',
    });
    service = await startService(config, capturing(), Promise.resolve(t.database));
    expect(messages).toContain(`LRS: on (external at http://127.0.0.1:${lrsPort}/xapi/)`);
    expect(messages).toContain(`xapi-gateway started on ${service.url}`);
    const ready = await request(service.url).get('/ready').expect(503);
    expect(ready.body.checks.delivery.reason).toBe(`LRS unreachable at http://127.0.0.1:${lrsPort}/xapi/statements: connection refused (ECONNREFUSED)`);
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(messages.join('\n')).not.toContain('lrs-password-never-logged');
  });
});

describe('graceful shutdown', () => {
  let t: TestDatabase;
  let lrs: RunningLrs;
  let proxy: LrsProxy;
  let dir: string;

  beforeEach(async () => {
    t = await freshDatabase('pglite');
    lrs = await startEmbeddedLrs(t.database);
    proxy = await LrsProxy.start(lrs.origin);
    dir = await mkdtemp(join(tmpdir(), 'xgw-shutdown-'));
  });
  afterEach(async () => {
    await proxy.close();
    await lrs.close();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('finishes the batch in flight before it stops', async () => {
    const config = loadConfig({
      PORT: '0', DATA_DIR: dir, FLUSH_CRON: EVERY_10_SECONDS, LRS_BATCH_SIZE: '50',
      LRS_ENDPOINT: proxy.endpoint, LRS_USERNAME: LRS_USER.username, LRS_PASSWORD: LRS_USER.password,
    });
    fakeClock();
    const service = await startService(config, silent);
    await service.outbox.enqueue(makeStatements(300, 'shutdown'), 'test');
    proxy.mode = { kind: 'hold-reply', after: 0 };
    await vi.advanceTimersByTimeAsync(10_000);
    await proxy.waitForHeld();

    let stopped = false;
    const stopping = service.stop().then(() => (stopped = true));
    // Event-loop turns, not wall-clock time: stop() gets as far as the held batch and waits there.
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    proxy.mode = { kind: 'forward' };
    proxy.release();
    await stopping;

    // The batches in flight were settled as sent; no new batch was started; nothing is left leased.
    const database = await openDatabase({ dataDir: dir });
    const outbox = new Outbox(database, { baseMs: 10, maxMs: 10, maxAttempts: 5 });
    const status = await outbox.status();
    const { rows } = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM statement_outbox WHERE lease_owner IS NOT NULL`);
    await database.close();
    expect(status.counts.sent).toBeGreaterThanOrEqual(50);
    expect(status.counts.sent).toBeLessThanOrEqual(100);
    expect(status.counts.sent + status.counts.pending).toBe(300);
    expect(rows[0]!.n).toBe(0);
  });
});
