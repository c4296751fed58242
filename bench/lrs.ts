/**
 * Embedded LRS benchmarks, against a separate `serve` process on PostgreSQL over HTTP:
 * POST throughput at batches of 1, 100 and 500; filtered GET (verb + activity, limit
 * 100) latency as the store grows to N statements; and the time per page while paging
 * through all N by `more`.
 */
import { v5 as uuidv5 } from 'uuid';
import { BENCH_USER, startLrsProcess } from './lrs-process.js';

const NAMESPACE = 'a3a7c3e2-5d0b-4c9e-8f55-1b2c3d4e5f60';
const VERBS = ['experienced', 'attempted', 'answered', 'completed', 'passed', 'failed', 'progressed', 'interacted'];
// Few enough that verb + activity finds more than a page (100) at every size measured.
const ACTIVITIES = 500;
const HEADERS = {
  Authorization: `Basic ${Buffer.from(`${BENCH_USER.username}:${BENCH_USER.password}`).toString('base64')}`,
  'X-Experience-API-Version': '1.0.3',
  'Content-Type': 'application/json',
};

/** Statement `i`: one verb per activity, so verb + activity matches N / 500 statements. */
function statement(i: number) {
  const activity = (i * 7919) % ACTIVITIES;
  return {
    id: uuidv5(`lrs-bench-${i}`, NAMESPACE),
    actor: { objectType: 'Agent', account: { homePage: 'https://courses.example.org', name: `learner-${i % 5003}` } },
    verb: { id: `http://adlnet.gov/expapi/verbs/${VERBS[activity % VERBS.length]}` },
    object: { objectType: 'Activity', id: `https://courses.example.org/activity/${activity}` },
    context: { contextActivities: { parent: [{ id: `https://courses.example.org/course/${activity % 20}` }] } },
    timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  };
}

function percentile(sorted: number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1));
}

/** POSTs statements [from, to) in batches of `batch` with `concurrency` requests in flight; returns statements/s. */
async function post(endpoint: string, from: number, to: number, batch: number, concurrency: number): Promise<number> {
  let next = from;
  const started = performance.now();
  const worker = async () => {
    while (next < to) {
      const start = next;
      next = Math.min(to, next + batch);
      const body = JSON.stringify(Array.from({ length: next - start }, (_, k) => statement(start + k)));
      const res = await fetch(`${endpoint}statements`, { method: 'POST', headers: HEADERS, body });
      if (!res.ok) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (to - from) / ((performance.now() - started) / 1000);
}

async function timedGet(url: string): Promise<{ ms: number; body: { statements: unknown[]; more: string } }> {
  const started = performance.now();
  const res = await fetch(url, { headers: HEADERS });
  const body = (await res.json()) as { statements: unknown[]; more: string };
  if (!res.ok) throw new Error(`GET answered ${res.status}`);
  return { ms: performance.now() - started, body };
}

/** p50 and p95 of `samples` filtered GETs (verb + activity, limit 100). */
async function filteredGets(endpoint: string, samples: number): Promise<{ p50: number; p95: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let s = 0; s < samples; s++) {
    const activity = (s * 37) % ACTIVITIES;
    const params = new URLSearchParams({
      verb: `http://adlnet.gov/expapi/verbs/${VERBS[activity % VERBS.length]}`,
      activity: `https://courses.example.org/activity/${activity}`,
      limit: '100',
    });
    const { ms, body } = await timedGet(`${endpoint}statements?${params}`);
    times.push(ms);
    rows += body.statements.length;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), rows: Math.round(rows / samples) };
}

/** Pages through everything by `more`; returns the mean ms per page of the first and last 50 pages. */
async function pageAll(origin: string, endpoint: string): Promise<{ pages: number; statements: number; firstMs: number; lastMs: number; p95: number }> {
  const times: number[] = [];
  let statements = 0;
  let url = `${endpoint}statements?limit=500`;
  for (;;) {
    const { ms, body } = await timedGet(url);
    times.push(ms);
    statements += body.statements.length;
    if (!body.more) break;
    url = new URL(body.more, origin).toString();
  }
  const mean = (xs: number[]) => Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1));
  const sorted = [...times].sort((a, b) => a - b);
  return { pages: times.length, statements, firstMs: mean(times.slice(0, 50)), lastMs: mean(times.slice(-50)), p95: percentile(sorted, 95) };
}

/** Runs the LRS benchmarks up to `count` stored statements and returns their figures. */
export async function benchLrs(count: number): Promise<Record<string, unknown>> {
  const lrs = await startLrsProcess();
  const results: Record<string, unknown> = { storedUpTo: count };
  try {
    let stored = 0;
    const throughput: Record<string, number> = {};
    for (const [batch, total, concurrency] of [[1, 3000, 4], [100, 50_000, 4], [500, 100_000, 4]] as const) {
      throughput[`batch${batch}`] = Math.round(await post(lrs.endpoint, stored, stored + total, batch, concurrency));
      stored += total;
      console.error(`POST at batch ${batch}: ${throughput[`batch${batch}`]} statements/s`);
    }
    results.postPerSecond = throughput;

    const filtered: Record<string, unknown> = {};
    for (const checkpoint of [100_000, 250_000, 500_000, 1_000_000].filter((c) => c <= count)) {
      if (stored < checkpoint) await post(lrs.endpoint, stored, checkpoint, 500, 2);
      stored = Math.max(stored, checkpoint);
      filtered[String(checkpoint)] = await filteredGets(lrs.endpoint, 400);
      console.error(`filtered GET at ${checkpoint}: ${JSON.stringify(filtered[String(checkpoint)])}`);
    }
    if (stored < count) await post(lrs.endpoint, stored, count, 500, 2);
    results.filteredGetMs = filtered;
    results.paging = await pageAll(lrs.origin, lrs.endpoint);
    console.error(`paging: ${JSON.stringify(results.paging)}`);
  } finally {
    await lrs.stop();
  }
  return results;
}
