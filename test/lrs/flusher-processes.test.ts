import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { runMigrations } from '../../src/db/migrate.js';
import { LrsClient } from '../../src/lrs/client.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { allStatements } from '../../src/lrs/statement-query.js';
import { LrsProxy } from '../fakes/lrs-proxy.js';
import { runCli, spawnCli } from '../support/cli.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';
import { makeStatements } from '../support/statements.js';

const policy = { baseMs: 10, maxMs: 100, maxAttempts: 10 };

/**
 * The outbox a child process can open: the PostgreSQL test database itself, or a PGlite
 * folder that only one process at a time may open (its lock refuses a second).
 */
async function outboxLocation(kind: 'pglite' | 'postgres', t: TestDatabase): Promise<{ env: Record<string, string>; open(): Promise<Database>; cleanup(): Promise<void> }> {
  if (kind === 'postgres') {
    return { env: { DATABASE_URL: t.url! }, open: () => openDatabase({ url: t.url! }), cleanup: async () => undefined };
  }
  const dir = await mkdtemp(join(tmpdir(), 'xgw-outbox-'));
  const open = async () => openDatabase({ dataDir: dir });
  const db = await open();
  await runMigrations(db);
  await db.close();
  return { env: { DATA_DIR: dir }, open, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

describe.each(DATABASE_KINDS)('flusher processes on %s', (kind) => {
  let t: TestDatabase;
  let lrs: RunningLrs;
  let proxy: LrsProxy;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    lrs = await startEmbeddedLrs(t.database);
    proxy = await LrsProxy.start(lrs.origin);
  });
  afterEach(async () => {
    await proxy.close();
    await lrs.close();
    await t.drop();
  });

  const lrsEnv = () => ({ LRS_ENDPOINT: proxy.endpoint, LRS_USERNAME: LRS_USER.username, LRS_PASSWORD: LRS_USER.password, LRS_BATCH_SIZE: '100', RETRY_BASE_MS: '10', RETRY_MAX_MS: '100' });

  async function lrsIds(): Promise<string[]> {
    const client = new LrsClient({ endpoint: lrs.endpoint, ...LRS_USER, timeoutMs: 10_000 });
    const ids: string[] = [];
    for await (const s of allStatements(client, { limit: 500 })) ids.push(s.id!);
    return ids;
  }

  it('delivers the rest once the lease expires after a flusher was killed with SIGKILL mid-delivery', async () => {
    const location = await outboxLocation(kind, t);
    const statements = makeStatements(1000, 'killed');
    const db = await location.open();
    await new Outbox(db, policy).enqueue(statements, 'test');
    await db.close();

    // The LRS stores the 4th batch, but its reply never reaches the flusher.
    proxy.mode = { kind: 'hold-reply', after: 3 };
    // The lease is long enough for the next flusher process to start and look, even
    // on a machine busy with other tests.
    const child = spawnCli(['flush'], { ...location.env, ...lrsEnv(), OUTBOX_LEASE_SECONDS: '12' });
    await proxy.waitForHeld();
    const leaseEnds = Date.now() + 12_000;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    proxy.mode = { kind: 'forward' };
    proxy.release();
    const sentBeforeKill = proxy.forwardedIds.length;
    expect(sentBeforeKill).toBeGreaterThanOrEqual(400);
    expect(sentBeforeKill).toBeLessThan(1000);

    // Right away, the killed flusher's leased rows are not claimed by anyone.
    const early = await runCli(['flush'], { ...location.env, ...lrsEnv() });
    expect(early.code).toBe(0);
    const pendingAfterEarly = await (async () => {
      const d = await location.open();
      const status = await new Outbox(d, policy).status();
      await d.close();
      return status.counts.pending;
    })();
    expect(pendingAfterEarly).toBeGreaterThan(0);

    await new Promise((resolve) => setTimeout(resolve, leaseEnds - Date.now() + 200));
    const late = await runCli(['flush'], { ...location.env, ...lrsEnv() });
    expect(late.code).toBe(0);
    const d = await location.open();
    const status = await new Outbox(d, policy).status();
    await d.close();
    await location.cleanup();
    expect(status.counts).toMatchObject({ pending: 0, sent: 1000, dead: 0, conflict: 0 });

    // The batch whose reply was lost went out twice; the LRS holds it once.
    expect(proxy.forwardedIds.length).toBeGreaterThan(1000);
    const ids = await lrsIds();
    expect(ids).toHaveLength(1000);
    expect(new Set(ids)).toEqual(new Set(statements.map((s) => s.id)));
  });

  it.skipIf(kind === 'pglite')('sends each statement once when two flusher processes share one PostgreSQL outbox', async () => {
    const statements = makeStatements(6000, 'shared');
    await new Outbox(t.database, policy).enqueue(statements, 'test');
    proxy.mode = { kind: 'forward', delayMs: 25 };
    const env = { DATABASE_URL: t.url!, ...lrsEnv() };
    const [a, b] = await Promise.all([runCli(['flush'], env), runCli(['flush'], env)]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const sentA = (JSON.parse(a.stdout) as { sent: number }).sent;
    const sentB = (JSON.parse(b.stdout) as { sent: number }).sent;
    expect(sentA + sentB).toBe(6000);
    expect(sentA).toBeGreaterThan(0);
    expect(sentB).toBeGreaterThan(0);
    // No statement crossed the wire twice.
    expect(proxy.forwardedIds).toHaveLength(6000);
    expect(new Set(proxy.forwardedIds).size).toBe(6000);
    expect(await lrsIds()).toHaveLength(6000);
  });
});
