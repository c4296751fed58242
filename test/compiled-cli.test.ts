/**
 * The compiled command line as it ships: `npm start` serves from dist/ on embedded defaults
 * (its own LRS stores a statement and gives it back) and stops cleanly on SIGTERM and SIGINT
 * (npm's node child must not outlive it and keep the port), and the bin finds its
 * migrations from any working directory.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { childEnv, waitForOutput } from './support/cli.js';
import { freePort } from './support/net.js';
import { makeStatements } from './support/statements.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const XAPI = { 'X-Experience-API-Version': '1.0.3' };

/** Builds dist/ when a source is newer than the compiled CLI, so that the test runs what the sources say. */
function ensureBuilt(): void {
  const built = statSync(CLI, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).map((file) => statSync(join(ROOT, 'src', file)).mtimeMs);
  if (Math.max(...sources) > built) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
}

/** Resolves when something can listen on the port again. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

function run(args: string[], env: Record<string, string>, cwd: string): { stdout: string; code: number } {
  try {
    return { stdout: execFileSync(process.execPath, [CLI, ...args], { cwd, env: childEnv(env), encoding: 'utf8' }), code: 0 };
  } catch (err) {
    return { stdout: String((err as { stdout?: string }).stdout ?? ''), code: (err as { status?: number }).status ?? 1 };
  }
}

describe('the compiled command line', () => {
  let dir: string;
  beforeAll(ensureBuilt, 120_000);
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-compiled-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it.each(['SIGTERM', 'SIGINT'] as const)('npm start serves from dist/ and stops on %s: exit 0, the port free', { timeout: 120_000 }, async (signal) => {
    const port = await freePort();
    const env = { PORT: String(port), DATA_DIR: join(dir, 'data'), LRS_USERS: 'me:pw-password-of-16', LOG_LEVEL: 'info' };
    const npm = spawn('npm', ['start'], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const started = waitForOutput(npm, /xapi-gateway started/);
      expect(await waitForOutput(npm, /node dist\/src\/cli\.js serve/)).toContain('node dist/src/cli.js serve');
      await started;
      const origin = `http://127.0.0.1:${port}`;
      expect((await fetch(`${origin}/health`)).status).toBe(200);
      // The embedded LRS of the defaults stores a statement and gives it back.
      const [statement] = makeStatements(1, 'start');
      const posted = await request(origin).post('/xapi/statements').auth('me', 'pw-password-of-16').set(XAPI).send(statement).expect(200);
      expect(posted.body).toEqual([statement!.id]);
      await request(origin).get('/xapi/statements').query({ statementId: statement!.id }).auth('me', 'pw-password-of-16').set(XAPI).expect(200);
      const exited = new Promise<number | null>((resolve) => npm.on('exit', resolve));
      npm.kill(signal);
      expect(await exited).toBe(0);
      expect(await portIsFree(port)).toBe(true);
    } finally {
      npm.kill('SIGKILL');
    }
  });

  it('finds its migrations from any working directory, and prints its version and every command', async () => {
    const env = { DATA_DIR: join(dir, 'data') };
    expect(run(['migrate'], env, dir)).toEqual({ stdout: `${JSON.stringify({ migrated: true, database: 'pglite' }, null, 2)}\n`, code: 0 });
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run(['--version'], env, dir)).toEqual({ stdout: `${version}\n`, code: 0 });
    const help = run(['--help'], env, dir).stdout;
    for (const command of ['serve', 'migrate', 'flush', 'status', 'requeue', 'credentials', 'import', 'report', 'coursera', 'futurelearn', 'khan', 'translate']) {
      expect(help).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });
});
