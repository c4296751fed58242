/**
 * How a command fails, in one voice: `xapi-gateway <command>: <message>`, one line on
 * stderr, never a class name, never a secret; the exit code says who must act.
 *   0  done (even with rejected records, or partly done)
 *   1  the command could not do its job (settings, input, a database, LRS or platform away or refusing)
 *   2  the command line is wrong (unknown command or option, missing argument, bad flag value)
 * With LOG_LEVEL=debug (or trace) the stack of an error follows its line, for bug reports.
 */
import { CommanderError } from 'commander';
import { CodedError } from '../errors.js';
import type { CliIo } from './context.js';

/** Exit codes of the command line. */
export const EXIT = { done: 0, failed: 1, usage: 2 } as const;

/** The command line itself is wrong: a flag's value or an argument; exits 2. */
export class UsageError extends CodedError {
  override readonly name = 'UsageError';
  constructor(flag: string, message: string) {
    super('invalid', `${flag}: ${message}`, { field: flag });
  }
}

/** Commander's codes that are no failure: help and version asked for (a group without its command is `commander.help`: usage). */
const ASKED = new Set(['commander.helpDisplayed', 'commander.version']);

/** The exit code of `err`. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) return ASKED.has(err.code) ? EXIT.done : EXIT.usage;
  return err instanceof UsageError ? EXIT.usage : EXIT.failed;
}

/** The one line of a failed `command` (`undefined`: before any command was chosen). */
export function failureLine(command: string | undefined, message: string): string {
  return `xapi-gateway${command ? ` ${command}` : ''}: ${message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()}\n`;
}

/** Prints the failure of `command` and gives its exit code. Commander's errors were printed where they arose. */
export function reportFailure(io: CliIo, command: string | undefined, err: unknown): number {
  if (err instanceof CommanderError) return exitCodeOf(err);
  io.stderr.write(failureLine(command, err instanceof Error ? err.message : String(err)));
  if (/^(debug|trace)$/.test(io.env.LOG_LEVEL ?? '') && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return exitCodeOf(err);
}
