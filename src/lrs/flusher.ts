/**
 * The flusher: claims due outbox rows, delivers them, settles them, and repeats until
 * nothing is due. Several flushers (in one process or many) share one outbox safely,
 * because each claims with SKIP LOCKED and a lease.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { LrsClient, PostOutcome } from './client.js';
import { deliverRows, LrsMisconfiguredError } from './deliver.js';
import type { DeliveryStats, FlushCause, FlushSummary } from './delivery-stats.js';
import type { Outbox } from './outbox.js';

/** What a flusher needs. */
export interface FlusherDeps {
  outbox: Outbox;
  client: Pick<LrsClient, 'postStatements'>;
  stats: DeliveryStats;
  logger: Logger;
  batchSize: number;
  leaseSeconds: number;
  /** Batches in flight at once; each claims its own rows. */
  concurrency?: number;
  /** Deletes sent rows older than this many days after a flush; 0 keeps them. */
  keepSentDays?: number;
}

/** Delivers the outbox to the LRS. */
export class Flusher {
  /** Lease owner name: unique per flusher, readable in `status`. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running: Promise<FlushSummary> | undefined;
  private stopping = false;
  private batchSize: number;

  constructor(private readonly deps: FlusherDeps) {
    this.batchSize = deps.batchSize;
  }

  /**
   * Delivers until nothing is due, the LRS asks to wait, or `stop()` is called. A call
   * while a flush runs joins that flush instead of starting another.
   * @example const summary = await flusher.flushUntilIdle();
   */
  flushUntilIdle(): Promise<FlushSummary> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops claiming new batches and waits for the ones in flight to settle. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<FlushSummary> {
    const summary: FlushSummary = {
      batches: 0, requests: 0, sent: 0, conflict: 0, dead: 0, retried: 0,
      startedAt: new Date().toISOString(), endedAt: '',
    };
    const workers = Array.from({ length: this.deps.concurrency ?? 2 }, () => this.work(summary));
    const outcomes = await Promise.allSettled(workers);
    summary.endedAt = new Date().toISOString();
    this.deps.stats.lastFlush = summary;
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    if (this.deps.keepSentDays) {
      await this.deps.outbox.purgeSent(new Date(Date.now() - this.deps.keepSentDays * 86_400_000));
    }
    if (summary.batches > 0) this.deps.logger.info({ flush: summary }, 'flush finished');
    return summary;
  }

  /** One claim-deliver-settle loop; stops when nothing is due or the LRS wants a pause. */
  private async work(summary: FlushSummary): Promise<void> {
    const { outbox, stats } = this.deps;
    const client = {
      postStatements: async (body: string) => {
        const started = performance.now();
        try {
          const outcome = await this.deps.client.postStatements(body);
          stats.observeOutcome(causeOf(outcome));
          return outcome;
        } finally {
          stats.observeRequest((performance.now() - started) / 1000);
        }
      },
    };
    while (!this.stopping && summary.stoppedBy === undefined) {
      const rows = await outbox.claim(this.owner, this.batchSize, this.deps.leaseSeconds);
      if (rows.length === 0) return;
      // Another worker was told to pause while this claim ran: the rows wait for the next flush.
      if (summary.stoppedBy !== undefined) return outbox.release(this.owner, rows);
      summary.batches += 1;
      let delivery;
      try {
        delivery = await deliverRows(client, rows);
      } catch (err) {
        await outbox.release(this.owner, rows);
        if (err instanceof LrsMisconfiguredError) summary.stoppedBy = err.message;
        throw err;
      }
      summary.requests += delivery.requests;
      if (delivery.acceptedBatchSize !== undefined && delivery.acceptedBatchSize < this.batchSize) {
        this.deps.logger.warn({ from: this.batchSize, to: delivery.acceptedBatchSize }, 'LRS refused a batch as too large; sending smaller batches');
        this.batchSize = delivery.acceptedBatchSize;
      }
      for (const { rows: group, settlement } of delivery.groups) {
        await outbox.settle(this.owner, group, settlement);
        const key = settlement.state === 'retry' ? 'retried' : settlement.state;
        summary[key] += group.length;
        stats.settled[key] += group.length;
        if (settlement.state === 'dead' || settlement.state === 'conflict') {
          this.deps.logger.warn({ state: settlement.state, count: group.length, reason: settlement.reason }, 'LRS refused statements');
        } else if (settlement.state === 'retry') {
          // The LRS is unwell: leave the rest of the outbox alone until the next flush.
          summary.stoppedBy = settlement.reason;
          this.deps.logger.warn({ reason: settlement.reason, count: group.length }, 'delivery will be retried');
        }
      }
    }
  }
}

/** The cause a POST's outcome counts under in the stats; a stored batch has none. */
function causeOf(outcome: PostOutcome): FlushCause | undefined {
  switch (outcome.kind) {
    case 'stored':
      return undefined;
    case 'conflict':
      return 'conflict';
    case 'rejected':
      return 'refused-batch';
    case 'too-large':
      return 'too-large';
    case 'misconfigured':
    case 'retry':
      return outcome.cause;
  }
}
