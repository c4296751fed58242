import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { LrsClient } from '../../src/lrs/client.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Flusher } from '../../src/lrs/flusher.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { allStatements } from '../../src/lrs/statement-query.js';
import { LrsProxy } from '../fakes/lrs-proxy.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';
import { makeStatements } from '../support/statements.js';

const silent = pino({ level: 'silent' });

// Faults of the network and of HTTP, through a proxy; the cases every LRS target shares
// (stored, 400 split, 409, dead after attempts, idempotence) are in delivery-contract.test.ts.
describe.each(DATABASE_KINDS)('delivery to the embedded LRS on %s', (kind) => {
  let t: TestDatabase;
  let lrs: RunningLrs;
  let proxy: LrsProxy;
  let outbox: Outbox;
  let stats: DeliveryStats;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    lrs = await startEmbeddedLrs(t.database);
    proxy = await LrsProxy.start(lrs.origin);
    outbox = new Outbox(t.database, { baseMs: 20, maxMs: 200, maxAttempts: 10 });
    stats = new DeliveryStats();
  });
  afterEach(async () => {
    await proxy.close();
    await lrs.close();
    await t.drop();
  });

  function flusher(opts: { batchSize?: number; password?: string; concurrency?: number } = {}) {
    const client = new LrsClient({ endpoint: proxy.endpoint, username: LRS_USER.username, password: opts.password ?? LRS_USER.password, timeoutMs: 10_000 });
    return new Flusher({ outbox, client, stats, logger: silent, batchSize: opts.batchSize ?? 500, leaseSeconds: 30, ...(opts.concurrency && { concurrency: opts.concurrency }) });
  }

  /** Every statement the LRS holds, read back over HTTP through the client's query side. */
  async function lrsIds(): Promise<string[]> {
    const client = new LrsClient({ endpoint: lrs.endpoint, ...LRS_USER, timeoutMs: 10_000 });
    const ids: string[] = [];
    for await (const s of allStatements(client, { limit: 200 })) ids.push(s.id!);
    return ids;
  }

  // Rows waiting for their backoff are made due at once: the test does not wait on the clock.
  const waitForDue = () => t.database.query("UPDATE statement_outbox SET next_attempt_at = now() WHERE state = 'pending'");

  it('delivers every statement exactly once after the LRS refused connections and came back', async () => {
    const statements = makeStatements(1200, 'refuse');
    await outbox.enqueue(statements, 'test');
    await proxy.down();
    const failed = await flusher().flushUntilIdle();
    expect(failed.sent).toBe(0);
    expect(failed.retried).toBeGreaterThanOrEqual(500);
    expect(failed.stoppedBy).toMatch(/unreachable/);
    expect((await outbox.status()).counts.pending).toBe(1200);

    await proxy.up();
    await waitForDue();
    const summary = await flusher().flushUntilIdle();
    expect(summary.sent).toBe(1200);
    const ids = await lrsIds();
    expect(ids).toHaveLength(1200);
    expect(new Set(ids)).toEqual(new Set(statements.map((s) => s.id)));
    expect((await outbox.status()).counts).toMatchObject({ pending: 0, sent: 1200 });
  });

  it('waits as long as Retry-After says after a 503, then delivers', async () => {
    await outbox.enqueue(makeStatements(50, 'busy'), 'test');
    proxy.mode = { kind: 'status', status: 503, retryAfter: '1', times: 1 };
    // One sender: two may split the 50 rows between them (SKIP LOCKED), and the other's
    // batch, the second request, would be stored.
    const first = await flusher({ concurrency: 1 }).flushUntilIdle();
    expect(first.retried).toBe(50);
    const requestsAfterFirst = proxy.requests;

    // Within the Retry-After second nothing is due, so nothing is sent.
    const early = await flusher().flushUntilIdle();
    expect(early.batches).toBe(0);
    expect(proxy.requests).toBe(requestsAfterFirst);

    // Retry-After 1 put the rows a second ahead; then they are made due without waiting.
    const { rows: [wait] } = await t.database.query<{ seconds: number }>(
      "SELECT min(extract(epoch FROM next_attempt_at - now()))::float8 AS seconds FROM statement_outbox WHERE state = 'pending'",
    );
    expect(wait!.seconds).toBeGreaterThan(0.5);
    await waitForDue();
    const later = await flusher().flushUntilIdle();
    expect(later.sent).toBe(50);
    expect(await lrsIds()).toHaveLength(50);
  });

  it('counts a 204 with an empty body as delivered', async () => {
    await outbox.enqueue(makeStatements(10, 'no-content'), 'test');
    proxy.mode = { kind: 'reply-204' };
    expect((await flusher().flushUntilIdle()).sent).toBe(10);
  });

  it('sends smaller batches after a 413 and delivers everything', async () => {
    const statements = makeStatements(400, 'large');
    await outbox.enqueue(statements, 'test');
    const oneStatementBytes = JSON.stringify(statements[0]).length;
    proxy.mode = { kind: 'max-body', bytes: oneStatementBytes * 120 };
    const f = flusher();
    const summary = await f.flushUntilIdle();
    expect(summary.sent).toBe(400);
    expect(summary.dead).toBe(0);
    expect(await lrsIds()).toHaveLength(400);
    // After learning the limit, later batches fit at once: fewer requests than batches split from 500.
    expect(summary.requests).toBeLessThan(20);
  });

  it('stops with a configuration error on 401 and leaves every row pending with no attempt counted', async () => {
    await outbox.enqueue(makeStatements(30, 'unauthorized'), 'test');
    await expect(flusher({ password: 'wrong' }).flushUntilIdle()).rejects.toThrow(/401/);
    expect((await outbox.status()).counts.pending).toBe(30);
    const [row] = await outbox.claim('probe', 1, 1);
    expect(row!.attempts).toBe(1);
  });

  it('backs off and retries a 429, then delivers, and a row out of attempts dies', async () => {
    await outbox.enqueue(makeStatements(5, 'throttled'), 'test');
    proxy.mode = { kind: 'status', status: 429, times: 1 };
    expect((await flusher().flushUntilIdle()).retried).toBe(5);
    await waitForDue();
    expect((await flusher().flushUntilIdle()).sent).toBe(5);

    const limited = new Outbox(t.database, { baseMs: 1, maxMs: 1, maxAttempts: 2 });
    await limited.enqueue(makeStatements(3, 'doomed'), 'test');
    proxy.mode = { kind: 'status', status: 500 };
    const client = new LrsClient({ endpoint: proxy.endpoint, ...LRS_USER, timeoutMs: 10_000 });
    const f = () => new Flusher({ outbox: limited, client, stats, logger: silent, batchSize: 500, leaseSeconds: 30 }).flushUntilIdle();
    await f();
    await waitForDue();
    await f();
    expect((await limited.status()).counts.dead).toBe(3);
    expect((await limited.failed())[0]!.reason).toMatch(/gave up after 2 attempts: LRS answered 500/);
  });

  it('claims a crashed sender\'s rows again once its lease has expired', async () => {
    await outbox.enqueue(makeStatements(10, 'lease'), 'test');
    const crashed = await outbox.claim('crashed-sender', 10, 1);
    expect(crashed).toHaveLength(10);
    expect(await outbox.claim('other', 10, 30)).toHaveLength(0);
    // The lease runs out (made so at once rather than waited for).
    await t.database.query('UPDATE statement_outbox SET lease_expires_at = now()');
    expect(await outbox.claim('other', 10, 30)).toHaveLength(10);
  });
});
