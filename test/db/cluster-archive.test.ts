import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { unpackClusterDump } from '../../src/db/cluster-archive.js';

/** One ustar entry as tar writes it: header (checksum filled in) and data padded to 512 bytes. */
function entry(name: string, data: string, options: { type?: string; mode?: number; prefix?: string } = {}): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write(`${(options.mode ?? 0o600).toString(8).padStart(7, '0')}\0`, 100);
  header.write(`${Buffer.byteLength(data).toString(8).padStart(11, '0')}\0`, 124);
  header.write(options.type ?? '0', 156);
  header.write('ustar\u000000', 257);
  if (options.prefix) header.write(options.prefix, 345);
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
  body.write(data);
  return Buffer.concat([header, body]);
}

const archive = (...entries: Buffer[]) => new Blob([Buffer.concat([...entries, Buffer.alloc(1024)])]);

describe('unpacking a dump of a cluster', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-archive-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('gives the files of a PGlite dump, gzipped or not, that PGlite then starts from', async () => {
    // The run's migrated cluster, as PGlite's dumpDataDir wrote it (support/global-setup.ts).
    const plain = await readFile(inject('migratedPgliteDump'));
    for (const [name, dump] of [['plain', new Blob([plain])], ['gzip', new Blob([gzipSync(plain, { level: 1 })])]] as const) {
      const folder = join(dir, name);
      await unpackClusterDump(dump, folder);
      expect(existsSync(join(folder, 'PG_VERSION')), name).toBe(true);
      const opened = new PGlite(folder);
      expect((await opened.query('SELECT count(*)::int > 0 AS migrated FROM drizzle.__drizzle_migrations')).rows, name).toEqual([{ migrated: true }]);
      await opened.close();
    }
  });

  it('writes folders, names with a prefix and modes as the archive gives them, from a file too', async () => {
    const file = join(dir, 'dump.tar.gz');
    const bytes = Buffer.from(await archive(
      entry('/base/', '', { type: '5', mode: 0o750 }),
      entry('/PG_VERSION', '18\n', { mode: 0o640 }),
      entry('1259', 'catalog', { prefix: '/base/5' }),
    ).arrayBuffer());
    await writeFile(file, gzipSync(bytes));
    const into = join(dir, 'cluster');
    await unpackClusterDump(file, into);
    expect(await readFile(join(into, 'PG_VERSION'), 'utf8')).toBe('18\n');
    expect((await stat(join(into, 'PG_VERSION'))).mode & 0o777).toBe(0o640);
    expect(await readFile(join(into, 'base', '5', '1259'), 'utf8')).toBe('catalog');
  });

  it.each([
    ['a header whose checksum is wrong', () => { const bad = entry('/PG_VERSION', '18\n'); bad[0] = 'Q'.charCodeAt(0); return archive(entry('/ok', 'x'), bad); }, /bad tar header at byte 1024/],
    ['a path leaving the folder', () => archive(entry('/ok', 'x'), entry('../../escaped', 'x')), /leaves the folder/],
    ['a symbolic link', () => archive(entry('/ok', 'x'), entry('/link', '', { type: '2' })), /entry type '2'/],
    ['data cut short', () => new Blob([entry('/PG_VERSION', 'x'.repeat(2000)).subarray(0, 1024)]), /truncated at byte 0/],
    ['no archive at all', () => new Blob(['not a dump']), /no tar header/],
  ])('refuses %s before writing any file', async (_what, make, message) => {
    const into = join(dir, 'cluster');
    await expect(unpackClusterDump(make(), into)).rejects.toThrow(message);
    expect(existsSync(into) ? await readdir(into) : []).toEqual([]);
  });
});
