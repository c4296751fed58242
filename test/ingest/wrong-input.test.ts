import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshCliSession } from '../support/cli.js';
import { LMS, ndjson, playVideo, SECRET } from '../support/edx-events.js';
import { makeStatements } from '../support/statements.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

describe('a file that is not the platform\'s format', () => {
  let dir: string;
  let session: Awaited<ReturnType<typeof freshCliSession>>;
  const cli = (...args: string[]) => session.run(args);
  /** The one line of a refusal, in the CLI's voice (`xapi-gateway <command>: ` then the message, returned), with nothing printed or stored. */
  const refused = async (args: string[]): Promise<string> => {
    const run = await cli(...args);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const prefix = `xapi-gateway ${args[0]} ${args[1]}: `;
    expect(lines[0]!.startsWith(prefix), lines[0]).toBe(true);
    return lines[0]!.slice(prefix.length);
  };
  /** Import runs and rejected records stored so far: a good import's run id says how many runs came before it. */
  const runsBefore = async (): Promise<number> => {
    const good = join(dir, 'good.log');
    await writeFile(good, ndjson([playVideo(9)]));
    const run = await cli('import', 'edx', good, '--json');
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as { runId: number }).runId - 1;
  };

  beforeEach(async () => {
    session = await freshCliSession('pglite', { PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    dir = session.dir;
  });
  afterEach(() => session.close());

  it('import edx refuses a text file at once, naming it and why, and stores nothing', async () => {
    const line = await refused(['import', 'edx', README]);
    expect(line).toBe(`${README} is not an edX tracking log: line 1 is not JSON (expected one JSON event per line)`);
    expect(await runsBefore()).toBe(0);
    expect(JSON.parse((await cli('rejected', 'list', '--json')).stdout)).toEqual([]);
  });

  it('import edx refuses a gzipped text file and JSON that is not events, and names the bad file of a folder', async () => {
    await writeFile(join(dir, 'readme.log.gz'), gzipSync(await readFile(README)));
    expect(await refused(['import', 'edx', join(dir, 'readme.log.gz')])).toContain(`${join(dir, 'readme.log.gz')} is not an edX tracking log: line 1 is not JSON`);
    await writeFile(join(dir, 'statements.ndjson'), `${makeStatements(3).map((s) => JSON.stringify(s)).join('\n')}\n`);
    expect(await refused(['translate', 'edx', join(dir, 'statements.ndjson')])).toBe(
      `${join(dir, 'statements.ndjson')} is not an edX tracking log: line 1 is not an edX event (a JSON object with event_type or name) (expected one JSON event per line)`,
    );
    await mkdir(join(dir, 'logs'));
    await writeFile(join(dir, 'logs', 'a-2026-03-01.log'), ndjson([playVideo(1)]));
    await writeFile(join(dir, 'logs', 'b-2026-03-02.log'), '# not a log\n\nplain text\n');
    expect(await refused(['import', 'edx', join(dir, 'logs')])).toContain(`${join(dir, 'logs', 'b-2026-03-02.log')} is not an edX tracking log: line 1 is not JSON`);
    expect(await runsBefore()).toBe(0);
  });

  it('import edx refuses a missing path and a folder that holds no log file, but not a folder without logs of the days chosen', async () => {
    await mkdir(join(dir, 'docs'));
    await writeFile(join(dir, 'docs', 'README.md'), await readFile(README));
    expect(await refused(['translate', 'edx', join(dir, 'docs')])).toBe(
      `${join(dir, 'docs')} holds no edX tracking log: no .log, .log.gz, .json or .ndjson file in it (expected tracking log files or folders of them)`,
    );
    await writeFile(join(dir, 'docs', 'OrgX-edx-events-2026-03-02.log'), ndjson([playVideo(1)]));
    const run = await cli('translate', 'edx', join(dir, 'docs'), '--from', '2026-04-01', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stderr.trim().split('\n').at(-1)!)).toMatchObject({ read: 0 });
    expect(await refused(['translate', 'edx', join(dir, 'nope')])).toBe(`${join(dir, 'nope')}: no such file or folder (ENOENT)`);
  });

  it('import edx still takes a real log with bad lines, rejecting those lines, and an empty log', async () => {
    const log = join(dir, 'tracking.log');
    await writeFile(log, `garbage before the events\n${Array.from({ length: 25 }, () => 'noise').join('\n')}\n${ndjson([playVideo(1), playVideo(2)])}`);
    // 26 lines that are not events come first: past the lines looked at, so this one is refused...
    expect(await refused(['import', 'edx', log])).toContain('is not an edX tracking log: line 1 is not JSON');
    // ...while one event among the first lines is enough.
    await writeFile(log, `garbage before the events\n${ndjson([playVideo(1)])}{"event_type": "play_video"}\n${ndjson([playVideo(2)])}`);
    const run = await cli('import', 'edx', log, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ read: 4, translated: 2, rejected: 2 });
    await writeFile(join(dir, 'empty.log'), '');
    expect((await cli('import', 'edx', join(dir, 'empty.log'))).code).toBe(0);
  });

  it('import xapi refuses a text file and an edX log, and takes statements with a bad line', async () => {
    expect(await refused(['import', 'xapi', README])).toBe(`${README} is not an xAPI NDJSON file: line 1 is not JSON (expected one JSON statement per line)`);
    await writeFile(join(dir, 'tracking.log'), ndjson([playVideo(1)]));
    expect(await refused(['import', 'xapi', join(dir, 'tracking.log')])).toBe(
      `${join(dir, 'tracking.log')} is not an xAPI NDJSON file: line 1 is not an xAPI statement (a JSON object with actor, verb and object) (expected one JSON statement per line)`,
    );
    expect(await runsBefore()).toBe(0);
    const file = join(dir, 'statements.ndjson');
    await writeFile(file, `not json\n${makeStatements(2).map((s) => JSON.stringify(s)).join('\n')}\n`);
    const run = await cli('import', 'xapi', file, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ read: 3, translated: 2, rejected: 1 });
  });

  it('import edx-package refuses a root that is no research package', async () => {
    expect(await refused(['import', 'edx-package', dir, '--course', 'course-v1:OrgX+CS101+2026'])).toBe(
      `${dir} is not an edX research data package of OrgX: no snapshot folder course-data/OrgX-YYYY-MM-DD (expected course-data/ and edx-course-data/)`,
    );
  });

  it('import edx-package refuses event files that are not tracking logs before it writes anything', async () => {
    await mkdir(join(dir, 'course-data', 'OrgX-2026-03-08'), { recursive: true });
    await writeFile(join(dir, 'course-data', 'OrgX-2026-03-08', 'OrgX-CS101-2026-course_structure-prod-analytics.json'), '{}');
    const events = join(dir, 'edx-course-data', 'edx', 'events', '2026');
    await mkdir(events, { recursive: true });
    await writeFile(join(events, 'OrgX-edx-events-2026-03-02.log.gz'), gzipSync('<html>not a log</html>\n'));
    expect(await refused(['import', 'edx-package', dir, '--course', 'course-v1:OrgX+CS101+2026'])).toContain(
      `${join(events, 'OrgX-edx-events-2026-03-02.log.gz')} is not an edX tracking log: line 1 is not JSON`,
    );
    expect(await runsBefore()).toBe(0);
  });

  it('Coursera and FutureLearn refuse a file that is not theirs in the same words', async () => {
    expect(await refused(['translate', 'coursera', README])).toBe(`${README} is not a Coursera export: not a CSV, .csv.gz or .zip (expected export folders, .zip files or CSV tables)`);
    expect(await refused(['translate', 'futurelearn', README])).toBe(`${README} is not a FutureLearn dataset: not a .csv file (expected run folders, data roots or dataset CSVs)`);
  });
});
