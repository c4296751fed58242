/**
 * `serve` in a child process on its own PostgreSQL database: the LRS end of the
 * benchmarks, so that it has a core of its own and is measured as deployed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createPostgresDatabase } from '../test/support/databases.js';
import { freePort } from '../test/support/net.js';

/** The PostgreSQL server benchmarks create their databases on. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Credentials of the benchmark LRS. */
export const BENCH_USER = { username: 'bench', password: 'bench-password-of-16' };

/** A running LRS process. */
export interface LrsProcess {
  origin: string;
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts `serve` on a fresh database; `stop()` ends it and drops the database. */
export async function startLrsProcess(): Promise<LrsProcess> {
  const database = await createPostgresDatabase(BENCH_DATABASE_URL);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LRS_USERS: `${BENCH_USER.username}:${BENCH_USER.password}`,
      LOG_LEVEL: 'warn',
      FLUSH_CRON: '0 0 1 1 *',
      BODY_LIMIT: '50mb',
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
    if (await fetch(`${origin}/health`).then((r) => r.ok, () => false)) return { origin, endpoint: `${origin}/xapi/`, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error('the LRS process did not start');
}
