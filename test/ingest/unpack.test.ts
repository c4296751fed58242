import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gunzipFile, UnpackError, unpackZip } from '../../src/ingest/unpack.js';
import { zipOf } from '../fakes/coursera.js';

describe('unpacking Coursera exports', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coursera-unpack-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('takes only the CSV entries of a tables zip, keeping their sub-folders', async () => {
    await writeFile(join(dir, 'x.zip'), zipOf({ 'users.csv': 'a,b\n1,2\n', 'docs/README.md': '#', 'sub/peer_comments.csv': 'c\n', 'empty/': '' }));
    const out = join(dir, 'tables');
    const result = await unpackZip(join(dir, 'x.zip'), out, /\.csv$/i);
    expect(result.refused).toEqual([]);
    expect(result.files.map((f) => [f.name, f.bytes])).toEqual([['users.csv', 8], ['sub/peer_comments.csv', 2]]);
    expect(await readFile(join(out, 'sub', 'peer_comments.csv'), 'utf8')).toBe('c\n');
    expect((await readdir(out)).sort()).toEqual(['sub', 'users.csv']);
  });

  it('refuses entries with an absolute path, a drive letter or .. and writes nothing outside the folder', async () => {
    await writeFile(join(dir, 'x.zip'), zipOf({ '../evil.csv': 'x', 'a/../../evil2.csv': 'x', '/etc/abs.csv': 'x', 'C:/win.csv': 'x', 'ok.csv': 'ok' }));
    const out = join(dir, 'deep', 'tables');
    const result = await unpackZip(join(dir, 'x.zip'), out, /\.csv$/i);
    expect(result.refused).toEqual(['../evil.csv', 'a/../../evil2.csv', '/etc/abs.csv', 'C:/win.csv']);
    expect(await readdir(out)).toEqual(['ok.csv']);
    expect(await readdir(join(dir, 'deep'))).toEqual(['tables']);
    expect((await readdir(dir)).sort()).toEqual(['deep', 'x.zip']);
  });

  it('fails on a file that is not a zip', async () => {
    await writeFile(join(dir, 'x.zip'), 'not a zip at all');
    await expect(unpackZip(join(dir, 'x.zip'), join(dir, 'out'), /\.csv$/i)).rejects.toBeInstanceOf(UnpackError);
  });

  it('gunzips a clickstream file into its CSV', async () => {
    await writeFile(join(dir, 'access-2026-11-21.csv.gz'), gzipSync('l1\nl2\n'));
    const bytes = await gunzipFile(join(dir, 'access-2026-11-21.csv.gz'), join(dir, 'out', 'access-2026-11-21.csv'));
    expect(bytes).toBe(6);
    expect(await readFile(join(dir, 'out', 'access-2026-11-21.csv'), 'utf8')).toBe('l1\nl2\n');
  });

  it('leaves no file under the final name when a gzip is cut short', async () => {
    const whole = gzipSync('x'.repeat(10_000) + Math.random());
    await writeFile(join(dir, 'cut.csv.gz'), whole.subarray(0, whole.length - 12));
    await expect(gunzipFile(join(dir, 'cut.csv.gz'), join(dir, 'out', 'cut.csv'))).rejects.toBeInstanceOf(UnpackError);
    expect(await readdir(join(dir, 'out'))).toEqual([]);
  });
});
