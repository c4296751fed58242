import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateStatement } from '../src/xapi/validate.js';
import { runCli } from './support/cli.js';
import { LMS, ndjson, playVideo, problemCheck, SECRET } from './support/edx-events.js';

const env = { PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS };

describe('translate edx', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-cli-edx-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes valid NDJSON statements to stdout and the summary by event type to stderr', async () => {
    await mkdir(join(dir, 'events', '2026'), { recursive: true });
    await writeFile(join(dir, 'events', '2026', 'OrgX-edx-events-2026-03-02.log.gz'), gzipSync(ndjson([playVideo(1), problemCheck(2), { ...playVideo(3), event_type: '/static/app.js', name: undefined }])));
    await writeFile(join(dir, 'events', '2026', 'OrgX-edx-events-2026-03-03.log'), `${JSON.stringify(playVideo(4))}\nnot json\n`);
    const run = await runCli(['translate', 'edx', dir, '--json'], env);
    expect(run.code).toBe(0);
    const statements = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(statements).toHaveLength(3);
    for (const s of statements) expect(validateStatement(s)).toEqual([]);
    const summary = JSON.parse(run.stderr.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(summary).toMatchObject({
      read: 5, translated: 3, statements: 3, ignored: 1, rejected: 1,
      byType: { play_video: { translated: 2 }, problem_check: { translated: 1 }, '/static/...': { ignored: 1 }, '(unreadable)': { rejected: 1 } },
    });
    expect(summary.errors).toEqual([{ at: join(dir, 'events', '2026', 'OrgX-edx-events-2026-03-03.log') + ':2', reason: expect.stringMatching(/not JSON/) }]);
    expect(run.stdout).not.toContain('learner1');
  });

  it('reads only the days asked for, by file name and by event time', async () => {
    await writeFile(join(dir, 'OrgX-edx-events-2026-03-01.log'), ndjson([playVideo(1)]));
    await writeFile(join(dir, 'OrgX-edx-events-2026-03-02.log'), ndjson([playVideo(2), playVideo(3, 86_400)]));
    const run = await runCli(['translate', 'edx', dir, '--from', '2026-03-02', '--to', '2026-03-02', '--json'], env);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stderr.trim().split('\n').at(-1)!)).toMatchObject({ read: 2, translated: 1, ignored: 1 });
  });

  it('stops with a one-line reason without PSEUDONYM_SECRET, without EDX_LMS_URL, or for a missing path', async () => {
    await writeFile(join(dir, 'a.log'), ndjson([playVideo(1)]));
    const noSecret = await runCli(['translate', 'edx', dir], { EDX_LMS_URL: LMS });
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr.trim()).toMatch(/^xapi-gateway translate edx: .*PSEUDONYM_SECRET/);
    const noLms = await runCli(['translate', 'edx', dir], { PSEUDONYM_SECRET: SECRET });
    expect(noLms.code).toBe(1);
    expect(noLms.stderr.trim()).toMatch(/^xapi-gateway translate edx: .*EDX_LMS_URL/);
    const missing = await runCli(['translate', 'edx', join(dir, 'nope')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stdout).toBe('');
  });
});
