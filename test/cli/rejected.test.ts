import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliSession } from '../support/cli.js';
import { DATABASE_KINDS, freshDatabaseSettings } from '../support/databases.js';
import { LMS, ndjson, playVideo, SECRET } from '../support/edx-events.js';

interface Stored {
  id: number;
  runId: number;
  source: string;
  type: string;
  position: string;
  code: string;
  reason: string;
  payload: string;
}

describe.each(DATABASE_KINDS)('rejected list, show and purge on %s', (kind) => {
  let dir: string;
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let first: string;
  let second: string;
  let session: ReturnType<typeof cliSession>;
  const cli = (...args: string[]) => session.run(args);
  const listed = async (...args: string[]): Promise<Stored[]> => {
    const run = await cli('rejected', 'list', '--json', ...args);
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as Stored[];
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-rejected-'));
    const fresh = await freshDatabaseSettings(kind);
    drop = fresh.drop;
    env = { ...fresh.env, PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS };
    session = cliSession(env);
    first = join(dir, 'tracking-1.log');
    second = join(dir, 'tracking-2.log');
  });
  afterAll(async () => {
    await session.close();
    await drop();
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    expect((await cli('rejected', 'purge', '--all', '--yes')).code).toBe(0);
    // Run 1: a line that is not JSON and a play_video without its time; run 2: one more line not JSON.
    await writeFile(first, `${ndjson([playVideo(1)])}not json\n${JSON.stringify({ ...playVideo(2), time: undefined })}\n`);
    await writeFile(second, `${ndjson([playVideo(3)])}{broken\n`);
    for (const file of [first, second]) expect((await cli('import', 'edx', file)).code).toBe(0);
  });

  it('lists the rejections newest first as a table of id, run, place, code and reason', async () => {
    const run = await cli('rejected', 'list');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+run\s+place\s+code\s+reason$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`${second}:2`);
    expect(lines[1]).toMatch(/unreadable\s+cannot be read: not JSON/);
    expect(lines[3]).toContain(`${first}:2`);
    expect(run.stdout).not.toContain('learner');
  });

  it('filters by run, reason code, source type and importer, and limits', async () => {
    const all = await listed();
    expect(all.map((r) => r.position)).toEqual([`${second}:2`, `${first}:3`, `${first}:2`]);
    const [runOne, runTwo] = [all[2]!.runId, all[0]!.runId];
    expect(runOne).not.toBe(runTwo);
    expect((await listed('--run', String(runOne))).map((r) => r.position)).toEqual([`${first}:3`, `${first}:2`]);
    expect((await listed('--reason', 'missing_field')).map((r) => r.position)).toEqual([`${first}:3`]);
    expect((await listed('--type', 'play_video')).map((r) => r.position)).toEqual([`${first}:3`]);
    expect((await listed('--type', '(unreadable)')).map((r) => r.position)).toEqual([`${second}:2`, `${first}:2`]);
    expect(await listed('--source', 'coursera')).toEqual([]);
    expect((await listed('--limit', '1')).map((r) => r.position)).toEqual([`${second}:2`]);
    expect(all[1]).toMatchObject({ source: 'edx', type: 'play_video', code: 'missing_field', reason: expect.stringContaining('time') });
    expect(JSON.parse(all[1]!.payload)).toMatchObject({ event_type: 'play_video', username: 'learner2' });
  });

  it('says when nothing matches, and refuses a limit or run that is not a whole number', async () => {
    expect((await cli('rejected', 'list', '--reason', 'no_such_code')).stdout).toBe('no rejected records match\n');
    const bad = await cli('rejected', 'list', '--limit', 'ten');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('xapi-gateway rejected list: --limit: expected a whole number from 1, got "ten"\n');
    expect((await cli('rejected', 'list', '--run', '-1')).code).toBe(2);
  });

  it('shows one rejection in full, with the record as received', async () => {
    const [, missing] = await listed();
    const run = await cli('rejected', 'show', String(missing!.id));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`place: ${first}:3`);
    expect(run.stdout).toContain('code: missing_field');
    expect(run.stdout).toContain('type: play_video');
    expect(run.stdout).toContain(`record:\n${missing!.payload}\n`);
    const json = await cli('rejected', 'show', String(missing!.id), '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ id: missing!.id, position: `${first}:3`, payload: missing!.payload });
    const none = await cli('rejected', 'show', '999999');
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('xapi-gateway rejected show: no rejected record 999999\n');
  });

  it('purges nothing without --yes, saying how many would go, and exits 1', async () => {
    const runOne = (await listed()).at(-1)!.runId;
    const dry = await cli('rejected', 'purge', '--run', String(runOne));
    expect(dry.code).toBe(1);
    expect(dry.stderr).toBe('xapi-gateway rejected purge: 2 rejected record(s) would be deleted; run again with --yes to delete them\n');
    expect(await listed()).toHaveLength(3);
  });

  it('purges one run, those stored before a day, or all', async () => {
    const runOne = (await listed()).at(-1)!.runId;
    const gone = await cli('rejected', 'purge', '--run', String(runOne), '--yes');
    expect(gone.stdout).toBe('deleted 2 rejected record(s)\n');
    expect((await listed()).map((r) => r.position)).toEqual([`${second}:2`]);
    expect(JSON.parse((await cli('rejected', 'purge', '--before', '2000-01-01', '--yes', '--json')).stdout)).toEqual({ deleted: 0 });
    expect(JSON.parse((await cli('rejected', 'purge', '--before', '2999-01-01', '--yes', '--json')).stdout)).toEqual({ deleted: 1 });
    expect(await listed()).toEqual([]);
  });

  it('refuses a purge without exactly one scope, or with a day that is not one', async () => {
    for (const args of [[], ['--all', '--run', '1']]) {
      const run = await cli('rejected', 'purge', '--yes', ...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('xapi-gateway rejected purge: --run, --before, --all: give exactly one of them\n');
    }
    const day = await cli('rejected', 'purge', '--before', '2026-13-45', '--yes');
    expect(day.code).toBe(2);
    expect(day.stderr).toContain('--before: expected a day, YYYY-MM-DD');
    expect(await listed()).toHaveLength(3);
  });
});
