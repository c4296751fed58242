/**
 * One owner per embedded database: PGlite keeps the whole database in the memory of
 * the process that opened it and writes it back to DATA_DIR, so a second process (the
 * CLI beside `npm start`) would work on its own copy and lose it, or the server's, at
 * its stop. A lock file in the folder names the owner (pid, and on Linux the start time
 * of that pid, so that a reused pid is not taken for the owner); a lock whose owner is
 * gone is taken over.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The owner a lock file names. */
interface Owner {
  pid: number;
  /** `/proc/<pid>/stat` start time (clock ticks since boot); null where it cannot be read. */
  start: string | null;
}

/** Why a DATA_DIR cannot be opened: another process (or this one) owns it. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  readonly code = 'data-dir-locked';
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `the embedded database in ${dataDir} is open in process ${pid} (the server or another command); ` +
        'stop it first, or set DATABASE_URL to PostgreSQL to run commands beside a running server, or use the admin API for the catalogue',
    );
  }
}

/** A held lock; `release` is idempotent. */
export interface DataDirLock {
  release(): void;
}

const LOCK_FILE = 'pglite.lock';

/** The start time of `pid` from /proc (Linux), or null where there is none. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: the pid exists but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A live pid with another start time is a new process that reused the number.
  const start = startTimeOf(owner.pid);
  return owner.start === null || start === null || owner.start === start;
}

/** The owner named at `path`; undefined when the file is gone or unreadable (its writer died while writing). */
function readOwner(path: string): Owner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, start: typeof parsed.start === 'string' ? parsed.start : null } : undefined;
  } catch {
    return undefined;
  }
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the lock of `dataDir` for this process, taking over a stale one; throws
 * DataDirLockedError while a live process (this one included) holds it.
 * @example const lock = lockDataDir('./data'); try { ... } finally { lock.release(); }
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const me: Owner = { pid: process.pid, start: startTimeOf(process.pid) };
  const content = JSON.stringify(me);
  for (let attempt = 0; !tryCreate(path, content); attempt++) {
    const owner = readOwner(path);
    if (owner && isAlive(owner)) throw new DataDirLockedError(dataDir, owner.pid);
    if (attempt > 3) throw new DataDirLockedError(dataDir, owner?.pid ?? 0);
    takeOver(path, owner);
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      // Only our own lock is removed; a lock taken over after we were judged dead stays.
      const owner = readOwner(path);
      if (owner?.pid === me.pid && owner.start === me.start) unlinkSync(path);
    },
  };
}

/**
 * Moves a stale lock aside, then checks that what was moved is the lock judged stale:
 * two processes taking over at once must not remove the lock the faster one just took.
 */
function takeOver(path: string, stale: Owner | undefined): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // gone already: the next create decides
  }
  const moved = readOwner(aside);
  if (moved?.pid !== stale?.pid || moved?.start !== stale?.start) {
    // We moved a fresh lock: put it back unless yet another owner is there.
    try {
      linkSync(aside, path);
    } catch {
      // another lock is in place; ours was never the owner
    }
  }
  unlinkSync(aside);
}
