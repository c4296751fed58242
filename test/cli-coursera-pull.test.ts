import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeCoursera, type FakeCoursera } from './fakes/coursera.js';
import { cliSession } from './support/cli.js';

const TOKEN = 'coursera-cli-token-abcdef0123456789';
const COURSE = 'course-abc';
const FIXTURE = new URL('./fixtures/coursera/course-abc/', import.meta.url).pathname;

describe('the Coursera commands', () => {
  let dir: string;
  let fake: FakeCoursera;
  let env: Record<string, string>;
  let session: ReturnType<typeof cliSession>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coursera-cli-pull-'));
    const tables: Record<string, string> = {};
    for (const name of await readdir(join(FIXTURE, 'tables'))) tables[name] = await readFile(join(FIXTURE, 'tables', name), 'utf8');
    // Yesterday's clickstream, whatever day the test runs on.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const clicks = (await readFile(join(FIXTURE, 'clickstream', 'access-2026-09-14.csv'), 'utf8')).split('\n').filter(Boolean);
    fake = await startFakeCoursera({ token: TOKEN, tables: { [COURSE]: tables }, clickstream: { [COURSE]: { [yesterday]: clicks } } });
    env = {
      DATA_DIR: join(dir, 'data'), PSEUDONYM_SECRET: 'coursera-cli-pull-pseudonym-secret',
      COURSERA_TOKEN: TOKEN, COURSERA_API_URL: fake.baseUrl, COURSERA_COURSE_IDS: COURSE, COURSERA_EXPORT_DIR: join(dir, 'exports'),
    };
    session = cliSession(env);
  });
  afterEach(async () => {
    await session.close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('coursera pull fetches and imports the exports over runs, coursera jobs lists them, report coursera writes the indicators', async () => {
    const pulls: Record<string, unknown>[] = [];
    for (let i = 0; i < 4 && !pulls.some((p) => (p.imported as unknown[]).length > 0); i++) {
      const run = await session.run(['coursera', 'pull', '--json']);
      expect(run.code, run.stderr).toBe(0);
      pulls.push(JSON.parse(run.stdout) as Record<string, unknown>);
    }
    expect(pulls[0]).toMatchObject({ requested: 2, errors: [] });
    expect(pulls.at(-1)!.imported).toMatchObject([{ kind: 'tables', courseId: COURSE }, { kind: 'clickstream', courseId: COURSE }]);

    const jobs = await session.run(['coursera', 'jobs', '--course', COURSE]);
    expect(jobs.code).toBe(0);
    const rows = jobs.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.kind).sort()).toEqual(['clickstream', 'tables']);
    for (const row of rows) expect(row).toMatchObject({ status: 'SUCCESSFUL', importRunId: expect.any(Number), lastError: null });

    await session.run(['flush', '--json']);
    const out = join(dir, 'indicators.csv');
    const report = await session.run(['report', 'coursera', '--course', COURSE, '--out', out]);
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ file: out, learners: 3 });
    const csv = (await readFile(out, 'utf8')).trim().split('\r\n');
    expect(csv[0]).toMatch(/^learner,reviewed_percent,reviewed_count,reviewed_total,reviewed_scaled,/);
    expect(csv).toHaveLength(4);

    for (const run of [...pulls.map((p) => JSON.stringify(p)), jobs.stdout, jobs.stderr]) expect(run).not.toContain(TOKEN);
  });

  it('a refused token is reported in the summary and in one line without the token, and the pull exits 1', async () => {
    const run = await session.run(['coursera', 'pull', '--json'], { COURSERA_TOKEN: 'a-wrong-token-0123456789' });
    expect(run.code).toBe(1);
    // The log's warning comes first; the cause is the last line.
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^xapi-gateway coursera pull: nothing pulled from Coursera: .*COURSERA_TOKEN/);
    const summary = JSON.parse(run.stdout) as { requested: number; errors: { step: string; reason: string }[] };
    expect(summary.requested).toBe(0);
    expect(summary.errors).toHaveLength(1);
    expect(summary.errors[0]!.reason).toMatch(/COURSERA_TOKEN/);
    expect(run.stdout + run.stderr).not.toContain('a-wrong-token-0123456789');
  });
});
