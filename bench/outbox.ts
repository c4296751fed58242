/**
 * Outbox benchmarks: enqueue of N statements (calls of 5,000) on PostgreSQL and PGlite,
 * and a flush of N statements to the embedded LRS in a separate `serve` process over
 * HTTP at batch 500; with `--million`, a flush of 1,000,000 sampling memory.
 */
import { PGlite } from '@electric-sql/pglite';
import { pino } from 'pino';
import { openDatabase, type Database } from '../src/db/connection.js';
import { runMigrations } from '../src/db/migrate.js';
import { LrsClient } from '../src/lrs/client.js';
import { DeliveryStats } from '../src/lrs/delivery-stats.js';
import { Flusher } from '../src/lrs/flusher.js';
import { Outbox } from '../src/lrs/outbox.js';
import { createPostgresDatabase } from '../test/support/databases.js';
import { makeStatement } from '../test/support/statements.js';
import { BENCH_DATABASE_URL, BENCH_USER, startLrsProcess } from './lrs-process.js';

const CHUNK = 5000;
const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 50 };

function* chunks(total: number, prefix: string) {
  for (let start = 0; start < total; start += CHUNK) {
    yield Array.from({ length: Math.min(CHUNK, total - start) }, (_, i) => makeStatement(`${prefix}-${start + i}`, start + i));
  }
}

/** Enqueues `total` statements; returns statements per second (generation excluded). */
async function benchEnqueue(database: Database, total: number, prefix: string): Promise<number> {
  const outbox = new Outbox(database, policy);
  let busy = 0;
  for (const batch of chunks(total, prefix)) {
    const started = performance.now();
    await outbox.enqueue(batch, 'bench');
    busy += performance.now() - started;
  }
  return total / (busy / 1000);
}

async function benchFlush(total: number): Promise<{ perSecond: number; rssMb: { start: number; max: number; end: number } }> {
  const outboxDb = await createPostgresDatabase(BENCH_DATABASE_URL);
  const database = await openDatabase({ url: outboxDb.url });
  const lrs = await startLrsProcess();
  try {
    await benchEnqueue(database, total, 'flush');
    const outbox = new Outbox(database, policy);
    const client = new LrsClient({ endpoint: lrs.endpoint, ...BENCH_USER, timeoutMs: 60_000 });
    const flusher = new Flusher({ outbox, client, stats: new DeliveryStats(), logger: pino({ level: 'warn' }), batchSize: 500, leaseSeconds: 120 });
    const rss = () => Math.round(process.memoryUsage().rss / 1048576);
    const samples = { start: rss(), max: rss(), end: 0 };
    const sampler = setInterval(() => (samples.max = Math.max(samples.max, rss())), 500);
    const started = performance.now();
    const summary = await flusher.flushUntilIdle();
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    samples.end = rss();
    if (summary.sent !== total) throw new Error(`flushed ${summary.sent} of ${total}: ${JSON.stringify(summary)}`);
    return { perSecond: total / seconds, rssMb: samples };
  } finally {
    await lrs.stop();
    await database.close();
    await outboxDb.drop();
  }
}

/** Runs the outbox benchmarks and returns their figures. */
export async function benchOutbox(count: number, million: boolean): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = { count };

  const pgDb = await createPostgresDatabase(BENCH_DATABASE_URL);
  const pgDatabase = await openDatabase({ url: pgDb.url });
  results.enqueuePostgresPerSecond = Math.round(await benchEnqueue(pgDatabase, count, 'enqueue'));
  await pgDatabase.close();
  await pgDb.drop();
  console.error(`enqueue on PostgreSQL: ${results.enqueuePostgresPerSecond}/s`);

  const pglite = await openDatabase({ pglite: new PGlite() });
  await runMigrations(pglite);
  results.enqueuePglitePerSecond = Math.round(await benchEnqueue(pglite, count, 'enqueue'));
  await pglite.close();
  console.error(`enqueue on PGlite: ${results.enqueuePglitePerSecond}/s`);

  const flush = await benchFlush(count);
  results.flushPerSecond = Math.round(flush.perSecond);
  results.flushRssMb = flush.rssMb;
  console.error(`flush to the embedded LRS over HTTP: ${results.flushPerSecond}/s`);

  if (million) {
    const big = await benchFlush(1_000_000);
    results.flushMillionPerSecond = Math.round(big.perSecond);
    results.flushMillionRssMb = big.rssMb;
  }
  return results;
}
