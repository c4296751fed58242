/**
 * A queue of items fed by a pull and drained by the runner, for sources that
 * are fetched rather than read as a stream (API pulls with several requests in flight).
 * Producers `put` and wait while more than `highWater` items are unread, so a fast API
 * cannot fill memory ahead of a slow database (DESIGN.md invariant 5).
 */
import type { ImportItem } from '../lrs/import-run.js';

/** A bounded queue between producers that put and one reader that iterates. */
export class ItemQueue<T = ImportItem> implements AsyncIterable<T> {
  #items: T[] = [];
  #closed = false;
  #failure: unknown;
  #wakeReader: (() => void) | undefined;
  #waitingWriters: (() => void)[] = [];

  constructor(private readonly highWater = 10_000) {}

  /** Adds items; resolves once the unread items are at most `highWater`. Throws when the reader failed. */
  async put(items: T[]): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#closed) throw new RangeError('the item queue is closed');
    this.#items.push(...items);
    this.#wakeReader?.();
    while (this.#items.length > this.highWater && this.#failure === undefined) {
      await new Promise<void>((resolve) => this.#waitingWriters.push(resolve));
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** No more items: the reader ends once it has read the rest. */
  close(): void {
    this.#closed = true;
    this.#wakeReader?.();
  }

  /** The reader stopped with `err`: writers waiting or to come get it instead of waiting forever. */
  fail(err: unknown): void {
    this.#failure = err;
    this.#releaseWriters();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const batch = this.#items;
      this.#items = [];
      this.#releaseWriters();
      yield* batch;
      if (this.#items.length > 0) continue;
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#wakeReader = resolve));
      this.#wakeReader = undefined;
    }
  }

  #releaseWriters(): void {
    const writers = this.#waitingWriters;
    this.#waitingWriters = [];
    for (const wake of writers) wake();
  }
}
