import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonym } from '../../src/xapi/ids.js';
import { cliSession } from '../support/cli.js';
import { DATABASE_KINDS, freshDatabaseSettings } from '../support/databases.js';
import { LMS, ndjson, playVideo, problemCheck, SECRET } from '../support/edx-events.js';

/** A user id that would be seen if printed back: long, and unlike anything else in the output. */
const USER = '314159265';
const OTHER = '271828182';

describe.each(DATABASE_KINDS)('learner find, export and erase on %s', (kind) => {
  let dir: string;
  let env: Record<string, string>;
  let session: ReturnType<typeof cliSession>;
  let drop: () => Promise<void>;
  let log: string;
  const cli = (...args: string[]) => session.run(args);
  const learner = ['--platform', 'edx', '--user', USER];
  const noRawId = (run: { stdout: string; stderr: string }) => expect(run.stdout + run.stderr).not.toContain(USER);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-learner-'));
    const fresh = await freshDatabaseSettings(kind);
    drop = fresh.drop;
    env = { ...fresh.env, PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS };
    session = cliSession(env);
    log = join(dir, 'tracking.log');
    await writeFile(log, ndjson([playVideo(Number(USER), 1), problemCheck(Number(USER)), playVideo(Number(OTHER), 2)]));
    expect((await cli('import', 'edx', log)).code).toBe(0);
  });
  afterAll(async () => {
    await session.close();
    await drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the learner by pseudonym, never printing the id given', async () => {
    const run = await cli('learner', 'find', ...learner);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`edx learner ${pseudonym(SECRET, USER)}: 2 row(s)`);
    expect(run.stdout).toMatch(/outbox: 2 \(pending 2\)/);
    noRawId(run);
    const json = JSON.parse((await cli('learner', 'find', ...learner, '--json')).stdout) as { total: number };
    expect(json.total).toBe(2);
  });

  it('exports an archive with their statements', async () => {
    const out = join(dir, 'learner.tar.gz');
    const run = await cli('learner', 'export', ...learner, '--out', out);
    expect(run.code).toBe(0);
    noRawId(run);
    const tar = gunzipSync(await readFile(out)).toString('utf8');
    expect(tar).toContain('README.txt');
    expect(tar).toContain('outbox.ndjson');
    expect(tar.split(pseudonym(SECRET, USER)).length).toBeGreaterThan(2);
    expect(tar).not.toContain(pseudonym(SECRET, OTHER));
  });

  it('refuses a wrong platform with exit 2', async () => {
    const run = await cli('learner', 'find', '--platform', 'moodle', '--user', USER);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--platform: expected one of edx, coursera, futurelearn, khan/);
    noRawId(run);
  });

  it('without --yes says what would be erased and exits 2; with it erases, and a re-import brings nothing back', async () => {
    const dry = await cli('learner', 'erase', ...learner);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toContain('would erase edx learner');
    expect(dry.stderr).toMatch(/--yes: nothing was erased/);
    noRawId(dry);
    expect(JSON.parse((await cli('learner', 'find', ...learner, '--json')).stdout)).toMatchObject({ total: 2 });

    const erased = await cli('learner', 'erase', ...learner, '--yes');
    expect(erased.code).toBe(0);
    expect(erased.stdout).toMatch(/erased edx learner \w+: 2 row\(s\)/);
    noRawId(erased);

    const again = await cli('import', 'edx', log, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 3, translated: 1, erased: 2, added: 0, known: 1 });
    const after = await cli('learner', 'find', ...learner);
    expect(after.stdout).toContain(': 0 row(s)');
    expect(after.stdout).toMatch(/erased before: .* by cli/);
    const other = JSON.parse((await cli('learner', 'find', '--platform', 'edx', '--user', OTHER, '--json')).stdout) as { total: number };
    expect(other.total).toBe(1);
  });
});
