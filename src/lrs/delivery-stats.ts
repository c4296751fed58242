/**
 * In-process counters of delivery, read by `/metrics` and `/health`. Outbox depth is
 * not kept here: it is read from the database, which all instances share.
 */

/** Upper bounds (seconds) of the delivery latency histogram buckets. */
export const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

/**
 * Why a POST to the LRS did not store its statements. A lasting cause stops delivery until
 * an operator acts, and maps to what /health tells them; the others (null) pass by
 * themselves (the outbox retries) or are one statement's fault (it goes dead or conflict).
 */
export const FLUSH_CAUSES = {
  unreachable: null,
  timeout: null,
  throttled: null,
  'server-error': null,
  'unexpected-status': null,
  'refused-batch': null,
  conflict: null,
  'too-large': null,
  unauthorized: "the LRS refuses the gateway's credentials (401): check LRS_USERNAME and LRS_PASSWORD",
  forbidden: "the LRS forbids the gateway's credentials to store statements (403): check their rights at the LRS",
  'not-found': 'the LRS has no statements resource at LRS_ENDPOINT (404 or 405): check LRS_ENDPOINT',
} as const satisfies Record<string, string | null>;

/** A cause of a failed POST to the LRS: `unreachable`, `unauthorized`, `refused-batch`... */
export type FlushCause = keyof typeof FLUSH_CAUSES;

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

/** The last failed POST to the LRS. */
export interface DeliveryError {
  cause: FlushCause;
  at: string;
}

/** Counters since this process started. */
export class DeliveryStats {
  readonly settled = { sent: 0, conflict: 0, dead: 0, retried: 0 };
  requests = 0;
  /** Cumulative counts per latency bucket, plus the sum and count, Prometheus style. */
  readonly latency = { buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
  /** Failed POSTs to the LRS by cause, every cause present from the start (a steady series). */
  readonly flushErrors = Object.fromEntries(Object.keys(FLUSH_CAUSES).map((cause) => [cause, 0])) as Record<FlushCause, number>;
  lastFlush: FlushSummary | undefined;
  /** When the LRS last stored a batch (ISO 8601). */
  lastSuccessAt: string | undefined;
  lastError: DeliveryError | undefined;
  private lastFailed = false;

  /** `now` stamps successes and errors; tests pass their own clock. */
  constructor(private readonly now: () => number = Date.now) {}

  /** Records one POST to the LRS that took `seconds`. */
  observeRequest(seconds: number): void {
    this.requests += 1;
    this.latency.sum += seconds;
    this.latency.count += 1;
    LATENCY_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) this.latency.buckets[i]! += 1;
    });
  }

  /** Records what one POST to the LRS came to: stored (no cause) or failed with `cause`. */
  observeOutcome(cause: FlushCause | undefined): void {
    const at = new Date(this.now()).toISOString();
    this.lastFailed = cause !== undefined;
    if (cause === undefined) {
      this.lastSuccessAt = at;
      return;
    }
    this.flushErrors[cause] += 1;
    this.lastError = { cause, at };
  }

  /**
   * What stops delivery until an operator acts, when the last POST failed for a lasting cause.
   * @example stats.observeOutcome('unauthorized'); stats.problem() // "the LRS refuses the gateway's credentials (401): ..."
   */
  problem(): string | undefined {
    return this.lastFailed && this.lastError ? (FLUSH_CAUSES[this.lastError.cause] ?? undefined) : undefined;
  }
}
