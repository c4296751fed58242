/**
 * `/health` and `/metrics`: what an operator or a load balancer asks first. Outbox
 * figures come from the shared database; delivery counters are this process's.
 */
import { Router } from 'express';
import type { Database } from './db/connection.js';
import { DATABASE_RETRY_AFTER_SECONDS, DatabaseUnavailableError } from './db/errors.js';
import { LATENCY_BUCKETS, type DeliveryStats } from './lrs/delivery-stats.js';
import type { Outbox } from './lrs/outbox.js';
import { countRejectedRecords } from './lrs/import-run.js';

/** What health and metrics read. */
export interface HealthDeps {
  database: Database;
  outbox: Outbox;
  stats: DeliveryStats;
}

/** `work`, or a DatabaseUnavailableError once `ms` have passed (the late answer is dropped). */
function within<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return work;
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError('no answer within the connect timeout')), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Routes `/health` (JSON; 503 with `Retry-After` when the database does not answer
 * within its connect timeout, so that a load balancer never waits on a frozen one)
 * and `/metrics` (Prometheus text).
 */
export function healthRoutes({ database, outbox, stats }: HealthDeps): Router {
  const router = Router();

  router.get('/health', async (_req, res) => {
    try {
      const status = await within(outbox.status(), database.timeouts?.connectMs);
      const oldest = status.oldestPendingAt;
      res.json({
        status: 'ok',
        database: { reachable: true, kind: database.kind },
        outbox: {
          ...status.counts,
          oldestPendingAgeSeconds: oldest ? Math.round((Date.now() - new Date(oldest).getTime()) / 1000) : null,
          lastSentAt: status.lastSentAt,
        },
        lastFlush: stats.lastFlush ?? null,
      });
    } catch {
      res.status(503).set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS)).json({ status: 'unavailable', database: { reachable: false, kind: database.kind } });
    }
  });

  router.get('/metrics', async (_req, res) => {
    const status = await outbox.status();
    const rejected = await countRejectedRecords(database);
    const lines = [
      '# HELP xgw_outbox_rows Statements in the outbox by state.',
      '# TYPE xgw_outbox_rows gauge',
      ...Object.entries(status.counts).map(([state, n]) => `xgw_outbox_rows{state="${state}"} ${n}`),
      '# HELP xgw_outbox_oldest_pending_seconds Age of the oldest pending statement.',
      '# TYPE xgw_outbox_oldest_pending_seconds gauge',
      `xgw_outbox_oldest_pending_seconds ${status.oldestPendingAt ? (Date.now() - new Date(status.oldestPendingAt).getTime()) / 1000 : 0}`,
      '# HELP xgw_statements_settled_total Statements settled by this process, by outcome.',
      '# TYPE xgw_statements_settled_total counter',
      ...Object.entries(stats.settled).map(([outcome, n]) => `xgw_statements_settled_total{outcome="${outcome}"} ${n}`),
      '# HELP xgw_statements_delivered_total Statements the LRS accepted from this process.',
      '# TYPE xgw_statements_delivered_total counter',
      `xgw_statements_delivered_total ${stats.settled.sent}`,
      '# HELP xgw_lrs_request_duration_seconds Duration of POSTs to the LRS.',
      '# TYPE xgw_lrs_request_duration_seconds histogram',
      ...LATENCY_BUCKETS.map((le, i) => `xgw_lrs_request_duration_seconds_bucket{le="${le}"} ${stats.latency.buckets[i]}`),
      `xgw_lrs_request_duration_seconds_bucket{le="+Inf"} ${stats.latency.count}`,
      `xgw_lrs_request_duration_seconds_sum ${stats.latency.sum}`,
      `xgw_lrs_request_duration_seconds_count ${stats.latency.count}`,
      '# HELP xgw_rejected_records Records rejected by imports, in the database.',
      '# TYPE xgw_rejected_records gauge',
      `xgw_rejected_records ${rejected}`,
    ];
    res.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });

  return router;
}
