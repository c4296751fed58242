import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeFutureLearn, type FakeFutureLearn } from './fakes/futurelearn.js';
import { cliSession } from './support/cli.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/futurelearn/uni-x/climate-change/3 - 2026-01-05 - 2026-01-19/', import.meta.url));
const PASSWORD = 'futurelearn-cli-password-123';

describe('the FutureLearn commands', () => {
  let dir: string;
  let fake: FakeFutureLearn;
  let env: Record<string, string>;
  let session: ReturnType<typeof cliSession>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'futurelearn-cli-'));
    const datasets: Record<string, string> = {};
    for (const name of await readdir(FIXTURE)) datasets[name.replace(/\.csv$/, '')] = await readFile(join(FIXTURE, name), 'utf8');
    fake = await startFakeFutureLearn({
      email: 'team@uni-x.example', password: PASSWORD, organisation: 'uni-x',
      courses: [{ slug: 'climate-change', title: 'Climate Change', runs: [{ run: 3, start: '2026-01-05', weeks: 2, status: 'finished', datasets }] }],
    });
    env = {
      DATA_DIR: join(dir, 'data'), PSEUDONYM_SECRET: 'futurelearn-cli-pseudonym-secret', FUTURELEARN_URL: fake.baseUrl,
      FUTURELEARN_EMAIL: 'team@uni-x.example', FUTURELEARN_PASSWORD: PASSWORD, FUTURELEARN_ORGANISATION: 'uni-x', FUTURELEARN_DATA_DIR: join(dir, 'datasets'),
    };
    session = cliSession(env);
  });
  afterEach(async () => {
    await session.close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('futurelearn pull scrapes and imports, report futurelearn writes the run reports after a flush', async () => {
    const pull = await session.run(['futurelearn', 'pull', '--json']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(JSON.parse(pull.stdout)).toMatchObject({ complete: true, downloaded: 11, imported: [{ summary: { rejected: 0 } }] });
    expect(pull.stdout + pull.stderr).not.toContain(PASSWORD);
    expect((await session.run(['flush'])).code).toBe(0);

    const out = join(dir, 'reports');
    const report = await session.run(['report', 'futurelearn', '--course', 'climate-change', '--run', '3', '--out', out]);
    expect(report.code, report.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'README.txt', 'comment_activity.csv', 'comments_per_calendar_week.csv', 'comments_per_course_week.csv', 'demographics.csv', 'overview.csv',
      'quiz_results.csv', 'signups_per_day.csv', 'step_first_visits.csv', 'step_funnel.csv', 'video_stats.csv',
    ]);
    expect(await readFile(join(out, 'overview.csv'), 'utf8')).toMatch(/^joiners,learners who registered \(joined the run\),4,100(\.0)?\r?$/m);
  });

  it('a wrong password stops the pull with a one-line reason that does not hold it', async () => {
    const run = await session.run(['futurelearn', 'pull'], { FUTURELEARN_PASSWORD: 'not-the-password-0000' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^xapi-gateway futurelearn pull: [^A-Z].*sign-in/)]);
    expect(run.stdout + run.stderr).not.toContain('not-the-password-0000');
  });
});
