/**
 * The cost of hostile request bodies to a `serve` process on PGlite (the quick start's
 * set-up): its idle RSS once started, at the first start and at a restart, then for each body its answer, peak RSS (VmHWM,
 * reset before each body) and the longest `/health` answer while the body is handled,
 * which is how long the event loop stalled. Bodies: 10 MB of 500,000 invalid statements
 * to POST /xapi/statements, 200,000 invalid events to POST /ingest/edx, and the largest
 * batches the caps let through, all invalid.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_USER, startLrsProcess, type LrsProcess } from './lrs-process.js';
import { processRssMb } from './measured.js';

const INGEST_TOKEN = 'bench-ingest-token-0123456789';
const LRS_HEADERS = {
  Authorization: `Basic ${Buffer.from(`${BENCH_USER.username}:${BENCH_USER.password}`).toString('base64')}`,
  'X-Experience-API-Version': '1.0.3',
  'Content-Type': 'application/json',
};
const INGEST_HEADERS = { Authorization: `Bearer ${INGEST_TOKEN}`, 'Content-Type': 'application/x-ndjson' };

/** One hostile request. */
interface Body {
  name: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** `n` statements of 19 bytes that fail validation (no actor, no object): 500,000 make 10 MB. */
function invalidStatements(n: number): string {
  return `[${Array.from({ length: n }, () => '{"verb":{"id":"x"}}').join(',')}]`;
}

/** `n` edX events without a time, each a rejection. */
function invalidEvents(n: number): string {
  return Array.from({ length: n }, (_, i) => `{"event_type":"play_video","n":${i}}`).join('\n');
}

/** One GET /health on a new connection: a kept-alive one may be closed by the stalled server as it is reused. */
function healthOnce(origin: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(`${origin}/health`, { agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject);
  });
}

/** Asks /health in a loop until `done`, returning its slowest answer in ms. */
async function slowestHealth(origin: string, done: () => boolean): Promise<number> {
  let slowest = 0;
  while (!done()) {
    const started = performance.now();
    await healthOnce(origin);
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Math.round(slowest);
}

async function measure(lrs: LrsProcess, { name, path, headers, body }: Body) {
  // "5" resets the peak (VmHWM) to the current RSS (proc(5), clear_refs).
  writeFileSync(`/proc/${lrs.pid}/clear_refs`, '5');
  let finished = false;
  const health = slowestHealth(lrs.origin, () => finished);
  const started = performance.now();
  const res = await fetch(`${lrs.origin}${path}`, { method: 'POST', headers, body });
  const answer = await res.text();
  const seconds = Number(((performance.now() - started) / 1000).toFixed(2));
  finished = true;
  return {
    name,
    bodyMb: Number((Buffer.byteLength(body) / 1e6).toFixed(1)),
    status: res.status,
    answer: answer.length > 160 ? `${answer.slice(0, 160)}…` : answer,
    seconds,
    slowestHealthMs: await health,
    peakRssMb: processRssMb(lrs.pid, 'VmHWM'),
    rssAfterMb: processRssMb(lrs.pid, 'VmRSS'),
  };
}

/** `serve` on PGlite in `dataDir` with default limits, and its RSS once settled. */
async function startSettled(dataDir: string, settleSeconds: number): Promise<{ lrs: LrsProcess; idleRssMb: number }> {
  const lrs = await startLrsProcess({
    database: { dataDir },
    env: { BODY_LIMIT: '10mb', EDX_INGEST_TOKENS: `bench:${INGEST_TOKEN}`, EDX_LMS_URL: 'https://lms.example.org/' },
  });
  await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
  return { lrs, idleRssMb: processRssMb(lrs.pid, 'VmRSS') };
}

/**
 * Starts `serve` on a new PGlite folder and measures its idle RSS, restarts it on that
 * folder (as every start after the first) and measures again, then sends each hostile body.
 */
export async function benchHostileBodies(settleSeconds: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'xapi-gateway-bench-'));
  const first = await startSettled(dataDir, settleSeconds);
  await first.lrs.stop();
  const { lrs, idleRssMb } = await startSettled(dataDir, settleSeconds);
  try {
    const bodies: Body[] = [
      { name: '500,000 invalid statements', path: '/xapi/statements', headers: LRS_HEADERS, body: invalidStatements(500_000) },
      { name: '200,000 invalid edX events', path: '/ingest/edx', headers: INGEST_HEADERS, body: invalidEvents(200_000) },
      { name: '2,000 invalid statements (LRS_MAX_STATEMENTS)', path: '/xapi/statements', headers: LRS_HEADERS, body: invalidStatements(2_000) },
      { name: '10,000 invalid edX events (INGEST_MAX_EVENTS)', path: '/ingest/edx', headers: INGEST_HEADERS, body: invalidEvents(10_000) },
    ];
    const results = [];
    for (const body of bodies) results.push(await measure(lrs, body));
    return { database: 'pglite', idleRssMb: { firstStart: first.idleRssMb, restart: idleRssMb }, bodies: results };
  } finally {
    await lrs.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
