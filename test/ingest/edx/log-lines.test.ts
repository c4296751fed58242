import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listLogFiles, readLogLines, type LogLine } from '../../../src/ingest/edx/log-lines.js';

async function all(paths: string[], opts = {}): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of readLogLines(paths, opts)) out.push(l);
  return out;
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `{"n":${i + 1}}`).join('\n') + '\n';

describe('readLogLines', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-lines-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads plain and gzip files of nested folders in path order, only log names, with file:line positions', async () => {
    await mkdir(join(dir, 'events', '2026'), { recursive: true });
    await writeFile(join(dir, 'events', '2026', 'OrgX-edx-events-2026-03-02.log.gz'), gzipSync('{"b":1}\n{"b":2}\n'));
    await writeFile(join(dir, 'events', '2026', 'OrgX-edx-events-2026-03-01.log'), '{"a":1}\r\n\r\n{"a":2}');
    await writeFile(join(dir, 'events', 'course-prod-analytics.xml.tar.gz'), gzipSync('not a log'));
    const lines = await all([dir]);
    const a = join(dir, 'events', '2026', 'OrgX-edx-events-2026-03-01.log');
    const b = join(dir, 'events', '2026', 'OrgX-edx-events-2026-03-02.log.gz');
    expect(lines).toEqual([
      { ok: true, at: `${a}:1`, line: '{"a":1}' },
      { ok: true, at: `${a}:3`, line: '{"a":2}' },
      { ok: true, at: `${b}:1`, line: '{"b":1}' },
      { ok: true, at: `${b}:2`, line: '{"b":2}' },
    ]);
  });

  it('tells gzip by its magic bytes, not its name', async () => {
    await writeFile(join(dir, 'tracking.log'), gzipSync('{"z":1}\n'));
    expect(await all([join(dir, 'tracking.log')])).toEqual([{ ok: true, at: `${join(dir, 'tracking.log')}:1`, line: '{"z":1}' }]);
  });

  it('reads only files whose name carries a day in the range, and files without a day', async () => {
    for (const name of ['x-2026-02-28.log', 'x-2026-03-01.log', 'tracking.log-20260302.gz', 'tracking.log-20260304', 'tracking.log']) {
      await writeFile(join(dir, name), name.endsWith('.gz') ? gzipSync('{}\n') : '{}\n');
    }
    const files = await listLogFiles([dir], { from: '2026-03-01', to: '2026-03-02' });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['tracking.log', 'tracking.log-20260302.gz', 'x-2026-03-01.log']);
  });

  it('keeps a multibyte character split across chunk boundaries', async () => {
    const long = `{"t":"${'é学'.repeat(40_000)}"}`;
    await writeFile(join(dir, 'a.log'), `${long}\n{"n":2}\n`);
    const lines = await all([dir]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ ok: true, at: `${join(dir, 'a.log')}:1`, line: long });
  });

  it('keeps the lines before the damage of a truncated gzip file, names the line reached, and reads the next file', async () => {
    const full = gzipSync(numbered(5000));
    await writeFile(join(dir, 'a.log.gz'), full.subarray(0, Math.floor(full.length * 0.6)));
    await writeFile(join(dir, 'b.log'), '{"next":1}\n');
    const lines = await all([dir]);
    const good = lines.filter((l) => l.ok && l.at.includes('a.log.gz'));
    const damage = lines.filter((l) => !l.ok);
    expect(good.length).toBeGreaterThan(100);
    expect(good.length).toBeLessThan(5000);
    good.forEach((l, i) => expect(l).toEqual({ ok: true, at: `${join(dir, 'a.log.gz')}:${i + 1}`, line: `{"n":${i + 1}}` }));
    expect(damage).toEqual([
      { ok: false, at: `${join(dir, 'a.log.gz')}:${good.length + 1}`, rejection: { code: 'unreadable', detail: expect.stringMatching(new RegExp(`truncated or corrupt gzip file after line ${good.length}`)) } },
    ]);
    expect(lines.at(-1)).toEqual({ ok: true, at: `${join(dir, 'b.log')}:1`, line: '{"next":1}' });
  });

  it('rejects a corrupt gzip file as one unreadable record', async () => {
    const bad = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('garbage that is not deflate data at all')]);
    await writeFile(join(dir, 'a.log.gz'), bad);
    const lines = await all([dir]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ ok: false, at: `${join(dir, 'a.log.gz')}:1`, rejection: { code: 'unreadable' } });
  });

  it('rejects an oversized line with its line number, without keeping it, and reads the next line', async () => {
    await writeFile(join(dir, 'a.log'), `{"n":1}\n{"big":"${'x'.repeat(300_000)}"}\n{"n":3}\n`);
    const lines = await all([dir], { maxLineLength: 1000 });
    expect(lines).toEqual([
      { ok: true, at: `${join(dir, 'a.log')}:1`, line: '{"n":1}' },
      { ok: false, at: `${join(dir, 'a.log')}:2`, rejection: { code: 'unreadable', detail: 'line longer than 1000 characters' } },
      { ok: true, at: `${join(dir, 'a.log')}:3`, line: '{"n":3}' },
    ]);
  });

  it('fails to run for a path that does not exist', async () => {
    await expect(listLogFiles([join(dir, 'missing')])).rejects.toThrow(/missing: no such file or folder/);
  });
});
