/**
 * What every command runs in: its io (settings, output streams, standard input), and
 * for the commands that need the database, config, logger, the migrated database and
 * the outbox, closed when the command ends; and how commands print.
 */
import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../config/index.js';
import { configuredOutbox, openConfiguredDatabase } from '../configured.js';
import type { Database } from '../db/connection.js';
import { runMigrations } from '../db/migrate.js';
import { CodedError } from '../errors.js';
import type { Outbox } from '../lrs/outbox.js';
import { createLogger } from '../logger.js';
import { UsageError } from './failure.js';
import { printSummary, type SummaryKind, type SummaryOptions } from './summaries.js';

/** Where a command reads its settings and input and writes its output: the process's in the bin, captured in tests. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /**
   * Opens the database of a command: by default the one its settings name, closed when the
   * command ends. Tests that run many commands on one database give one that keeps it open
   * between them (test/support/cli.ts), as a PGlite open costs 0.2-0.5 s each time.
   */
  openDatabase?: (config: Config) => Promise<Database>;
}

export interface Context {
  io: CliIo;
  config: Config;
  logger: Logger;
  database: Database;
  outbox: Outbox;
}

/** Config and logger (on the io's stderr) of a command. */
export function configAndLogger(io: CliIo): { config: Config; logger: Logger } {
  const config = loadConfig(io.env);
  return { config, logger: createLogger(config.logLevel, io.stderr) };
}

/** Opens config, logger and the migrated database around one command. */
export async function withContext<T>(io: CliIo, fn: (ctx: Context) => Promise<T>): Promise<T> {
  const { config, logger } = configAndLogger(io);
  const database = await (io.openDatabase ?? openConfiguredDatabase)(config);
  try {
    await runMigrations(database);
    return await fn({ io, config, logger, database, outbox: configuredOutbox(config, database) });
  } finally {
    await database.close();
  }
}

/** Runs a platform pull now under its advisory lock (one instance at a time) and prints its summary. */
export function pullNow<T>(io: CliIo, opts: SummaryOptions, lock: number, what: string, pull: (ctx: Context) => Promise<T>, kind: SummaryKind<T>): Promise<void> {
  return withContext(io, async (ctx) => {
    const result = await ctx.database.withAdvisoryLock(lock, () => pull(ctx), { wait: false });
    if (!result.ran) throw new CodedError('conflict', `another instance is pulling ${what} now; try again when it is done`);
    printSummary(io, opts, result.value, kind);
  });
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Throws unless `--from` and `--to`, when given, are days: checked before anything is opened. */
export function checkDays(opts: { from?: string; to?: string }): void {
  for (const [name, value] of [['--from', opts.from], ['--to', opts.to]] as const) {
    if (value !== undefined && !/^\d{4}-\d\d-\d\d$/.test(value)) throw new UsageError(name, 'expected a day, YYYY-MM-DD');
  }
}

/** The `--from`, `--to` of the options that are set. */
export function span(opts: { from?: string; to?: string }): { from?: string; to?: string } {
  return { ...(opts.from && { from: opts.from }), ...(opts.to && { to: opts.to }) };
}
