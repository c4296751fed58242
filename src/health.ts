/**
 * `/health` (liveness), `/ready` (readiness) and `/metrics`: what an operator or a load
 * balancer asks first. Outbox figures come from the shared database; delivery counters
 * are this process's. Each answers 503, never 500, when the database does not answer.
 */
import { Router, type Response } from 'express';
import type { Database } from './db/connection.js';
import { DATABASE_RETRY_AFTER_SECONDS, DatabaseUnavailableError, toDatabaseError } from './db/errors.js';
import { pendingMigrations } from './db/migrate.js';
import type { ProbeResult } from './lrs/credential-probe.js';
import { FLUSH_CAUSES, LATENCY_BUCKETS, type DeliveryStats } from './lrs/delivery-stats.js';
import type { Outbox } from './lrs/outbox.js';
import { countRejectedRecords } from './lrs/import-run.js';

/** What health, readiness and metrics read. */
export interface HealthDeps {
  database: Database;
  outbox: Outbox;
  stats: DeliveryStats;
  /** Asks the external LRS whether it takes the gateway's credentials; absent: the embedded LRS, in this process. */
  deliveryProbe?: { check(): Promise<ProbeResult> };
}

/** One check of /ready: passed (with what was checked) or failed with why. */
type Check = { ok: true; [detail: string]: unknown } | { ok: false; reason: string };

/** `work`, or a DatabaseUnavailableError once `ms` have passed (the late answer is dropped). */
function within<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return work;
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError('no answer within the connect timeout (DATABASE_CONNECT_TIMEOUT_MS)')), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Seconds since `at`, or null. */
const ageSeconds = (at: Date | string | null): number | null => (at ? (Date.now() - new Date(at).getTime()) / 1000 : null);

/** Tells a load balancer to come back: the database is away. */
function databaseAway(res: Response): Response {
  return res.status(503).set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
}

/** Why the database check failed, in words that name no host, user or value. */
function databaseReason(err: unknown): string {
  const safe = toDatabaseError(err);
  return safe instanceof DatabaseUnavailableError ? safe.message : 'the database refused the check query';
}

/**
 * Routes `/health` (JSON; `degraded`, still 200, while the LRS refuses delivery for a
 * reason only an operator can fix), `/ready` (200 or 503 with each check and why) and
 * `/metrics` (Prometheus text).
 */
export function healthRoutes({ database, outbox, stats, deliveryProbe }: HealthDeps): Router {
  const router = Router();
  const connectMs = database.timeouts?.connectMs;

  router.get('/health', async (_req, res) => {
    try {
      const status = await within(outbox.status(), connectMs);
      const age = ageSeconds(status.oldestPendingAt);
      const problem = stats.problem();
      res.json({
        status: problem ? 'degraded' : 'ok',
        ...(problem && { problem }),
        database: { reachable: true, kind: database.kind },
        outbox: { ...status.counts, oldestPendingAgeSeconds: age === null ? null : Math.round(age), lastSentAt: status.lastSentAt },
        delivery: { lastSuccessAt: stats.lastSuccessAt ?? null, lastError: stats.lastError ?? null },
        lastFlush: stats.lastFlush ?? null,
      });
    } catch {
      databaseAway(res).json({ status: 'unavailable', database: { reachable: false, kind: database.kind } });
    }
  });

  router.get('/ready', async (_req, res) => {
    const delivery: Promise<Check> = deliveryProbe
      ? deliveryProbe.check().then((r) => (r.ok ? { ok: true, target: r.target } : { ok: false, reason: r.reason }))
      : Promise.resolve({ ok: true, target: 'the embedded LRS of this process' });
    let databaseCheck: Check;
    let migrations: Check;
    try {
      const pending = await within(pendingMigrations(database), connectMs);
      databaseCheck = { ok: true, kind: database.kind };
      migrations = pending.length === 0 ? { ok: true } : { ok: false, reason: `not applied: ${pending.join(', ')} (restart the gateway, which applies them)` };
    } catch (err) {
      databaseCheck = { ok: false, reason: databaseReason(err) };
      migrations = { ok: false, reason: 'not checked: the database does not answer' };
    }
    const checks = { database: databaseCheck, migrations, delivery: await delivery };
    const ready = Object.values(checks).every((c) => c.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks });
  });

  router.get('/metrics', async (_req, res) => {
    let status, rejected;
    try {
      [status, rejected] = await within(Promise.all([outbox.status(), countRejectedRecords(database)]), connectMs);
    } catch {
      databaseAway(res).type('text/plain').send('the database does not answer\n');
      return;
    }
    const lines = [
      '# HELP xgw_outbox_rows Statements in the outbox by state.',
      '# TYPE xgw_outbox_rows gauge',
      ...Object.entries(status.counts).map(([state, n]) => `xgw_outbox_rows{state="${state}"} ${n}`),
      '# HELP xgw_outbox_oldest_pending_seconds Age of the oldest pending statement.',
      '# TYPE xgw_outbox_oldest_pending_seconds gauge',
      `xgw_outbox_oldest_pending_seconds ${ageSeconds(status.oldestPendingAt) ?? 0}`,
      '# HELP xgw_statements_settled_total Statements settled by this process, by outcome.',
      '# TYPE xgw_statements_settled_total counter',
      ...Object.entries(stats.settled).map(([outcome, n]) => `xgw_statements_settled_total{outcome="${outcome}"} ${n}`),
      '# HELP xgw_statements_delivered_total Statements the LRS accepted from this process.',
      '# TYPE xgw_statements_delivered_total counter',
      `xgw_statements_delivered_total ${stats.settled.sent}`,
      '# HELP xgw_flush_errors_total POSTs of statements to the LRS that did not store them, by cause.',
      '# TYPE xgw_flush_errors_total counter',
      ...Object.keys(FLUSH_CAUSES).map((cause) => `xgw_flush_errors_total{cause="${cause}"} ${stats.flushErrors[cause as keyof typeof FLUSH_CAUSES]}`),
      '# HELP xgw_last_successful_flush_timestamp_seconds When the LRS last stored a batch from this process (0: never).',
      '# TYPE xgw_last_successful_flush_timestamp_seconds gauge',
      `xgw_last_successful_flush_timestamp_seconds ${stats.lastSuccessAt ? Date.parse(stats.lastSuccessAt) / 1000 : 0}`,
      '# HELP xgw_lrs_request_duration_seconds Duration of POSTs to the LRS.',
      '# TYPE xgw_lrs_request_duration_seconds histogram',
      ...LATENCY_BUCKETS.map((le, i) => `xgw_lrs_request_duration_seconds_bucket{le="${le}"} ${stats.latency.buckets[i]}`),
      `xgw_lrs_request_duration_seconds_bucket{le="+Inf"} ${stats.latency.count}`,
      `xgw_lrs_request_duration_seconds_sum ${stats.latency.sum}`,
      `xgw_lrs_request_duration_seconds_count ${stats.latency.count}`,
      '# HELP xgw_rejected_records Records rejected by imports, in the database.',
      '# TYPE xgw_rejected_records gauge',
      `xgw_rejected_records ${rejected}`,
      ...processMetrics(),
    ];
    res.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });

  return router;
}

/** The standard process metrics of Prometheus clients, under their usual names. */
function processMetrics(): string[] {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const metric = (name: string, type: string, help: string, value: number) => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`];
  return [
    ...metric('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', memory.rss),
    ...metric('process_heap_bytes', 'gauge', 'V8 heap in use, in bytes.', memory.heapUsed),
    ...metric('process_cpu_seconds_total', 'counter', 'User and system CPU time spent, in seconds.', (cpu.user + cpu.system) / 1e6),
    // timeOrigin is when this process started, in epoch milliseconds.
    ...metric('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch, in seconds.', Math.round(performance.timeOrigin / 1000)),
  ];
}
