import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { DataDirLockedError, lockDataDir } from '../../src/db/data-dir-lock.js';

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('the lock on the embedded database folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-lock-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a second open of one folder in the same process, and frees the folder at close', async () => {
    const first = await openDatabase({ dataDir: dir });
    const second = openDatabase({ dataDir: dir });
    await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(second).rejects.toThrow(`open in process ${process.pid}`);
    await first.query('CREATE TABLE kept (n int)');
    await first.close();
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(false);

    const again = await openDatabase({ dataDir: dir });
    expect((await again.query('SELECT count(*)::int AS n FROM kept')).rows).toEqual([{ n: 0 }]);
    await again.close();
  });

  // The take-overs, on the lock alone: openDatabase takes it first, as the test above shows.
  it('takes over the lock of a process that is gone', async () => {
    await writeFile(join(dir, 'pglite.lock'), JSON.stringify({ pid: deadPid(), start: null }));
    const lock = lockDataDir(dir);
    expect(JSON.parse(await readFile(join(dir, 'pglite.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(false);
  });

  it.runIf(existsSync('/proc/self/stat'))('takes over a lock whose pid now belongs to a process started later', async () => {
    // Our parent is alive, but its start time is not the one the lock names: the pid was reused.
    await writeFile(join(dir, 'pglite.lock'), JSON.stringify({ pid: process.ppid, start: '1' }));
    const lock = lockDataDir(dir);
    expect(JSON.parse(await readFile(join(dir, 'pglite.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('refuses a lock whose pid is alive with its own start time', async () => {
    await writeFile(join(dir, 'pglite.lock'), JSON.stringify({ pid: process.ppid, start: null }));
    expect(() => lockDataDir(dir)).toThrow(`open in process ${process.ppid}`);
  });

  it('takes over a lock file left half-written', async () => {
    await writeFile(join(dir, 'pglite.lock'), '{"pi');
    lockDataDir(dir).release();
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(false);
  });
});
