/**
 * The statements and requests of the LRS benchmarks, the same for the embedded LRS and
 * the peer: a deterministic statement `i`, POSTing a range of them in batches, and the
 * filtered GETs whose p95 is compared.
 */
import { v5 as uuidv5 } from 'uuid';
import { BENCH_USER } from './lrs-process.js';

const NAMESPACE = 'a3a7c3e2-5d0b-4c9e-8f55-1b2c3d4e5f60';
const VERBS = ['experienced', 'attempted', 'answered', 'completed', 'passed', 'failed', 'progressed', 'interacted'];
// Few enough that an agent fills a page at every size measured (100 each at 100k).
const LEARNERS = 1000;
const ACTIVITIES = 500;
const COURSES = 20;
export const HEADERS = {
  Authorization: `Basic ${Buffer.from(`${BENCH_USER.username}:${BENCH_USER.password}`).toString('base64')}`,
  'X-Experience-API-Version': '1.0.3',
  'Content-Type': 'application/json',
};

/** Two verbs per learner, in turn every LEARNERS statements: agent + verb matches half of an agent's. */
const verbId = (i: number) => `http://adlnet.gov/expapi/verbs/${VERBS[((i % LEARNERS) % 4) * 2 + (Math.floor(i / LEARNERS) % 2)]}`;
const learner = (i: number) => ({ objectType: 'Agent', account: { homePage: 'https://courses.example.org', name: `learner-${i % LEARNERS}` } });
const course = (i: number) => `https://courses.example.org/course/${i % COURSES}`;

/** Statement `i`: a learner, a verb and an activity in a course; half carry a registration. */
export function statement(i: number) {
  const activity = (i * 7919) % ACTIVITIES;
  const registration = i % 2 === 0 ? { registration: uuidv5(`registration-${i % LEARNERS}-${activity % COURSES}`, NAMESPACE) } : {};
  return {
    id: uuidv5(`lrs-bench-${i}`, NAMESPACE),
    actor: learner(i),
    verb: { id: verbId(i) },
    object: { objectType: 'Activity', id: `https://courses.example.org/activity/${activity}` },
    context: { ...registration, contextActivities: { parent: [{ id: course(activity) }] } },
    timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  };
}

/** When the store held how many statements, for the since/until window. */
export class StoreClock {
  private readonly marks: { count: number; at: number }[] = [];

  mark(count: number): void {
    this.marks.push({ count, at: Date.now() });
  }

  /** The instant at which about `count` statements were stored. */
  at(count: number): string {
    const mark = this.marks.find((m) => m.count >= count) ?? this.marks[this.marks.length - 1];
    return new Date(mark?.at ?? Date.now()).toISOString();
  }
}

/** POSTs statements [from, to) in batches of `batch`, `concurrency` in flight; returns statements/s. */
export async function post(endpoint: string, from: number, to: number, batch: number, concurrency: number, clock?: StoreClock): Promise<number> {
  let next = from;
  let done = from;
  const started = performance.now();
  const worker = async () => {
    while (next < to) {
      const start = next;
      next = Math.min(to, next + batch);
      const body = JSON.stringify(Array.from({ length: next - start }, (_, k) => statement(start + k)));
      const res = await fetch(`${endpoint}statements`, { method: 'POST', headers: HEADERS, body });
      if (!res.ok) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      done += next - start;
      clock?.mark(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (to - from) / ((performance.now() - started) / 1000);
}

/** GETs `url` and returns the time taken and the body. */
export async function timedGet(url: string): Promise<{ ms: number; body: { statements: unknown[]; more?: string } }> {
  const started = performance.now();
  const res = await fetch(url, { headers: HEADERS });
  if (!res.ok) throw new Error(`GET answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { statements: unknown[]; more?: string };
  return { ms: performance.now() - started, body };
}

/** The filters compared, by name: the parameters of sample `s` on a store of `size` statements. */
export const FILTERS: Record<string, (s: number, size: number, clock: StoreClock) => Record<string, string>> = {
  agent: (s) => ({ agent: JSON.stringify(learner(s * 13)) }),
  agentVerb: (s) => ({ agent: JSON.stringify(learner(s * 13)), verb: verbId(s * 13) }),
  relatedActivity: (s) => ({ activity: course(s), related_activities: 'true' }),
  sinceUntil: (s, size, clock) => ({ since: clock.at(Math.floor(size * (0.25 + (s % 10) / 40))), until: clock.at(Math.floor(size * 0.75)) }),
};

export function percentile(sorted: readonly number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2));
}

/** p95 ms of `samples` GETs of each filter, 50 per page, and the mean rows returned. */
export async function filteredP95(endpoint: string, size: number, clock: StoreClock, samples: number): Promise<Record<string, { p95: number; rows: number }>> {
  const out: Record<string, { p95: number; rows: number }> = {};
  for (const [name, params] of Object.entries(FILTERS)) {
    const times: number[] = [];
    let rows = 0;
    for (let s = 0; s < samples; s++) {
      const query = new URLSearchParams({ ...params(s, size, clock), limit: '50' });
      const { ms, body } = await timedGet(`${endpoint}statements?${query}`);
      times.push(ms);
      rows += body.statements.length;
    }
    out[name] = { p95: percentile([...times].sort((a, b) => a - b), 95), rows: Math.round(rows / samples) };
  }
  return out;
}
