/**
 * The LRS unwell: 503 with `Retry-After`, then connections reset after it stored a
 * batch. Nothing is delivered before `Retry-After` allows, and after recovery the LRS
 * holds every statement once, though some went over the wire twice.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { LrsClient } from '../../src/lrs/client.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Flusher } from '../../src/lrs/flusher.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { LrsProxy } from '../fakes/lrs-proxy.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LRS_USER, startEmbeddedLrs, storedIds, type RunningLrs } from '../support/embedded-lrs.js';
import { makeStatements } from '../support/statements.js';
import { faultScenario, storedCounts } from './fault-table.js';

const BATCH = 100;

describe.each(DATABASE_KINDS)('LRS faults on %s', (kind) => {
  let t: TestDatabase;
  let lrs: RunningLrs;
  let proxy: LrsProxy;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    lrs = await startEmbeddedLrs(t.database);
    proxy = await LrsProxy.start(lrs.origin);
  });
  afterEach(async () => {
    await proxy.close();
    await lrs.close();
    await t.drop();
  });

  it('holds back for Retry-After after a 503, and delivers every statement once through connection resets', async ({ task }) => {
    const f = faultScenario(task, 'LRS 503 + Retry-After, then resets', kind);
    const outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 20 });
    const statements = makeStatements(500, 'lrs-faults');
    await outbox.enqueue(statements, 'test');
    const flusher = new Flusher({
      outbox, stats: new DeliveryStats(), logger: pino({ level: 'silent' }), batchSize: BATCH, leaseSeconds: 30, concurrency: 1,
      client: new LrsClient({ endpoint: proxy.endpoint, ...LRS_USER, timeoutMs: 10_000 }),
    });
    const count = async (where: string, params: unknown[] = []) => (await t.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM statement_outbox WHERE ${where}`, params)).rows[0]!.n;

    proxy.mode = { kind: 'status', status: 503, retryAfter: '2', times: 1 };
    const before = new Date();
    const first = await flusher.flushUntilIdle();
    f.count('503: statements sent', 0, first.sent);
    f.count('503: statements to retry', BATCH, first.retried);
    // Retry-After is in seconds from the answer, so from after `before`.
    f.count('503: rows held back 2 s by Retry-After', BATCH, await count(`state = 'pending' AND next_attempt_at >= $1`, [new Date(before.getTime() + 2000)]));
    f.count('503: statements in the LRS', 0, (await storedIds(lrs.endpoint)).length);

    // Two batches reach the LRS, but their replies are cut by a reset.
    proxy.mode = { kind: 'reset', times: 2 };
    for (let round = 0; (await count(`state = 'pending'`)) > 0; round++) {
      if (round === 50) throw new Error('the outbox did not drain in 50 flushes');
      // The rows waiting for their backoff are made due at once: the test does not wait on the clock.
      await t.database.query(`UPDATE statement_outbox SET next_attempt_at = now() WHERE state = 'pending'`);
      await flusher.flushUntilIdle();
    }

    const { outbox: states } = await storedCounts(t.database);
    f.count('outbox sent', statements.length, states.sent);
    f.count('outbox dead', 0, states.dead);
    const ids = await storedIds(lrs.endpoint);
    f.count('statements in the LRS', statements.length, ids.length);
    f.count('distinct statements in the LRS', statements.length, new Set(ids).size);
    // The two reset batches went out twice; the LRS kept each statement once.
    f.count('statements POSTed to the LRS', statements.length + 2 * BATCH, proxy.forwardedIds.length);
    f.check();
  });
});
