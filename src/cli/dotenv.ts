/**
 * `.env` of the working directory, read by the bin at start-up (serve and every command).
 * Precedence: a variable of the real environment wins, even when empty, so that a setting
 * given by the shell, the service manager or the container is never overridden by a file;
 * `.env` fills only what the environment lacks. Parsed by Node's own `util.parseEnv`; its
 * lines are checked first, since parseEnv skips or merges a line it cannot read in silence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** The file, in the working directory. */
export const DOTENV = '.env';

/** A `.env` that cannot be read; the message names the file and line, never a value. Own class: the bin's start loads no config module. */
export class DotenvError extends Error {
  override readonly name = 'DotenvError';
  readonly code = 'bad_config';
}

const ASSIGNMENT = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=(.*)$/;
const BLANK_OR_COMMENT = /^\s*(?:#.*)?$/;
const OPENING_QUOTE = /^\s*(["'`])(.*)$/;

/**
 * Throws DotenvError naming `.env` and the first line that is neither blank, a `#` comment
 * nor `NAME=value` (a quoted value may span lines). Never the line itself: it may hold a secret.
 */
export function checkDotenv(text: string): void {
  let quote: string | undefined;
  let opened = 0;
  text.split(/\r?\n/).forEach((line, i) => {
    if (quote !== undefined) {
      if (line.includes(quote)) quote = undefined;
      return;
    }
    if (BLANK_OR_COMMENT.test(line)) return;
    const value = ASSIGNMENT.exec(line)?.[1];
    if (value === undefined) throw new DotenvError(`${DOTENV} line ${i + 1}: expected NAME=value, a # comment or a blank line`);
    const [, open, rest] = OPENING_QUOTE.exec(value) ?? [];
    if (open !== undefined && !rest!.includes(open)) [quote, opened] = [open, i + 1];
  });
  if (quote !== undefined) throw new DotenvError(`${DOTENV} line ${opened}: the quoted value never ends (no closing ${quote})`);
}

/** The settings of `.env` in `cwd`; none when there is no such file. */
export function readDotenv(cwd: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(join(cwd, DOTENV), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new DotenvError(`${DOTENV}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  checkDotenv(text);
  return parseEnv(text) as Record<string, string>;
}

/**
 * Adds to `env` each setting of `.env` in `cwd` that `env` lacks; returns `env`.
 * @example mergeDotenv(process.env, process.cwd());
 */
export function mergeDotenv(env: Record<string, string | undefined>, cwd: string): Record<string, string | undefined> {
  for (const [name, value] of Object.entries(readDotenv(cwd))) if (!Object.hasOwn(env, name)) env[name] = value;
  return env;
}

/** The bin's first step: `.env` merged into process.env, or one line on stderr and exit 1 before anything runs. */
export function loadDotenvOrExit(): void {
  try {
    mergeDotenv(process.env, process.cwd());
  } catch (err) {
    if (!(err instanceof DotenvError)) throw err;
    process.stderr.write(`xapi-gateway: ${err.message}\n`);
    process.exit(1);
  }
}
