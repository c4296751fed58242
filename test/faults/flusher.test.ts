/**
 * Faults of delivery by flusher processes: one killed with SIGKILL mid-delivery, and two
 * sharing one PostgreSQL outbox. The LRS must hold every statement once either way.
 */
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { Outbox } from '../../src/lrs/outbox.js';
import { LrsProxy } from '../fakes/lrs-proxy.js';
import { childDatabase, withDatabase } from '../support/child-database.js';
import { cliSession, runCli, spawnCli } from '../support/cli.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LRS_USER, startEmbeddedLrs, storedIds, type RunningLrs } from '../support/embedded-lrs.js';
import { makeStatements } from '../support/statements.js';
import { faultScenario, storedCounts } from './fault-table.js';

const policy = { baseMs: 10, maxMs: 100, maxAttempts: 10 };

describe.each(DATABASE_KINDS)('flusher faults on %s', (kind) => {
  let t: TestDatabase;
  let lrs: RunningLrs;
  let proxy: LrsProxy;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    lrs = await startEmbeddedLrs(t.database);
    proxy = await LrsProxy.start(lrs.origin);
  }, 120_000);
  afterEach(async () => {
    await proxy.close();
    await lrs.close();
    await t.drop();
  });

  const lrsEnv = () => ({ LRS_ENDPOINT: proxy.endpoint, LRS_USERNAME: LRS_USER.username, LRS_PASSWORD: LRS_USER.password, LRS_BATCH_SIZE: '100', RETRY_BASE_MS: '10', RETRY_MAX_MS: '100' });

  it('delivers the rest once the lease expires after a flusher was killed with SIGKILL mid-delivery', async ({ task }) => {
    const f = faultScenario(task, 'kill -9 flusher mid-delivery, flush again', kind);
    const location = await childDatabase(kind, t);
    onTestFinished(() => location.cleanup());
    const statements = makeStatements(1000, 'killed');
    await withDatabase(location, (db) => new Outbox(db, policy).enqueue(statements, 'test'));

    // The LRS stores the 4th batch, but its reply never reaches the flusher.
    proxy.mode = { kind: 'hold-reply', after: 3 };
    // A lease far longer than the test: its end is brought forward below instead of waited for.
    const child = spawnCli(['flush'], { ...location.env, ...lrsEnv(), OUTBOX_LEASE_SECONDS: '600' });
    await proxy.waitForHeld();
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // What the killed flusher had sent is stored, held or failed before it is counted.
    await proxy.settled();
    proxy.mode = { kind: 'forward' };
    proxy.release();
    const sentBeforeKill = proxy.forwardedIds.length;
    expect(sentBeforeKill).toBeGreaterThanOrEqual(400);
    expect(sentBeforeKill).toBeLessThan(1000);

    // Right away, the killed flusher's leased rows are not claimed by anyone. The commands
    // and the checks below share one open of the database, as a session of commands.
    const session = cliSession({ ...location.env, ...lrsEnv() });
    onTestFinished(() => session.close());
    const early = await session.run(['flush']);
    expect(early.code).toBe(0);
    const db = await session.database();
    const leased = `SELECT count(*)::int AS n FROM statement_outbox WHERE state = 'pending' AND lease_expires_at > now()`;
    const { pending } = (await storedCounts(db)).outbox;
    expect(pending).toBeGreaterThan(0);
    expect((await db.query<{ n: number }>(leased)).rows[0]!.n).toBe(pending);
    // The lease runs out: as if its 600 s had passed.
    await db.query(`UPDATE statement_outbox SET lease_expires_at = now() WHERE lease_expires_at > now()`);
    const late = await session.run(['flush']);
    expect(late.code).toBe(0);
    const { outbox } = await storedCounts(db);
    await session.close();
    for (const state of ['sent', 'pending', 'dead', 'conflict'] as const) f.count(`outbox ${state}`, state === 'sent' ? 1000 : 0, outbox[state]);

    // The batch whose reply was lost went out twice; the LRS holds it once.
    const ids = await storedIds(lrs.endpoint);
    f.count('statements in the LRS', 1000, ids.length);
    f.count('of the source, in the LRS', 1000, statements.filter((s) => ids.includes(s.id)).length);
    f.check();
    expect(proxy.forwardedIds.length).toBeGreaterThan(1000);
  });

  it.skipIf(kind === 'pglite')('sends each statement once when two flusher processes share one PostgreSQL outbox', async ({ task }) => {
    const f = faultScenario(task, 'two flushers at once', kind);
    const statements = makeStatements(6000, 'shared');
    await new Outbox(t.database, policy).enqueue(statements, 'test');
    proxy.mode = { kind: 'forward', delayMs: 25 };
    const env = { DATABASE_URL: t.url!, ...lrsEnv() };
    const [a, b] = await Promise.all([runCli(['flush', '--json'], env), runCli(['flush', '--json'], env)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const sentA = (JSON.parse(a.stdout) as { sent: number }).sent;
    const sentB = (JSON.parse(b.stdout) as { sent: number }).sent;
    f.count('sent by flusher A + flusher B', 6000, sentA + sentB);
    // No statement crossed the wire twice.
    f.count('statements POSTed to the LRS', 6000, proxy.forwardedIds.length);
    f.count('distinct statements POSTed', 6000, new Set(proxy.forwardedIds).size);
    f.count('statements in the LRS', 6000, (await storedIds(lrs.endpoint)).length);
    f.count('outbox sent', 6000, (await storedCounts(t.database)).outbox.sent);
    f.check();
    expect(sentA).toBeGreaterThan(0);
    expect(sentB).toBeGreaterThan(0);
  });
});
