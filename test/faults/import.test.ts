/**
 * Faults of imports: an import killed with SIGKILL mid-run and run again, and two
 * importers of one file at once on PostgreSQL. Every statement of the source must be in
 * the outbox once, whatever was committed before the kill.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { childDatabase, type ChildDatabase } from '../support/child-database.js';
import { cliSession, runCli, spawnCli } from '../support/cli.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LMS, ndjson, playVideo, SECRET } from '../support/edx-events.js';
import { makeStatements } from '../support/statements.js';
import { until } from '../support/until.js';
import { faultScenario, storedCounts } from './fault-table.js';

/** Statements per enqueue of an import (runImport's default): what one commit holds. */
const CHUNK = 5000;

describe.each(DATABASE_KINDS)('import faults on %s', (kind) => {
  let t: TestDatabase;
  let location: ChildDatabase;
  let dir: string;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    location = await childDatabase(kind, t);
    dir = await mkdtemp(join(tmpdir(), 'xgw-faults-import-'));
    // A PGlite DATA_DIR is a migrated database loaded from a dump: slow on a busy machine.
  }, 120_000);
  afterEach(async () => {
    await location.cleanup();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every statement once when an import killed with SIGKILL mid-run is run again', async ({ task }) => {
    const f = faultScenario(task, 'kill -9 import mid-run, run again', kind);
    const statements = makeStatements(12_000, 'import-killed');
    const lines = ndjson(statements);
    const file = join(dir, 'statements.ndjson');
    await writeFile(file, lines);

    // The import reads standard input, which stays open: it cannot finish, so the kill
    // lands mid-run by construction, after it read more than one chunk.
    const child = spawnCli(['import', 'xapi', '-'], location.env, { stdin: true });
    const exited = once(child, 'exit');
    const firstPart = ndjson(statements.slice(0, CHUNK + 2000));
    if (!child.stdin!.write(firstPart)) await once(child.stdin!, 'drain');
    try {
      if (kind === 'postgres') {
        // On PostgreSQL the test can look while the child runs: kill right after the first commit.
        await until(async () => ((await storedCounts(t.database)).outbox.pending === CHUNK || undefined), { attempts: 600 });
      }
    } finally {
      child.kill('SIGKILL');
    }
    await exited;
    child.stdin!.destroy();

    // The checks and the run again share one open of the database, as a session of commands.
    const session = cliSession(location.env);
    onTestFinished(() => session.close());
    const db = await session.database();
    const afterKill = await storedCounts(db);
    // A chunk is one transaction: whole chunks or none, never a part.
    f.count('outbox rows after the kill', kind === 'postgres' ? CHUNK : [0, CHUNK], afterKill.outbox.pending);
    f.count('import runs not finished after the kill', 1, (afterKill.runs.running ?? 0) + (afterKill.runs.interrupted ?? 0));

    const rerun = await session.run(['import', 'xapi', file, '--json']);
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { added: number; known: number; rejected: number };
    f.count('rerun: added', statements.length - afterKill.outbox.pending, summary.added);
    f.count('rerun: known', afterKill.outbox.pending, summary.known);

    const after = {
      ...(await storedCounts(db)),
      sourceIds: (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM statement_outbox WHERE id = ANY($1::uuid[])`, [statements.map((s) => s.id)])).rows[0]!.n,
    };
    f.count('outbox rows', statements.length, after.outbox.pending);
    f.count('source statements in the outbox', statements.length, after.sourceIds);
    f.count('rejected records', 0, after.rejected);
    f.count('import runs finished', 1, after.runs.finished ?? 0);
    await session.close();
    f.check();
  });

  it.skipIf(kind === 'pglite')('keeps every statement once when two processes import one edX log at once', async ({ task }) => {
    const f = faultScenario(task, 'two importers of one file at once', kind);
    const events = Array.from({ length: 3000 }, (_, i) => playVideo(i % 97, i));
    const file = join(dir, 'tracking.log');
    await writeFile(file, ndjson(events));
    const env = { ...location.env, PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS };
    const runs = await Promise.all([runCli(['import', 'edx', file, '--json'], env), runCli(['import', 'edx', file, '--json'], env)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const [a, b] = runs.map((r) => JSON.parse(r.stdout) as { added: number; known: number });
    f.count('added by importer A + importer B', events.length, a!.added + b!.added);
    f.count('known to importer A + importer B', events.length, a!.known + b!.known);
    const after = await storedCounts(t.database);
    f.count('outbox rows', events.length, after.outbox.pending);
    f.count('rejected records', 0, after.rejected);
    f.count('import runs finished', 2, after.runs.finished ?? 0);
    f.check();
  });
});
