import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/** A loopback port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The lines of a command's stderr. */
const lines = (text: string) => text.trim().split('\n');

describe('the command line speaks with one voice', { timeout: 180_000 }, () => {
  let dir: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-voice-'));
    env = { DATA_DIR: join(dir, 'data') };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('says a wrong command line in one line naming the command, and exits 2', async () => {
    const option = await runCli(['import', 'edx', dir, '--bogus'], env);
    expect(option.code).toBe(2);
    expect(lines(option.stderr)).toEqual([`xapi-gateway import edx: unknown option '--bogus' (see: xapi-gateway help import edx)`]);

    const command = await runCli(['import', 'nothing'], env);
    expect(command.code).toBe(2);
    expect(lines(command.stderr)).toEqual([`xapi-gateway import: unknown command 'nothing' (see: xapi-gateway help import)`]);

    const missing = await runCli(['report', 'coursera'], env);
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual([expect.stringMatching(/^xapi-gateway report coursera: required option '--course <id>' not specified/)]);

    // A group without its command shows the group's help, as a usage error.
    const group = await runCli(['import'], env);
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/^Usage: xapi-gateway import /);

    const day = await runCli(['translate', 'edx', dir, '--from', '2026-3-1'], env);
    expect(day.code).toBe(2);
    expect(lines(day.stderr)).toEqual(['xapi-gateway translate edx: --from: expected a day, YYYY-MM-DD']);
  });

  it('says a command that could not do its job in one line without a class name, and exits 1; the stack only at LOG_LEVEL=debug', async () => {
    const missing = join(dir, 'missing.ndjson');
    const run = await runCli(['import', 'xapi', missing], env);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^xapi-gateway import xapi: ENOENT: no such file or directory/)]);

    const input = await runCli(['translate', 'coursera', join(dir, 'nope')], { PSEUDONYM_SECRET: 'one-voice-secret-0123456789' });
    expect(input.code).toBe(1);
    expect(lines(input.stderr)).toEqual([expect.stringMatching(/^xapi-gateway translate coursera: no such file or folder/)]);
    expect(input.stderr).not.toMatch(/[A-Z]\w*Error\b/);

    const debug = await runCli(['import', 'xapi', missing], { ...env, LOG_LEVEL: 'debug' });
    expect(debug.code).toBe(1);
    const [first, ...stack] = lines(debug.stderr).filter((l) => !l.startsWith('{'));
    expect(first).toMatch(/^xapi-gateway import xapi: ENOENT/);
    expect(stack.some((l) => /^\s+at /.test(l))).toBe(true);
  });

  it('names DATABASE_URL, where it points without the password, and why, when the database cannot be reached', async () => {
    const port = await closedPort();
    const run = await runCli(['status'], { DATABASE_URL: `postgres://gateway:db-password-42@127.0.0.1:${port}/xgw?sslmode=disable` });
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      `xapi-gateway status: cannot reach the database of DATABASE_URL (postgres://127.0.0.1:${port}/xgw, credentials and parameters hidden): connection refused`,
    ]);
    expect(run.stderr).not.toContain('db-password-42');
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('says in words when the server refuses the connection: a database that does not exist', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = '/xgw_no_such_database';
    const run = await runCli(['status'], { DATABASE_URL: url.toString() });
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^xapi-gateway status: cannot reach the database of DATABASE_URL \(postgres:\/\/[^@]+\/xgw_no_such_database, credentials and parameters hidden\): no such database$/)]);
  });

  it('names DATA_DIR when the embedded database cannot be opened there', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    const run = await runCli(['status'], { DATA_DIR: join(file, 'data') });
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(new RegExp(`^xapi-gateway status: cannot open the embedded database in DATA_DIR \\(${join(file, 'data')}\\): ENOTDIR`))]);
  });

  it('prints the version of package.json with --version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await runCli(['--version'], env);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });
});

describe('the help', { timeout: 180_000 }, () => {
  it('lists every command with its summary, and the exit codes', async () => {
    const help = await runCli(['help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}import edx <paths\.\.\.> +translate edX tracking logs into the outbox$/m);
    expect(help.stdout).toMatch(/^ {2}khan pull +pull every authorized coach's students/m);
    expect(help.stdout).toContain('Exit codes: 0 done (rejected records included), 1 could not do its job, 2 wrong command line.');
    expect((await runCli(['--help'], {})).stdout).toBe(help.stdout);
  });

  it('gives a command\'s flags and the settings it reads, marking those its platform requires, by help <command> or <command> --help', async () => {
    const help = await runCli(['help', 'coursera', 'pull'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: xapi-gateway coursera pull [options]');
    expect(help.stdout).toContain('--json');
    expect(help.stdout).toMatch(/^ {2}COURSERA_TOKEN +required: OAuth2 bearer token/m);
    expect(help.stdout).toMatch(/^ {2}COURSERA_COURSE_IDS +required: /m);
    expect(help.stdout).toMatch(/^ {2}DATABASE_URL +PostgreSQL URL/m);
    expect(help.stdout).toMatch(/^ {2}DATA_DIR +folder of the embedded database and downloads \(default \.\/data\)$/m);
    expect((await runCli(['coursera', 'pull', '--help'], {})).stdout).toBe(help.stdout);
  });

  it('gives the help of every command of the list', async () => {
    const list = (await runCli(['help'], {})).stdout;
    const names = [...list.matchAll(/^ {2}([a-z-]+(?: [a-z-]+)?)(?: <[^>]+>)? {2,}/gm)].map((m) => m[1]!);
    expect(names).toContain('translate futurelearn');
    for (const name of names) {
      const run = await runCli(['help', ...name.split(' ')], {});
      expect({ name, code: run.code, stderr: run.stderr }).toEqual({ name, code: 0, stderr: '' });
      expect(run.stdout).toContain(`Usage: xapi-gateway ${name}`);
      expect(run.stdout).toMatch(/\nSettings/);
    }
  });
});
