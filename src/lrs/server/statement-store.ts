/**
 * The write side of the embedded LRS: PUT and POST /statements (Communication §2.1.1,
 * §2.1.2). A batch is prepared whole (statement-prepare.ts) and written in one
 * transaction (statement-insert.ts), with its attachment data and the canonical
 * definitions of its Activities. Either the whole batch is stored or nothing of it
 * (Communication §3.2.s3.b9).
 */
import type { Database } from '../../db/connection.js';
import { writeBatch } from './statement-insert.js';
import { prepareBatch, type StoreOptions } from './statement-prepare.js';

export type { StoreOptions } from './statement-prepare.js';

/** The ids of the batch in order, and how many were new or already stored with the same content. */
export interface StoreResult {
  ids: string[];
  added: number;
  known: number;
}

/** Stores statements in the `lrs_*` tables of one database. */
export class StatementStore {
  /** `stored` times of the batches being written by this process, for Consistent-Through. */
  private readonly inFlight = new Map<symbol, number>();

  /** `now` gives the `stored` time of each batch, in epoch milliseconds. */
  constructor(
    private readonly database: Database,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Validates and stores a batch; a statement already stored under its id is accepted
   * when it is the same statement (Data §2.3.1) and is then left untouched.
   * Throws a coded error `invalid` (bad statement, repeated ids, PUT id mismatch, attachment data missing
   * or unclaimed, malformed signature, voiding a voiding statement) or `conflict` (a different
   * statement has that id); in both cases nothing of the batch is stored.
   * @example await store.store([statement], { authority: { account: { homePage: 'urn:xapi-gateway', name: 'flusher' } } })
   */
  async store(statements: readonly unknown[], opts: StoreOptions): Promise<StoreResult> {
    const prepared = prepareBatch(statements, opts, new Date(this.now()).toISOString());
    if (prepared.length === 0) return { ids: [], added: 0, known: 0 };
    const storedAt = prepared[0]!.full.stored!;
    const token = Symbol('batch');
    this.inFlight.set(token, Date.parse(storedAt));
    try {
      const inserted = await this.database.transaction((session) =>
        writeBatch(session, prepared, storedAt, opts.authority, opts.payloads),
      );
      return { ids: prepared.map((p) => p.full.id!), added: inserted, known: prepared.length - inserted };
    } finally {
      this.inFlight.delete(token);
    }
  }

  /**
   * The instant up to which every statement this process stores is readable
   * (Communication §2.1.3.s2.b5): just before the oldest batch still being written, and
   * at most the millisecond before now, since a batch starting later in this very
   * millisecond gets it as `stored`. Other instances on the same PostgreSQL are not
   * seen; their batches commit within the time of one transaction.
   */
  consistentThrough(): Date {
    let through = this.now() - 1;
    for (const at of this.inFlight.values()) through = Math.min(through, at - 1);
    return new Date(through);
  }
}
