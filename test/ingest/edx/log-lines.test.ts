import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listLogFiles, LogPathError, readLogLines, type LogLine, type LogLineOptions } from '../../../src/ingest/edx/log-lines.js';

async function all(paths: string[], opts: LogLineOptions = {}, slowly = false): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of readLogLines(paths, opts)) {
    // A consumer that waits, as one writing to a database does, lets a stream buffer ahead.
    if (slowly) await new Promise((resolve) => setImmediate(resolve));
    out.push(l);
  }
  return out;
}

const ok = (file: string, line: number, text: string): LogLine => ({ ok: true, at: `${file}:${line}`, line: text });
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `{"n":${i + 1},"pad":"${(i * 2654435761).toString(36)}"}`).join('\n') + '\n';
// The reader's chunk size: a test of chunk boundaries puts something across this offset.
const CHUNK = 1 << 16;

describe('readLogLines', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-lines-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads plain and gzip files of nested folders in path order, only log names, with file:line positions', async () => {
    const year = join(dir, 'edx-course-data', 'edx', 'events', '2026');
    await mkdir(year, { recursive: true });
    await writeFile(join(year, 'OrgX-edx-events-2026-03-02.log.gz'), gzipSync('{"b":1}\n{"b":2}\n'));
    await writeFile(join(year, 'OrgX-edx-events-2026-03-01.log.gz'), gzipSync('{"a":1}\n{"a":2}\n'));
    await writeFile(join(dir, 'edx-course-data', 'tracking.log.1'), '{"r":1}\n');
    await writeFile(join(dir, 'edx-course-data', 'tracking.log-20260228'), '{"d":1}\n');
    await writeFile(join(dir, 'edx-course-data', 'OrgX-course-prod-analytics.xml.tar.gz'), gzipSync('not a log'));
    await writeFile(join(dir, 'edx-course-data', 'OrgX-auth_user-prod-analytics.sql'), 'id\tusername\n');
    const a = join(year, 'OrgX-edx-events-2026-03-01.log.gz');
    const b = join(year, 'OrgX-edx-events-2026-03-02.log.gz');
    const c = join(dir, 'edx-course-data', 'tracking.log-20260228');
    const d = join(dir, 'edx-course-data', 'tracking.log.1');
    expect(await all([dir])).toEqual([ok(a, 1, '{"a":1}'), ok(a, 2, '{"a":2}'), ok(b, 1, '{"b":1}'), ok(b, 2, '{"b":2}'), ok(c, 1, '{"d":1}'), ok(d, 1, '{"r":1}')]);
  });

  it('reads a file given by path whatever its name, and sorts files given with folders found', async () => {
    await mkdir(join(dir, 'b'));
    await writeFile(join(dir, 'b', 'x.log'), '{"x":1}\n');
    await writeFile(join(dir, 'a-prod.mongo'), '{"m":1}\n');
    expect(await all([join(dir, 'b'), join(dir, 'a-prod.mongo')])).toEqual([ok(join(dir, 'a-prod.mongo'), 1, '{"m":1}'), ok(join(dir, 'b', 'x.log'), 1, '{"x":1}')]);
  });

  it('tells gzip by its magic bytes, not its name', async () => {
    await writeFile(join(dir, 'tracking.log'), gzipSync('{"z":1}\n'));
    expect(await all([join(dir, 'tracking.log')])).toEqual([ok(join(dir, 'tracking.log'), 1, '{"z":1}')]);
  });

  it('reads only files whose name carries a day in the range, either form, and files without a day', async () => {
    const names = ['x-2026-02-28.log', 'x-2026-03-01.log', 'tracking.log-20260302.gz', 'tracking.log-20260304', 'tracking.log', 'hash-12345678901.log'];
    for (const name of names) await writeFile(join(dir, name), name.endsWith('.gz') ? gzipSync('{}\n') : '{}\n');
    const range = { from: '2026-03-01', to: '2026-03-02' };
    const expected = ['hash-12345678901.log', 'tracking.log', 'tracking.log-20260302.gz', 'x-2026-03-01.log'];
    expect((await listLogFiles([dir], range)).map((f) => f.slice(dir.length + 1))).toEqual(expected);
    expect((await all([dir], range)).map((l) => l.at.slice(dir.length + 1))).toEqual(expected.map((name) => `${name}:1`));
  });

  it('drops the CR of CRLF line ends, also when CR and LF fall in different chunks', async () => {
    const first = `{"t":"${'a'.repeat(CHUNK - 9)}"}`;
    const file = join(dir, 'a.log');
    await writeFile(file, `${first}\r\n{"n":2}\r\n{"n":3}\r\n`);
    expect((await stat(file)).size).toBeGreaterThan(CHUNK);
    expect(Buffer.from(`${first}\r`).length).toBe(CHUNK);
    expect(await all([file])).toEqual([ok(file, 1, first), ok(file, 2, '{"n":2}'), ok(file, 3, '{"n":3}')]);
  });

  it('keeps a multibyte character split across a chunk boundary', async () => {
    const long = `{"t":"${'é学😀'.repeat(10_000)}"}`;
    const bytes = Buffer.from(`${long}\n{"n":2}\n`);
    // Not at a character's first byte: 10xxxxxx is a continuation byte.
    expect(bytes[CHUNK]! & 0xc0).toBe(0x80);
    await writeFile(join(dir, 'a.log'), bytes);
    await writeFile(join(dir, 'b.log.gz'), gzipSync(bytes));
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log.gz');
    expect(await all([dir])).toEqual([ok(a, 1, long), ok(a, 2, '{"n":2}'), ok(b, 1, long), ok(b, 2, '{"n":2}')]);
  });

  it('skips blank lines but counts them, and yields a last line without a newline', async () => {
    const file = join(dir, 'a.log');
    await writeFile(file, '\n{"n":2}\n\n   \n\r\n{"n":6}');
    expect(await all([file])).toEqual([ok(file, 2, '{"n":2}'), ok(file, 6, '{"n":6}')]);
  });

  it('keeps every line before the damage of a truncated gzip file, names the line reached, and reads the next file', async () => {
    const full = gzipSync(numbered(1000));
    // What any gunzip can get out of a cut file: the cut must end inside a line.
    const inflated = (gz: Buffer) => gunzipSync(gz, { finishFlush: constants.Z_SYNC_FLUSH }).toString();
    let cut = full.subarray(0, Math.floor(full.length * 0.7));
    while (inflated(cut).endsWith('\n')) cut = cut.subarray(0, -1);
    const whole = inflated(cut).split('\n').slice(0, -1);
    expect(whole.length).toBeGreaterThan(100);
    const a = join(dir, 'a.log.gz');
    const b = join(dir, 'b.log');
    await writeFile(a, cut);
    await writeFile(b, '{"next":1}\n');
    expect(await all([dir], {}, true)).toEqual([
      ...whole.map((line, i) => ok(a, i + 1, line)),
      {
        ok: false,
        at: `${a}:${whole.length + 1}`,
        rejection: { code: 'unreadable', detail: `truncated gzip file after line ${whole.length}: unexpected end of file` },
      },
      ok(b, 1, '{"next":1}'),
    ]);
  });

  it('rejects a gzip file with a corrupt header as one unreadable record and reads the next file', async () => {
    const bad = gzipSync(numbered(10));
    bad.fill(0, 0, 4);
    const a = join(dir, 'a.log.gz');
    const b = join(dir, 'b.log');
    await writeFile(a, bad);
    await writeFile(b, '{"next":1}\n');
    expect(await all([dir])).toEqual([
      { ok: false, at: `${a}:1`, rejection: { code: 'unreadable', detail: 'corrupt gzip file after line 0: incorrect header check' } },
      ok(b, 1, '{"next":1}'),
    ]);
  });

  it('rejects an oversized line once, with its line number and length, and reads the next line', async () => {
    const file = join(dir, 'a.log');
    const big = `{"big":"${'x'.repeat(300_000)}"}`;
    await writeFile(file, `{"n":1}\n${big}\n{"n":3}\n{"n":"${'y'.repeat(2000)}"}\n{"n":5}\n${'z'.repeat(1001)}`);
    const tooLong = (line: number, bytes: number): LogLine => ({
      ok: false,
      at: `${file}:${line}`,
      rejection: { code: 'unreadable', detail: `line of ${bytes} bytes is longer than the limit of 1000 bytes` },
    });
    expect(await all([file], { maxLineLength: 1000 })).toEqual([ok(file, 1, '{"n":1}'), tooLong(2, big.length), ok(file, 3, '{"n":3}'), tooLong(4, 2008), ok(file, 5, '{"n":5}'), tooLong(6, 1001)]);
  });

  it('rejects a file that cannot be opened at line 0 and reads the next file', async () => {
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    const c = join(dir, 'c.log');
    for (const f of [a, b, c]) await writeFile(f, '{"n":1}\n');
    const lines: LogLine[] = [];
    // Removed after the listing, so that opening it fails even for root.
    for await (const l of readLogLines([dir])) {
      if (l.at === `${a}:1`) await rm(b);
      lines.push(l);
    }
    expect(lines).toEqual([ok(a, 1, '{"n":1}'), { ok: false, at: `${b}:0`, rejection: { code: 'unreadable', detail: 'cannot open the file (ENOENT)' } }, ok(c, 1, '{"n":1}')]);
  });

  it('reports each file with its size, and the bytes read at most every 64 KiB', async () => {
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log.gz');
    await writeFile(a, numbered(10_000));
    await writeFile(b, gzipSync(numbered(10)));
    const files: unknown[] = [];
    const bytes: number[][] = [];
    for await (const l of readLogLines([dir], { onFile: (f) => (files.push(f), bytes.push([])), onBytes: (n) => bytes.at(-1)!.push(n) })) expect(l.ok).toBe(true);
    const sizes = [(await stat(a)).size, (await stat(b)).size];
    expect(files).toEqual([
      { path: a, index: 0, count: 2, bytes: sizes[0] },
      { path: b, index: 1, count: 2, bytes: sizes[1] },
    ]);
    expect(sizes[0]).toBeGreaterThan(3 * CHUNK);
    expect(bytes[0]).toEqual(Array.from({ length: Math.ceil(sizes[0]! / CHUNK) }, (_, i) => Math.min((i + 1) * CHUNK, sizes[0]!)));
    expect(bytes[1]).toEqual([sizes[1]]);
  });

  it('fails to run for a path that does not exist, naming it', async () => {
    const missing = join(dir, 'missing');
    await expect(listLogFiles([dir, missing])).rejects.toThrow(new LogPathError(missing, 'ENOENT', undefined));
    await expect(listLogFiles([missing])).rejects.toMatchObject({ name: 'LogPathError', code: 'invalid', errno: 'ENOENT', message: `${missing}: no such file or folder (ENOENT)` });
    await expect(all([missing])).rejects.toBeInstanceOf(LogPathError);
  });
});
