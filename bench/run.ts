/**
 * Benchmarks of the outbox: `npm run bench [-- --count 100000 --million]`.
 *
 * - enqueue: N statements in calls of 5,000, on PostgreSQL and on PGlite;
 * - flush: N statements from a PostgreSQL outbox to the embedded LRS served by a
 *   separate `serve` process over HTTP (its own database), at batch 500;
 * - with `--million`: a flush of 1,000,000 statements, sampling this process's memory.
 *
 * PostgreSQL comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres);
 * each run creates and drops its own databases. Timings are printed, never asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { pino } from 'pino';
import { openDatabase, type Database } from '../src/db/connection.js';
import { runMigrations } from '../src/db/migrate.js';
import { LrsClient } from '../src/lrs/client.js';
import { DeliveryStats } from '../src/lrs/delivery-stats.js';
import { Flusher } from '../src/lrs/flusher.js';
import { Outbox } from '../src/lrs/outbox.js';
import { createPostgresDatabase } from '../test/support/databases.js';
import { freePort } from '../test/support/net.js';
import { makeStatement } from '../test/support/statements.js';

const { values: args } = parseArgs({
  options: { count: { type: 'string', default: '100000' }, million: { type: 'boolean', default: false } },
});
const COUNT = Number(args.count);
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
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

/** `serve` in a child process on its own database: the LRS end of the flush bench. */
async function startLrsProcess(databaseUrl: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LRS_USERS: 'bench:bench-password', LOG_LEVEL: 'warn', FLUSH_CRON: '0 0 1 1 *' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) return { endpoint: `http://127.0.0.1:${port}/xapi/`, child };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error('LRS process did not start');
}

async function benchFlush(total: number): Promise<{ perSecond: number; rssMb: { start: number; max: number; end: number } }> {
  const outboxDb = await createPostgresDatabase(BASE_URL);
  const lrsDb = await createPostgresDatabase(BASE_URL);
  const database = await openDatabase({ url: outboxDb.url });
  const lrs = await startLrsProcess(lrsDb.url);
  try {
    await benchEnqueue(database, total, 'flush');
    const outbox = new Outbox(database, policy);
    const client = new LrsClient({ endpoint: lrs.endpoint, username: 'bench', password: 'bench-password', timeoutMs: 60_000 });
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
    lrs.child.kill('SIGTERM');
    await new Promise((resolve) => lrs.child.on('exit', resolve));
    await database.close();
    await outboxDb.drop();
    await lrsDb.drop();
  }
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { count: COUNT, node: process.version };

  const pgDb = await createPostgresDatabase(BASE_URL);
  const pgDatabase = await openDatabase({ url: pgDb.url });
  results.enqueuePostgresPerSecond = Math.round(await benchEnqueue(pgDatabase, COUNT, 'enqueue'));
  await pgDatabase.close();
  await pgDb.drop();
  console.error(`enqueue on PostgreSQL: ${results.enqueuePostgresPerSecond}/s`);

  const pglite = await openDatabase({ pglite: new PGlite() });
  await runMigrations(pglite);
  results.enqueuePglitePerSecond = Math.round(await benchEnqueue(pglite, COUNT, 'enqueue'));
  await pglite.close();
  console.error(`enqueue on PGlite: ${results.enqueuePglitePerSecond}/s`);

  const flush = await benchFlush(COUNT);
  results.flushPerSecond = Math.round(flush.perSecond);
  results.flushRssMb = flush.rssMb;
  console.error(`flush to the embedded LRS over HTTP: ${results.flushPerSecond}/s`);

  if (args.million) {
    const million = await benchFlush(1_000_000);
    results.flushMillionPerSecond = Math.round(million.perSecond);
    results.flushMillionRssMb = million.rssMb;
  }
  console.log(JSON.stringify(results, null, 2));
}

await main();
