import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { LrsClient } from '../../src/lrs/client.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Flusher } from '../../src/lrs/flusher.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';
import { makeStatements } from '../support/statements.js';

const DAY_MS = 86_400_000;

describe.each(DATABASE_KINDS)('purge of sent outbox rows on %s', (kind) => {
  let t: TestDatabase;
  let outbox: Outbox;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    outbox = new Outbox(t.database, { baseMs: 1000, maxMs: 60_000, maxAttempts: 5 });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await t.drop();
  });

  /** Puts the row of `id` in `state`, settled at `settledAt` (null: never settled). */
  const place = (id: string, state: string, settledAt: string | null) =>
    t.database.query('UPDATE statement_outbox SET state = $2, settled_at = $3 WHERE id = $1', [id, state, settledAt]);

  async function remaining(): Promise<string[]> {
    const { rows } = await t.database.query<{ source: string }>('SELECT source FROM statement_outbox ORDER BY source');
    return rows.map((r) => r.source);
  }

  it('removes only sent rows settled before the given instant and keeps pending, dead, conflict and newer sent rows', async () => {
    const rows: [string, string, string | null][] = [
      ['old-sent', 'sent', '2026-01-10T00:00:00Z'],
      ['older-sent', 'sent', '2025-06-01T00:00:00Z'],
      ['boundary-sent', 'sent', '2026-01-15T00:00:00Z'],
      ['new-sent', 'sent', '2026-01-20T00:00:00Z'],
      ['old-dead', 'dead', '2026-01-01T00:00:00Z'],
      ['old-conflict', 'conflict', '2026-01-01T00:00:00Z'],
      ['pending', 'pending', null],
    ];
    for (const [source, state, settledAt] of rows) {
      const [statement] = makeStatements(1, source);
      await outbox.enqueue([statement!], source);
      await place(statement!.id, state, settledAt);
    }

    expect(await outbox.purgeSent(new Date('2026-01-15T00:00:00Z'))).toBe(2);
    expect(await remaining()).toEqual(['boundary-sent', 'new-sent', 'old-conflict', 'old-dead', 'pending']);
    expect(await outbox.purgeSent(new Date('2026-01-15T00:00:00Z'))).toBe(0);
  });

  describe('after a flush', () => {
    let lrs: RunningLrs;
    beforeEach(async () => {
      lrs = await startEmbeddedLrs(t.database);
    });
    afterEach(() => lrs.close());

    const flusher = (keepSentDays?: number) =>
      new Flusher({
        outbox,
        client: new LrsClient({ endpoint: lrs.endpoint, ...LRS_USER, timeoutMs: 10_000 }),
        stats: new DeliveryStats(),
        logger: pino({ level: 'silent' }),
        batchSize: 100,
        leaseSeconds: 30,
        ...(keepSentDays !== undefined && { keepSentDays }),
      });

    /** The database's clock, from which the flusher's injected clock is set. */
    async function databaseNow(): Promise<number> {
      const { rows: [row] } = await t.database.query<{ now: Date }>('SELECT now() AS now');
      return row!.now.getTime();
    }

    it('the flusher purges sent rows older than keepSentDays, as its clock says, and keeps the rest', async () => {
      await outbox.enqueue(makeStatements(5, 'kept-days'), 'test');
      expect((await flusher(7).flushUntilIdle()).sent).toBe(5);
      const settled = await databaseNow();
      await outbox.enqueue(makeStatements(2, 'still-pending'), 'later');
      // The new rows are not due for a year: the next flushes only purge.
      await t.database.query("UPDATE statement_outbox SET next_attempt_at = now() + interval '365 days' WHERE state = 'pending'");

      // Only Date is faked: sockets and the database keep their own timers.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(settled + 6 * DAY_MS);
      await flusher(7).flushUntilIdle();
      expect((await outbox.status()).counts).toMatchObject({ sent: 5, pending: 2 });

      vi.setSystemTime(settled + 8 * DAY_MS);
      await flusher(7).flushUntilIdle();
      expect((await outbox.status()).counts).toMatchObject({ sent: 0, pending: 2 });
    });

    it('the flusher keeps sent rows when keepSentDays is 0 or unset', async () => {
      await outbox.enqueue(makeStatements(3, 'kept-forever'), 'test');
      await flusher(0).flushUntilIdle();
      const settled = await databaseNow();
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(settled + 3650 * DAY_MS);
      await flusher(0).flushUntilIdle();
      await flusher().flushUntilIdle();
      expect((await outbox.status()).counts.sent).toBe(3);
    });
  });
});
