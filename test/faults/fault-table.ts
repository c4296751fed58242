/**
 * The fault suite's harness: each scenario declares the counts it expects and records
 * the counts it observed (outbox rows by state, statements in the LRS, rejected records,
 * import runs). The rows ride on the test's `meta`, so that `table-reporter.ts` prints
 * one table of every scenario at the end of `npm run faults`, and a test fails on any
 * row whose observed count differs.
 */
import { expect, type TaskMeta } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import type { OutboxState } from '../../src/lrs/schema.js';

/** One expected count beside the one observed. */
export interface FaultRow {
  scenario: string;
  kind: string;
  what: string;
  expected: string;
  observed: string;
  ok: boolean;
}

declare module 'vitest' {
  interface TaskMeta {
    faults?: FaultRow[];
  }
}

/** An expected count: a number, or the set of numbers any of which is right (e.g. "0 or 5000"). */
export type Expected = number | readonly number[];

/** The recorder of one scenario on one database kind. */
export interface FaultScenario {
  /** Records one count and whether it is as expected. */
  count(what: string, expected: Expected, observed: number): void;
  /** Fails the test when any recorded count differs, naming them all. */
  check(): void;
}

/**
 * A recorder whose rows go on `task.meta` at once, so that a scenario that throws half
 * way still shows what it saw.
 * @example const f = faultScenario(task, 'kill -9 import', kind); f.count('outbox rows', 12000, n); f.check();
 */
export function faultScenario(task: { meta: TaskMeta }, scenario: string, kind: string): FaultScenario {
  const rows = (task.meta.faults ??= []);
  return {
    count(what, expected, observed) {
      const allowed = typeof expected === 'number' ? [expected] : expected;
      rows.push({ scenario, kind, what, expected: allowed.join(' or '), observed: String(observed), ok: allowed.includes(observed) });
    },
    check() {
      // One line per row off, so that a failure says what was seen, as the table does.
      expect(rows.filter((r) => !r.ok).map((r) => `${r.scenario} (${r.kind}): ${r.what}: expected ${r.expected}, observed ${r.observed}`)).toEqual([]);
    },
  };
}

/** Outbox rows by state, rejected records, and import runs by status: the counts most scenarios read. */
export async function storedCounts(database: Database): Promise<{ outbox: Record<OutboxState, number>; rejected: number; runs: Record<string, number> }> {
  const byState = await database.query<{ state: OutboxState; n: number }>(`SELECT state, count(*)::int AS n FROM statement_outbox GROUP BY state`);
  const rejected = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM rejected_records`);
  const runs = await database.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM import_runs GROUP BY status`);
  return {
    outbox: { pending: 0, sent: 0, conflict: 0, dead: 0, ...Object.fromEntries(byState.rows.map((r) => [r.state, r.n])) } as Record<OutboxState, number>,
    rejected: rejected.rows[0]!.n,
    runs: Object.fromEntries(runs.rows.map((r) => [r.status, r.n])),
  };
}
