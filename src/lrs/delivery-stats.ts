/**
 * In-process counters of delivery, read by `/metrics` and `/health`. Outbox depth is
 * not kept here: it is read from the database, which all instances share.
 */

/** Upper bounds (seconds) of the delivery latency histogram buckets. */
export const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

/** The summary of one flush. */
export interface FlushSummary {
  batches: number;
  requests: number;
  sent: number;
  conflict: number;
  dead: number;
  retried: number;
  startedAt: string;
  endedAt: string;
  /** Why the flush stopped before the outbox was empty, if it did. */
  stoppedBy?: string;
}

/** Counters since this process started. */
export class DeliveryStats {
  readonly settled = { sent: 0, conflict: 0, dead: 0, retried: 0 };
  requests = 0;
  /** Cumulative counts per latency bucket, plus the sum and count, Prometheus style. */
  readonly latency = { buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
  lastFlush: FlushSummary | undefined;

  /** Records one POST to the LRS that took `seconds`. */
  observeRequest(seconds: number): void {
    this.requests += 1;
    this.latency.sum += seconds;
    this.latency.count += 1;
    LATENCY_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) this.latency.buckets[i]! += 1;
    });
  }
}
