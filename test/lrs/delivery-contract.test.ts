/**
 * The delivery contract: the same cases against the embedded LRS in-process (its
 * statement store and `EmbeddedStatementQuery`) and over HTTP through `LrsClient` on
 * an ephemeral port, on every database kind. Faults only a network can make (refused
 * connections, 429/503 with Retry-After, 413, 204, 401) are in delivery.test.ts,
 * which runs over HTTP through a proxy only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Database } from '../../src/db/connection.js';
import { isCoded } from '../../src/errors.js';
import { LrsClient, type PostOutcome } from '../../src/lrs/client.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Flusher } from '../../src/lrs/flusher.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { authorityOf } from '../../src/lrs/server/basic-auth.js';
import { EmbeddedStatementQuery } from '../../src/lrs/server/statement-reader.js';
import { StatementStore } from '../../src/lrs/server/statement-store.js';
import { allStatements, type StatementQuery } from '../../src/lrs/statement-query.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LRS_USER, startEmbeddedLrs } from '../support/embedded-lrs.js';
import { makeStatement, makeStatements } from '../support/statements.js';

/** An LRS as the flusher and the reports see it: its write side, its read side. */
interface Target {
  lrs: Pick<LrsClient, 'postStatements'>;
  query: StatementQuery;
  close(): Promise<void>;
}

/**
 * The embedded store answering as the LRS client classifies replies: a coded `invalid`
 * is the 400, `conflict` the 409, and anything else (the database away) a retry, as
 * the route's 5xx would be.
 */
function inProcess(database: Database): Target {
  const store = new StatementStore(database);
  return {
    lrs: {
      async postStatements(body: string): Promise<PostOutcome> {
        try {
          await store.store(JSON.parse(body) as unknown[], { authority: authorityOf(LRS_USER.username) });
          return { kind: 'stored' };
        } catch (err) {
          if (isCoded(err, 'invalid')) return { kind: 'rejected', detail: `400 ${err.message}` };
          if (isCoded(err, 'conflict')) return { kind: 'conflict', detail: `409 ${err.message}` };
          return { kind: 'retry', detail: `LRS answered 500: ${err instanceof Error ? err.name : 'error'}`, cause: 'server-error' };
        }
      },
    },
    query: new EmbeddedStatementQuery(database),
    close: async () => undefined,
  };
}

async function overHttp(database: Database): Promise<Target> {
  const running = await startEmbeddedLrs(database);
  const client = new LrsClient({ endpoint: running.endpoint, ...LRS_USER, timeoutMs: 10_000 });
  return { lrs: client, query: client, close: () => running.close() };
}

const TARGETS: [string, (database: Database) => Promise<Target>][] = [
  ['in-process', async (database) => inProcess(database)],
  ['over HTTP', overHttp],
];

const silent = pino({ level: 'silent' });

describe.each(DATABASE_KINDS)('delivery contract on %s', (kind) => {
  describe.each(TARGETS)('to the embedded LRS %s', (_target, open) => {
    let t: TestDatabase;
    let target: Target;
    let outbox: Outbox;
    beforeEach(async () => {
      t = await freshDatabase(kind);
      target = await open(t.database);
      outbox = new Outbox(t.database, { baseMs: 20, maxMs: 200, maxAttempts: 10 });
    });
    afterEach(async () => {
      await target.close();
      await t.drop();
    });

    const flusher = (on = outbox, concurrency?: number) =>
      new Flusher({ outbox: on, client: target.lrs, stats: new DeliveryStats(), logger: silent, batchSize: 500, leaseSeconds: 30, ...(concurrency && { concurrency }) });

    async function lrsIds(): Promise<string[]> {
      const ids: string[] = [];
      for await (const s of allStatements(target.query, { limit: 200 })) ids.push(s.id!);
      return ids;
    }

    it('stores every statement once and reads each back by id', async () => {
      const statements = makeStatements(30, 'stored');
      await outbox.enqueue(statements, 'test');
      // One sender, so that the 30 are one batch and one request (two may split them).
      expect(await flusher(outbox, 1).flushUntilIdle()).toMatchObject({ sent: 30, conflict: 0, dead: 0, requests: 1 });
      expect(new Set(await lrsIds())).toEqual(new Set(statements.map((s) => s.id)));
      expect((await target.query.get(statements[4]!.id))?.verb).toEqual(statements[4]!.verb);
      expect((await outbox.status()).counts).toMatchObject({ pending: 0, sent: 30 });
    });

    it('isolates the one invalid statement of a batch of 500 as dead and delivers the other 499', async () => {
      const statements = makeStatements(500, 'one-bad');
      statements[250] = { ...statements[250]!, verb: { id: 'not an IRI' } };
      await outbox.enqueue(statements, 'test');
      // One sender, so that the 500 are one batch (two may split them, as SKIP LOCKED lets them).
      const summary = await flusher(outbox, 1).flushUntilIdle();
      expect(summary).toMatchObject({ sent: 499, dead: 1, conflict: 0 });
      // Halving isolates one statement among 500 in about 2·log2(500) requests.
      expect(summary.requests).toBeLessThanOrEqual(19);
      const [dead] = await outbox.failed();
      expect(dead).toMatchObject({ id: statements[250]!.id, state: 'dead' });
      expect(dead!.reason).toMatch(/^400 .*verb\.id/);
      expect(await lrsIds()).toHaveLength(499);

      // After a fix (here: none), requeue puts the dead row back to pending.
      expect(await outbox.requeue()).toBe(1);
      expect((await outbox.status()).counts).toMatchObject({ pending: 1, dead: 0, sent: 499 });
    });

    it('marks a statement conflict when the LRS holds another statement with its id, and delivers the rest', async () => {
      const statements = makeStatements(20, 'conflict');
      const taken = { ...makeStatement('conflict-7', 999), id: statements[7]!.id };
      expect(await target.lrs.postStatements(JSON.stringify([taken]))).toEqual({ kind: 'stored' });

      await outbox.enqueue(statements, 'test');
      const summary = await flusher().flushUntilIdle();
      expect(summary).toMatchObject({ sent: 19, conflict: 1, dead: 0 });
      const [conflict] = await outbox.failed();
      expect(conflict).toMatchObject({ id: statements[7]!.id, state: 'conflict' });
      expect(conflict!.reason).toMatch(/^409/);
      expect(await lrsIds()).toHaveLength(20);
    });

    it('marks rows dead once their attempts ran out while the LRS failed, and keeps nothing half-stored', async () => {
      const limited = new Outbox(t.database, { baseMs: 1, maxMs: 1, maxAttempts: 2 });
      await limited.enqueue(makeStatements(3, 'doomed'), 'test');
      // The LRS's own table is away: the store fails as a server error, not as bad data.
      await t.database.query('ALTER TABLE lrs_statements RENAME TO lrs_statements_away');
      expect(await flusher(limited).flushUntilIdle()).toMatchObject({ retried: 3, sent: 0 });
      // Rows waiting for their backoff are made due at once: the test does not wait on the clock.
      await t.database.query("UPDATE statement_outbox SET next_attempt_at = now() WHERE state = 'pending'");
      // The flush reports a retry; the outbox turns it into dead as the attempts ran out.
      await flusher(limited).flushUntilIdle();
      expect((await limited.status()).counts).toMatchObject({ dead: 3, pending: 0, sent: 0 });
      expect((await limited.failed())[0]!.reason).toMatch(/^gave up after 2 attempts: LRS answered 5\d\d/);
      await t.database.query('ALTER TABLE lrs_statements_away RENAME TO lrs_statements');
      expect(await lrsIds()).toEqual([]);
    });

    it('adds nothing when the same statements are enqueued again after delivery', async () => {
      const statements = makeStatements(100, 'again');
      await outbox.enqueue(statements, 'test');
      await flusher().flushUntilIdle();
      expect(await outbox.enqueue(statements, 'test')).toEqual({ added: 0, known: 100 });
      expect((await flusher().flushUntilIdle()).batches).toBe(0);
      expect(await lrsIds()).toHaveLength(100);
    });
  });
});
