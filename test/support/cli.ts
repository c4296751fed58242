/**
 * The command line in tests: `runCli` runs a command in this process with captured
 * output, as the bin would; `spawnCli` starts the real command line in a child process,
 * for the tests that need one (a server they stop with a signal, a process they kill,
 * standard input they write as they go).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { runCommand } from '../../src/cli.js';
import type { CliIo } from '../../src/cli/context.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { openConfiguredDatabase } from '../../src/configured.js';
import type { Database } from '../../src/db/connection.js';
import { freshDatabase } from './databases.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Environment of a command: the parent's, minus settings tests must not inherit. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of Object.keys(base)) if (/^(DATABASE_URL|LRS_|DATA_DIR|PORT|PSEUDONYM_SECRET|EDX_|OAI_|COURSERA_|FUTURELEARN_|KHAN_)/.test(key)) delete base[key];
  return { ...base, LOG_LEVEL: 'warn', ...env };
}

/**
 * Starts `xapi-gateway <args>` compiled as the build bundles it, from this run's sources
 * (support/global-setup.ts), in the repository's folder or `cwd`; with `stdin: true` the
 * test writes its standard input.
 */
export function spawnCli(args: string[], env: Record<string, string>, options: { stdin?: boolean; cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [inject('compiledCli'), ...args], { cwd: options.cwd ?? ROOT, env: childEnv(env), stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
}

/** A stream that keeps what is written to it, calling `written` after each write. */
function captured(written: () => void = () => undefined): { stream: Writable; text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      written();
      callback();
    },
  });
  return { stream, text: () => text };
}

/** How a command ended: exit code (signal: always null in this process) and its output. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `xapi-gateway <args>` to its end in this process, with no standard input. */
export async function runCli(args: string[], env: Record<string, string>, options: Pick<CliIo, 'openDatabase'> = {}): Promise<CliRun> {
  const stdout = captured();
  const stderr = captured();
  const code = await runCommand(args, { env: childEnv(env), stdout: stdout.stream, stderr: stderr.stream, ...options });
  return { code, signal: null, stdout: stdout.text(), stderr: stderr.text() };
}

/** A command running in this process, conversing: the test writes its standard input and reads its output as it comes. */
export interface StartedCli {
  stdin: PassThrough;
  /** Resolves with the first match of `pattern` in what the command wrote to stderr so far or later. */
  untilStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  done: Promise<CliRun>;
}

/** Starts `xapi-gateway <args>` in this process, as `runCli` runs it, for commands that converse (khan authorize). */
export function startCli(args: string[], env: Record<string, string>, options: Pick<CliIo, 'openDatabase'> = {}): StartedCli {
  const stdin = new PassThrough();
  const waiting = new Set<() => void>();
  const checkAll = () => waiting.forEach((check) => check());
  const stdout = captured();
  const stderr = captured(checkAll);
  let ended = false;
  const done = runCommand(args, { env: childEnv(env), stdout: stdout.stream, stderr: stderr.stream, stdin, ...options }).then((code) => {
    ended = true;
    checkAll();
    return { code, signal: null, stdout: stdout.text(), stderr: stderr.text() };
  });
  return {
    stdin,
    done,
    untilStderr: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = stderr.text().match(pattern);
          if (match) {
            waiting.delete(check);
            resolve(match);
          } else if (ended) {
            waiting.delete(check);
            reject(new Error(`the command ended before writing ${pattern}: ${stderr.text()}`));
          }
        };
        waiting.add(check);
        check();
      }),
  };
}

/**
 * Commands run as `runCli` runs them, on one database kept open until `close`: `given`
 * (a test's own, which the test closes), or the one `env` names, opened by the first
 * command that needs it. For tests that run many commands on one database; each command
 * still migrates it and sees what the ones before it wrote.
 */
export function cliSession(env: Record<string, string>, given?: Database): {
  run(args: string[], more?: Record<string, string>): Promise<CliRun>;
  start(args: string[]): StartedCli;
  database(): Promise<Database>;
  close(): Promise<void>;
} {
  let opened: Promise<Database> | undefined = given && Promise.resolve(given);
  const openDatabase = async (config: Config): Promise<Database> => {
    opened ??= openConfiguredDatabase(config);
    const database = await opened.catch((err: unknown) => {
      opened = undefined;
      throw err;
    });
    return { ...database, close: async () => undefined };
  };
  return {
    // `more`: settings added for one command; its database is still the session's.
    run: (args, more = {}) => runCli(args, { ...env, ...more }, { openDatabase }),
    start: (args) => startCli(args, env, { openDatabase }),
    /** The session's database, for the test itself to read or write between commands. */
    database: () => openDatabase(loadConfig(childEnv(env))),
    async close() {
      const open = opened;
      opened = undefined;
      if (!given) await (await open?.catch(() => undefined))?.close();
    },
  };
}

/** Resolves when a line of the child's stdout or stderr matches `pattern`; rejects if it exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const streams = [child.stdout!, child.stderr!];
    const listeners = streams.map((stream) => {
      let seen = '';
      const onData = (d: Buffer) => {
        seen += d.toString();
        const line = seen.split('\n').find((l) => pattern.test(l));
        if (line === undefined) return;
        done();
        resolve(line);
      };
      stream.on('data', onData);
      return onData;
    });
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`the child exited (${code}) before printing ${pattern}`));
    };
    const done = () => {
      streams.forEach((stream, i) => stream.off('data', listeners[i]!));
      child.off('exit', onExit);
    };
    child.on('exit', onExit);
  });
}

/**
 * A `cliSession` on a fresh test database of `kind` (support/databases.ts), with settings
 * naming it and a DATA_DIR of its own for the commands' files, plus `more`; `close` drops
 * the database and removes the folder.
 */
export async function freshCliSession(kind: 'pglite' | 'postgres', more: Record<string, string> = {}): Promise<ReturnType<typeof cliSession> & { env: Record<string, string>; dir: string }> {
  const t = await freshDatabase(kind);
  const dir = await mkdtemp(join(tmpdir(), 'xgw-cli-'));
  const env = { DATA_DIR: join(dir, 'data'), ...(t.url && { DATABASE_URL: t.url }), ...more };
  const session = cliSession(env, t.database);
  return {
    ...session,
    env,
    dir,
    async close() {
      await session.close();
      await t.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
