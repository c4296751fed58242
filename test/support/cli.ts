/**
 * Runs the real command line in a child process, as an operator would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Environment of a child: the parent's, minus settings tests must not inherit. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of Object.keys(base)) if (/^(DATABASE_URL|LRS_|DATA_DIR|PORT|PSEUDONYM_SECRET|EDX_|OAI_|COURSERA_|FUTURELEARN_|KHAN_)/.test(key)) delete base[key];
  return { ...base, LOG_LEVEL: 'warn', ...env };
}

/** Starts `xapi-gateway <args>` from source; with `stdin: true` the test writes its standard input. */
export function spawnCli(args: string[], env: Record<string, string>, options: { stdin?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: childEnv(env), stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
}

/** Runs `xapi-gateway <args>` to its end. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
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
