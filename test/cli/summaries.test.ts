import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshCliSession } from '../support/cli.js';
import { makeStatements } from '../support/statements.js';

// Each case opens the embedded database a few times: slow on a busy machine.
describe('summaries', { timeout: 180_000 }, () => {
  let dir: string;
  let session: Awaited<ReturnType<typeof freshCliSession>>;

  beforeEach(async () => {
    session = await freshCliSession('pglite');
    dir = session.dir;
  });
  afterEach(() => session.close());

  it('are a short block of the counts that are not zero; --json prints the whole object', async () => {
    const [a, b] = makeStatements(2, 'summary');
    const file = join(dir, 'some-bad.ndjson');
    await writeFile(file, [JSON.stringify(a), '{not json', JSON.stringify(b)].join('\n'));

    const short = await session.run(['import', 'xapi', file]);
    expect(short.code).toBe(0);
    expect(short.stdout).toBe([
      'import run 1: read 3 records: 2 translated into 2 statements (2 new), 1 rejected',
      '  rejected 1 (see: xapi-gateway rejected list --run 1): statement 1',
      `    ${file}:2: cannot be read: not JSON (at character 1)`,
      '',
    ].join('\n'));

    const full = await session.run(['import', 'xapi', file, '--json']);
    expect(full.code).toBe(0);
    expect(JSON.parse(full.stdout)).toEqual({
      runId: 2, read: 3, translated: 2, statements: 2, ignored: 0, rejected: 1, added: 0, known: 2,
      byType: { statement: { translated: 2, ignored: 0, rejected: 1 } },
      errors: [{ at: `${file}:2`, reason: expect.stringMatching(/^cannot be read: not JSON/) }],
    });
  });

  it('exit 1 with the cause when not one record of the input could be read, the summary still printed', async () => {
    const file = join(dir, 'not-statements.ndjson');
    // Statements in shape (the file is taken as xAPI NDJSON), none of them valid.
    const bad = { actor: { mbox: 'not-a-mailto' }, verb: { id: 'not an IRI' }, object: { id: 'also not an IRI' } };
    await writeFile(file, `${JSON.stringify(bad)}\n${JSON.stringify({ ...bad, id: 'not-a-uuid' })}\n`);
    const run = await session.run(['import', 'xapi', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^import run 1: read 2 records: 2 rejected\n/);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      new RegExp(`^xapi-gateway import xapi: no record of the input could be read: all 2 rejected \\(see: xapi-gateway rejected list --run 1\\); first: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: `),
    );
  });
});
