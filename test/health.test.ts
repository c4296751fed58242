import { pino } from 'pino';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LrsClient } from '../src/lrs/client.js';
import { LrsCredentialProbe, PROBE_TTL_MS } from '../src/lrs/credential-probe.js';
import { DeliveryStats } from '../src/lrs/delivery-stats.js';
import { Flusher } from '../src/lrs/flusher.js';
import { Outbox } from '../src/lrs/outbox.js';
import { LrsProxy } from './fakes/lrs-proxy.js';
import { TEST_NOW } from './support/clock.js';
import { DATABASE_KINDS, emptyPglite, freshDatabase, type TestDatabase } from './support/databases.js';
import { LRS_USER, startEmbeddedLrs, testApp, type RunningLrs } from './support/embedded-lrs.js';
import { freePort } from './support/net.js';
import { makeStatements } from './support/statements.js';

const silent = pino({ level: 'silent' });

describe('/health', () => {
  it('answers 503 with database.reachable false and Retry-After when the database is gone', async () => {
    const t = await freshDatabase('pglite');
    const app = testApp(t.database);
    await request(app).get('/health').expect(200);
    await t.drop();
    const res = await request(app).get('/health').expect(503);
    expect(res.body).toEqual({ status: 'unavailable', database: { reachable: false, kind: 'pglite' } });
    expect(res.headers['retry-after']).toBe('5');
  });
});

describe('/metrics', () => {
  it('answers 503 with Retry-After, not 500, when the database is gone', async () => {
    const t = await freshDatabase('pglite');
    const app = testApp(t.database);
    const up = await request(app).get('/metrics').expect(200);
    expect(up.text).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
    expect(up.text).toMatch(/^process_heap_bytes [1-9]\d*$/m);
    expect(up.text).toMatch(/^process_cpu_seconds_total \d+(\.\d+)?$/m);
    expect(up.text).toMatch(/^process_start_time_seconds 1\d{9}$/m);
    await t.drop();
    const res = await request(app).get('/metrics').expect(503);
    expect(res.headers['retry-after']).toBe('5');
  });
});

describe('/ready', () => {
  let t: TestDatabase;

  beforeEach(async () => {
    t = await freshDatabase('pglite');
  });
  afterEach(async () => {
    await t.drop();
  });

  it.each(DATABASE_KINDS)('is ready on the embedded LRS with a migrated database on %s', async (kind) => {
    const migrated = kind === 'pglite' ? t : await freshDatabase(kind);
    try {
      const res = await request(testApp(migrated.database)).get('/ready').expect(200);
      expect(res.body).toEqual({
        status: 'ready',
        checks: { database: { ok: true, kind }, migrations: { ok: true }, delivery: { ok: true, target: 'the embedded LRS of this process' } },
      });
    } finally {
      if (migrated !== t) await migrated.drop();
    }
  });

  it('names the migrations a database has not applied', async () => {
    const bare = await emptyPglite();
    try {
      const res = await request(testApp(bare.database)).get('/ready').expect(503);
      expect(res.body.checks.database).toEqual({ ok: true, kind: 'pglite' });
      expect(res.body.checks.migrations.ok).toBe(false);
      expect(res.body.checks.migrations.reason).toMatch(/^not applied: 0000_foundation, .*0012_lrs_agent_verb_partial_indexes/);
    } finally {
      await bare.drop();
    }
  });

  it('is not ready, with the database named, when the database is gone', async () => {
    const gone = await freshDatabase('pglite');
    const app = testApp(gone.database);
    await gone.drop();
    const res = await request(app).get('/ready').expect(503);
    expect(res.body.status).toBe('not-ready');
    expect(res.body.checks.database).toMatchObject({ ok: false, reason: expect.stringMatching(/database/) });
    expect(res.body.checks.migrations).toEqual({ ok: false, reason: 'not checked: the database does not answer' });
  });

  describe('with an external LRS', () => {
    let lrs: RunningLrs;
    let proxy: LrsProxy;

    beforeEach(async () => {
      lrs = await startEmbeddedLrs(t.database);
      proxy = await LrsProxy.start(lrs.origin);
    });
    afterEach(async () => {
      await proxy.close();
      await lrs.close();
    });

    const probeOf = (endpoint: string, now: () => number = () => TEST_NOW) =>
      new LrsCredentialProbe(new LrsClient({ endpoint, ...LRS_USER, timeoutMs: 10_000 }), endpoint, now);

    it('is ready when the LRS accepts the credentials', async () => {
      const res = await request(testApp(t.database, { deliveryProbe: probeOf(proxy.endpoint) })).get('/ready').expect(200);
      expect(res.body.checks.delivery).toEqual({ ok: true, target: proxy.endpoint });
    });

    it('is not ready when the LRS refuses the credentials, and says so without them', async () => {
      proxy.mode = { kind: 'status', status: 401 };
      const res = await request(testApp(t.database, { deliveryProbe: probeOf(proxy.endpoint) })).get('/ready').expect(503);
      expect(res.body.checks.delivery).toEqual({
        ok: false,
        reason: `LRS at ${proxy.endpoint} refuses the gateway's credentials (401): check LRS_USERNAME and LRS_PASSWORD`,
      });
      expect(res.body.checks.database.ok).toBe(true);
      expect(res.text).not.toContain(LRS_USER.password);
    });

    it('is not ready when nothing listens at the LRS, naming the URL and the cause', async () => {
      const endpoint = `http://127.0.0.1:${await freePort()}/xapi/`;
      const res = await request(testApp(t.database, { deliveryProbe: probeOf(endpoint) })).get('/ready').expect(503);
      expect(res.body.checks.delivery).toEqual({ ok: false, reason: `LRS unreachable at ${endpoint}statements: connection refused (ECONNREFUSED)` });
    });

    it('asks the LRS at most once per probe period, whoever polls', async () => {
      let now = TEST_NOW;
      const app = testApp(t.database, { deliveryProbe: probeOf(proxy.endpoint, () => now) });
      await request(app).get('/ready').expect(200);
      proxy.mode = { kind: 'status', status: 401 };
      now += PROBE_TTL_MS - 1;
      await request(app).get('/ready').expect(200);
      expect(proxy.requests).toBe(1);
      now += 1;
      await request(app).get('/ready').expect(503);
      expect(proxy.requests).toBe(2);
    });
  });
});

describe('delivery in /health and /metrics', () => {
  let t: TestDatabase;
  let lrs: RunningLrs;
  let proxy: LrsProxy;
  let outbox: Outbox;
  let stats: DeliveryStats;
  let now: number;

  beforeEach(async () => {
    t = await freshDatabase('pglite');
    lrs = await startEmbeddedLrs(t.database);
    proxy = await LrsProxy.start(lrs.origin);
    outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    now = TEST_NOW;
    stats = new DeliveryStats(() => now);
  });
  afterEach(async () => {
    await proxy.close();
    await lrs.close();
    await t.drop();
  });

  const flush = () => {
    const client = new LrsClient({ endpoint: proxy.endpoint, ...LRS_USER, timeoutMs: 10_000 });
    return new Flusher({ outbox, client, stats, logger: silent, batchSize: 500, leaseSeconds: 30 }).flushUntilIdle();
  };
  // Rows waiting for their backoff are made due at once: the test does not wait on the clock.
  const makeDue = () => t.database.query("UPDATE statement_outbox SET next_attempt_at = now() WHERE state = 'pending'");
  const metric = (text: string, name: string) => Number(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);

  it('says degraded, with the cause, while the LRS refuses the credentials, and ok once it stores', async () => {
    const app = testApp(t.database, { outbox, stats });
    await outbox.enqueue(makeStatements(3, 'degraded'), 'test');
    proxy.mode = { kind: 'status', status: 401 };
    await expect(flush()).rejects.toThrow(/401/);

    const refused = await request(app).get('/health').expect(200);
    expect(refused.body).toMatchObject({
      status: 'degraded',
      problem: "the LRS refuses the gateway's credentials (401): check LRS_USERNAME and LRS_PASSWORD",
      delivery: { lastSuccessAt: null, lastError: { cause: 'unauthorized', at: new Date(TEST_NOW).toISOString() } },
    });

    proxy.mode = { kind: 'forward' };
    now += 60_000;
    expect((await flush()).sent).toBe(3);
    const healed = await request(app).get('/health').expect(200);
    expect(healed.body.status).toBe('ok');
    expect(healed.body.problem).toBeUndefined();
    expect(healed.body.delivery).toEqual({ lastSuccessAt: new Date(TEST_NOW + 60_000).toISOString(), lastError: { cause: 'unauthorized', at: new Date(TEST_NOW).toISOString() } });
  });

  it('stays ok when the LRS is only unreachable for a while', async () => {
    await outbox.enqueue(makeStatements(2, 'away'), 'test');
    await proxy.down();
    await flush();
    const res = await request(testApp(t.database, { outbox, stats })).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', delivery: { lastSuccessAt: null, lastError: { cause: 'unreachable' } } });
  });

  it('counts flush errors by cause and moves the last-success gauge', async () => {
    const app = testApp(t.database, { outbox, stats });
    const before = (await request(app).get('/metrics').expect(200)).text;
    expect(metric(before, 'xgw_flush_errors_total{cause="unreachable"}')).toBe(0);
    expect(metric(before, 'xgw_flush_errors_total{cause="unauthorized"}')).toBe(0);
    expect(metric(before, 'xgw_last_successful_flush_timestamp_seconds')).toBe(0);

    await outbox.enqueue(makeStatements(4, 'metrics'), 'test');
    await proxy.down();
    await flush();
    const failed = (await request(app).get('/metrics').expect(200)).text;
    expect(metric(failed, 'xgw_flush_errors_total{cause="unreachable"}')).toBe(1);
    expect(metric(failed, 'xgw_last_successful_flush_timestamp_seconds')).toBe(0);
    expect(metric(failed, 'xgw_outbox_rows{state="pending"}')).toBe(4);

    await proxy.up();
    await makeDue();
    now += 1_000;
    await flush();
    const delivered = (await request(app).get('/metrics').expect(200)).text;
    expect(metric(delivered, 'xgw_flush_errors_total{cause="unreachable"}')).toBe(1);
    expect(metric(delivered, 'xgw_last_successful_flush_timestamp_seconds')).toBe((TEST_NOW + 1_000) / 1000);
    expect(metric(delivered, 'xgw_outbox_rows{state="sent"}')).toBe(4);
  });
});
