/**
 * `serve` in a child process on its own database: the LRS end of the benchmarks, so that
 * it has a core of its own and is measured as deployed (the build's dist/src/cli.js).
 * PostgreSQL by default; PGlite in a temporary folder where the quick start's own set-up
 * is measured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/package-root.js';
import { createPostgresDatabase } from '../test/support/databases.js';
import { freePort } from '../test/support/net.js';

/** The PostgreSQL server benchmarks create their databases on. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The built command line (`npm run build`), as `npm start` runs it. */
const SERVE = join(PACKAGE_ROOT, 'dist', 'src', 'cli.js');

/** Credentials of the benchmark LRS. */
export const BENCH_USER = { username: 'bench', password: 'bench-password-of-16' };

/** A running LRS process. */
export interface LrsProcess {
  origin: string;
  endpoint: string;
  /** The process id of `serve`, for reading its memory from /proc. */
  pid: number;
  /** The PostgreSQL database it serves, for bulk loading beside it; undefined on PGlite. */
  databaseUrl?: string;
  stop(): Promise<void>;
}

/** How to start `serve`: its database, and settings beside the benchmark's own. */
export interface LrsProcessOptions {
  /** PostgreSQL, a new PGlite folder, or the PGlite folder given (kept at stop, for a restart). */
  database?: 'postgres' | 'pglite' | { dataDir: string };
  env?: Record<string, string>;
}

/** Starts `serve` on a fresh database; `stop()` ends it and drops the database. */
export async function startLrsProcess(opts: LrsProcessOptions = {}): Promise<LrsProcess> {
  const database = await freshProcessDatabase(opts.database ?? 'postgres');
  const port = await freePort();
  if (!existsSync(SERVE)) throw new Error(`${SERVE} is missing: run npm run build first`);
  const child: ChildProcess = spawn(process.execPath, [SERVE, 'serve'], {
    env: {
      ...process.env,
      ...database.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LRS_USERS: `${BENCH_USER.username}:${BENCH_USER.password}`,
      LOG_LEVEL: 'warn',
      FLUSH_CRON: '0 0 1 1 *',
      BODY_LIMIT: '50mb',
      ...opts.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    await database.drop();
  };
  for (let i = 0; i < 150; i++) {
    if (await fetch(`${origin}/health`).then((r) => r.ok, () => false)) return { origin, endpoint: `${origin}/xapi/`, pid: child.pid!, databaseUrl: database.url, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error('the LRS process did not start');
}

async function freshProcessDatabase(kind: NonNullable<LrsProcessOptions['database']>): Promise<{ env: Record<string, string>; url?: string; drop(): Promise<void> }> {
  // An empty DATABASE_URL is unset: PGlite even where the environment names a server.
  if (typeof kind === 'object') return { env: { DATA_DIR: kind.dataDir, DATABASE_URL: '' }, drop: async () => undefined };
  if (kind === 'postgres') {
    const created = await createPostgresDatabase(BENCH_DATABASE_URL);
    return { env: { DATABASE_URL: created.url }, url: created.url, drop: created.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'xapi-gateway-bench-'));
  return { env: { DATA_DIR: dir, DATABASE_URL: '' }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
