/**
 * The database away under live ingest and flush, on PostgreSQL behind a TCP fault proxy:
 * refusing connections, then frozen. Writes and /health answer 503 with Retry-After
 * (never 500, never a hang), nothing is lost, and the service recovers without a restart.
 * Depends on issue 16 item 4: fails on the code before it. PGlite runs in process and
 * has no connection to lose, so the suite runs where TEST_DATABASE_URL is set.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startService, type Service } from '../../src/service.js';
import { TcpFaultProxy } from '../fakes/tcp-fault-proxy.js';
import { createPostgresDatabase } from '../support/databases.js';
import { LMS, ndjson, playVideo, SECRET } from '../support/edx-events.js';
import { faultScenario, storedCounts } from './fault-table.js';

const TOKEN = 'edx-instance-token-0123456789abcdef';
const PER_BATCH = 50;
/** How long the client waits before it calls a request unanswered (a hang, observed as status 0). */
const CLIENT_PATIENCE_MS = 30_000;

/** Status and Retry-After of a request (and for a 202, its statements added or known), or status 0 when it was not answered in time. */
async function ask(url: string, init: RequestInit = {}): Promise<{ status: number; retryAfter: boolean; counted?: number }> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(CLIENT_PATIENCE_MS) });
    const body = (await res.json().catch(() => ({}))) as { added?: number; known?: number };
    return { status: res.status, retryAfter: res.headers.has('retry-after'), ...(res.status === 202 && { counted: (body.added ?? 0) + (body.known ?? 0) }) };
  } catch {
    return { status: 0, retryAfter: false };
  }
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('database faults on postgres', () => {
  let created: { url: string; drop(): Promise<void> };
  let proxy: TcpFaultProxy;
  let service: Service;

  beforeEach(async () => {
    created = await createPostgresDatabase();
    const url = new URL(created.url);
    proxy = await TcpFaultProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    service = await startService(
      loadConfig({
        DATABASE_URL: url.toString(), DATABASE_CONNECT_TIMEOUT_MS: '500', DATABASE_STATEMENT_TIMEOUT_MS: '2000', PORT: '0', FLUSH_CRON: '0 0 1 1 *', LRS_USERS: 'reader:reader-password-16',
        EDX_INGEST_TOKENS: `lms-test:${TOKEN}`, EDX_LMS_URL: LMS, PSEUDONYM_SECRET: SECRET,
      }),
      pino({ level: 'silent' }),
    );
  });
  afterEach(async () => {
    proxy.setMode('forward');
    await service.stop();
    await proxy.close();
    await created.drop();
  });

  it('answers 503 with Retry-After while the database refuses and while it is frozen, then recovers without a restart', { timeout: 180_000 }, async ({ task }) => {
    const f = faultScenario(task, 'database refusing, then frozen', 'postgres');
    const batches = [0, 1, 2].map((b) => ndjson(Array.from({ length: PER_BATCH }, (_, i) => playVideo(i % 20, b * PER_BATCH + i))));
    const ingest = (body: string) => ask(`${service.url}/ingest/edx`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body });
    const flush = () => service.flusher.flushUntilIdle().then((s) => s.sent, () => 0);

    const up = await ingest(batches[0]!);
    f.count('up: ingest status', 202, up.status);

    proxy.setMode('refuse');
    proxy.reset();
    const [refusedIngest, refusedHealth, refusedFlush] = await Promise.all([ingest(batches[1]!), ask(`${service.url}/health`), flush()]);
    f.count('refusing: ingest status', 503, refusedIngest.status);
    f.count('refusing: ingest Retry-After', 1, Number(refusedIngest.retryAfter));
    f.count('refusing: /health status', 503, refusedHealth.status);
    f.count('refusing: /health Retry-After', 1, Number(refusedHealth.retryAfter));
    f.count('refusing: statements flushed', 0, refusedFlush);

    proxy.setMode('freeze');
    const [frozenIngest, frozenHealth] = await Promise.all([ingest(batches[2]!), ask(`${service.url}/health`)]);
    f.count('frozen: ingest status', 503, frozenIngest.status);
    f.count('frozen: ingest Retry-After', 1, Number(frozenIngest.retryAfter));
    f.count('frozen: /health status', 503, frozenHealth.status);

    // Back: the client sends again what was not acknowledged (a request it gave up on may
    // still have been stored: then its events come back as known), and the flusher delivers all.
    proxy.setMode('forward');
    f.count('recovered: /health status', 200, (await ask(`${service.url}/health`)).status);
    for (const [i, answer] of [refusedIngest, frozenIngest].entries()) {
      const resent = answer.status === 202 ? answer : await ingest(batches[i + 1]!);
      f.count(`recovered: batch ${i + 1} events added or known`, PER_BATCH, resent.counted ?? 0);
    }
    await flush();
    const after = await storedCounts(service.database);
    f.count('recovered: outbox sent', 3 * PER_BATCH, after.outbox.sent);
    f.count('recovered: outbox pending', 0, after.outbox.pending);
    const { rows } = await service.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM lrs_statements`);
    f.count('recovered: statements in the LRS', 3 * PER_BATCH, rows[0]!.n);
    f.check();
  });
});
