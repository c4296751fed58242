import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshCliSession } from './support/cli.js';
import { makeStatements } from './support/statements.js';

// The commands of a test share its database, as the commands of one DATA_DIR would (support/cli.ts).
describe('the command line', () => {
  let session: Awaited<ReturnType<typeof freshCliSession>>;
  let dir: string;
  const runCli = (args: string[]) => session.run(args);

  beforeEach(async () => {
    session = await freshCliSession('pglite');
    dir = session.dir;
  });
  afterEach(() => session.close());

  it('imports NDJSON statements, rejects bad lines by file and line, and keeps the good ones', async () => {
    const [a, b, c] = makeStatements(3, 'cli-import');
    const { id: _dropped, ...withoutId } = c!;
    const lines = [
      JSON.stringify(a),
      '{"this is": not json',
      JSON.stringify({ ...b, verb: { id: 'played' } }),
      '',
      JSON.stringify(withoutId),
      '[1, 2]',
    ];
    const file = join(dir, 'statements.ndjson');
    await writeFile(file, `${lines.join('\n')}\n`);

    const run = await runCli(['import', 'xapi', file, '--json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ read: 5, translated: 2, statements: 2, rejected: 3, ignored: 0, added: 2, known: 0 });
    expect(summary.byType.statement).toEqual({ translated: 2, ignored: 0, rejected: 3 });
    expect(summary.errors).toEqual([
      { at: `${file}:2`, reason: expect.stringMatching(/^cannot be read: not JSON/) },
      { at: `${file}:3`, reason: expect.stringMatching(/^statement is not valid xAPI: verb\.id: /) },
      { at: `${file}:6`, reason: 'bad value in (statement): a statement must be a JSON object' },
    ]);

    const again = JSON.parse((await runCli(['import', 'xapi', file, '--json'])).stdout);
    expect(again).toMatchObject({ added: 0, known: 2 });

    const database = await session.database();
    const { rows } = await database.query<{ position: string; code: string; payload: string }>(
      'SELECT position, code, payload FROM rejected_records ORDER BY id LIMIT 3',
    );
    const { rows: runs } = await database.query<{ status: string; counts: { rejected: number } }>('SELECT status, counts FROM import_runs ORDER BY id');
    expect(rows).toEqual([
      { position: `${file}:2`, code: 'unreadable', payload: lines[1] },
      { position: `${file}:3`, code: 'invalid_statement', payload: lines[2] },
      { position: `${file}:6`, code: 'bad_value', payload: lines[5] },
    ]);
    expect(runs.map((r) => [r.status, r.counts.rejected])).toEqual([['finished', 3], ['finished', 3]]);
  });

  it('stops with a one-line reason when the input file does not exist', async () => {
    const run = await runCli(['import', 'xapi', join(dir, 'missing.ndjson')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^xapi-gateway import xapi: .*ENOENT/);
  });

  it('flushes to the embedded LRS, shows the status, and requeues nothing when nothing is dead', async () => {
    const file = join(dir, 'ok.ndjson');
    await writeFile(file, makeStatements(20, 'cli-flush').map((s) => JSON.stringify(s)).join('\n'));
    await runCli(['import', 'xapi', file]);
    const before = JSON.parse((await runCli(['status'])).stdout);
    expect(before.counts).toEqual({ pending: 20, sent: 0, conflict: 0, dead: 0 });
    expect(before.oldestPendingAt).not.toBeNull();

    const flush = await runCli(['flush', '--json']);
    expect(flush.code).toBe(0);
    expect(JSON.parse(flush.stdout)).toMatchObject({ sent: 20, dead: 0, conflict: 0 });

    const after = JSON.parse((await runCli(['status'])).stdout);
    expect(after.counts).toEqual({ pending: 0, sent: 20, conflict: 0, dead: 0 });
    expect(after.failed).toEqual([]);
    expect(JSON.parse((await runCli(['requeue'])).stdout)).toEqual({ requeued: 0 });
  });

  it('lists every command in --help', async () => {
    const help = await runCli(['--help']);
    for (const command of ['serve', 'migrate', 'flush', 'status', 'requeue', 'import']) expect(help.stdout).toContain(command);
  });
});
