/**
 * Start-up of the shipped service on embedded defaults (issue 21): `node dist/src/cli.js
 * serve` (what `npm start` runs; `npm run build` first) to the first 200 of `/health`,
 * polled every 20 ms, on an empty DATA_DIR (a first start) and again on the same folder (a
 * restart); the resident memory of the process 3 s after it answered. Printed against the
 * goals: first start under 3 s, restart under 1.5 s.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PACKAGE_ROOT } from '../src/package-root.js';
import { freePort } from '../test/support/net.js';
import { processRssMb } from './measured.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli.js');
const GOALS = { firstStartSeconds: 3, restartSeconds: 1.5 };

/** One start of the service on `dataDir`: seconds to the first healthy answer, and its memory after. */
async function startOnce(dataDir: string): Promise<{ seconds: number; rssMb: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', LRS_USERS: 'bench:bench-password-16' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode} before it answered`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
      if (ok) break;
      await sleep(20);
    }
    const seconds = (performance.now() - started) / 1000;
    await sleep(3000);
    return { seconds, rssMb: processRssMb(child.pid!) };
  } finally {
    if (child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: round(sorted[0]!), median: round(sorted[Math.floor(sorted.length / 2)]!), max: round(sorted.at(-1)!) };
};

/** `rounds` first starts, each followed by a restart of the same folder. */
export async function benchStartup(rounds: number) {
  if (!existsSync(CLI)) throw new Error('dist/src/cli.js is missing: run npm run build first');
  const first: number[] = [];
  const restart: number[] = [];
  const firstRss: number[] = [];
  const restartRss: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dir = await mkdtemp(join(tmpdir(), 'xgw-bench-start-'));
    try {
      const a = await startOnce(dir);
      const b = await startOnce(dir);
      first.push(a.seconds);
      restart.push(b.seconds);
      firstRss.push(a.rssMb);
      restartRss.push(b.rssMb);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const firstStart = summary(first);
  const restarted = summary(restart);
  return {
    rounds,
    firstStartSeconds: firstStart,
    restartSeconds: restarted,
    firstStartToGoal: round(firstStart.median / GOALS.firstStartSeconds),
    restartToGoal: round(restarted.median / GOALS.restartSeconds),
    rssMbAfterFirstStart: summary(firstRss),
    rssMbAfterRestart: summary(restartRss),
  };
}
