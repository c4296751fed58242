import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { runMigrations } from '../../src/db/migrate.js';
import { endLiveRun, startLiveRun, sweepInterruptedRuns } from '../../src/lrs/import-run-sweep.js';
import { runImport, type ImportItem, type ImportResult } from '../../src/lrs/import-run.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { startService } from '../../src/service.js';
import { spawnCli } from '../support/cli.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { makeStatements } from '../support/statements.js';
import { until } from '../support/until.js';

const policy = { baseMs: 10, maxMs: 100, maxAttempts: 5 };

async function statuses(database: Database): Promise<string[]> {
  return (await database.query<{ status: string }>('SELECT status FROM import_runs ORDER BY id')).rows.map((r) => r.status);
}

/** A run whose items wait at a gate: `started` resolves once it reads, `open` lets it end. */
function heldRun(database: Database): { started: Promise<void>; open(): void; done: Promise<ImportResult> } {
  let started!: () => void;
  let open!: () => void;
  const startedP = new Promise<void>((resolve) => (started = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  async function* items(): AsyncGenerator<ImportItem> {
    started();
    await gate;
  }
  const done = runImport(items(), { database, outbox: new Outbox(database, policy), source: 'test', input: 'held' });
  return { started: startedP, open, done };
}

describe.each(DATABASE_KINDS)('interrupted import runs on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(kind);
  });
  afterEach(() => t.drop());

  it('marks a run left running by a gone process interrupted at the next run, which finishes', async () => {
    await t.database.query(`INSERT INTO import_runs (source, input) VALUES ('xapi', 'killed.ndjson')`);
    await runImport([], { database: t.database, outbox: new Outbox(t.database, policy), source: 'test', input: 'next' });
    expect(await statuses(t.database)).toEqual(['interrupted', 'finished']);
    const { rows } = await t.database.query<{ error: string; ended: boolean }>(`SELECT error, ended_at IS NOT NULL AS ended FROM import_runs WHERE status = 'interrupted'`);
    expect(rows).toEqual([{ error: expect.stringMatching(/^interrupted: /), ended: true }]);
  });

  it('leaves a run that is live in this process alone', async () => {
    const held = heldRun(t.database);
    await held.started;
    await runImport([], { database: t.database, outbox: new Outbox(t.database, policy), source: 'test', input: 'next' });
    expect(await sweepInterruptedRuns(t.database)).toBe(0);
    expect(await statuses(t.database)).toEqual(['running', 'finished']);
    held.open();
    await held.done;
    expect(await statuses(t.database)).toEqual(['finished', 'finished']);
  });
});

describe.runIf(DATABASE_KINDS.includes('postgres'))('interrupted import runs across PostgreSQL instances', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase('postgres');
  });
  afterEach(() => t.drop());

  it('leaves a live run of another instance alone', async () => {
    const other = await openDatabase({ url: t.url! });
    try {
      const held = heldRun(other);
      await held.started;
      expect(await sweepInterruptedRuns(t.database)).toBe(0);
      expect(await statuses(t.database)).toEqual(['running']);
      held.open();
      await held.done;
      expect(await statuses(t.database)).toEqual(['finished']);
    } finally {
      await other.close();
    }
  });

  it('holds a run before its row can be seen: a sweep of another instance as the row is written leaves it alone', async () => {
    const other = await openDatabase({ url: t.url! });
    try {
      const runId = await startLiveRun(t.database, async (id) => {
        await t.database.query(`INSERT INTO import_runs (id, source) VALUES ($1, 'test')`, [id]);
        expect(await sweepInterruptedRuns(other)).toBe(0);
      });
      expect(await statuses(t.database)).toEqual(['running']);
      await t.database.query(`UPDATE import_runs SET status = 'finished' WHERE id = $1`, [runId]);
      await endLiveRun(t.database, runId);
      expect(await sweepInterruptedRuns(other)).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('marks the run of an import killed with SIGKILL interrupted', { timeout: 120_000 }, async () => {
    const child = spawnCli(['import', 'xapi', '-'], { DATABASE_URL: t.url! }, { stdin: true });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.stdin!.write(`${JSON.stringify(makeStatements(1, 'killed')[0])}\n`);
    await until(async () => ((await statuses(t.database)).length === 1 ? true : undefined), { attempts: 300 });
    // Alive, its run is not touched; killed, it is.
    expect(await sweepInterruptedRuns(t.database)).toBe(0);
    child.kill('SIGKILL');
    await exited;
    // The server notices the closed connection (and frees its locks) a moment later.
    await until(async () => ((await sweepInterruptedRuns(t.database)) === 1 ? true : undefined), { attempts: 300 });
    expect(await statuses(t.database)).toEqual(['interrupted']);
  });
});

describe('interrupted import runs at service start on the embedded database', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-sweep-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('marks every run left running interrupted when the service starts', async () => {
    const database = await openDatabase({ dataDir: dir });
    await runMigrations(database);
    await database.query(`INSERT INTO import_runs (source, input) VALUES ('edx', 'a.log'), ('xapi', 'b.ndjson')`);
    await database.close();
    const service = await startService(loadConfig({ PORT: '0', DATA_DIR: dir, LRS_USERS: 'ops:ops-password-of-16', FLUSH_CRON: '0 0 1 1 *' }), pino({ level: 'silent' }));
    try {
      expect(await statuses(service.database)).toEqual(['interrupted', 'interrupted']);
    } finally {
      await service.stop();
    }
  });
});
