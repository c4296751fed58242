/**
 * The commander program of a command table: one command per row, its flags, its help
 * (with the settings it reads), `--json` on the commands that print a summary, and
 * commander's own errors (unknown option, missing argument) in the one voice of failure.ts.
 */
import { Command } from 'commander';
import type { CliIo } from './context.js';
import { failureLine } from './failure.js';
import { settingsHelp } from './settings-help.js';

/** [flags, description, default] of an option. */
export type OptionSpec = readonly [string, string, string?];

/** One row of the command table; `Ref` names the function that runs it. */
export interface CommandSpec<Ref> {
  /** The words of the command; the first of two is a group. */
  name: string;
  /** One line: what the command does. */
  description: string;
  /** [name, description] of each argument. */
  arguments?: readonly (readonly [string, string])[];
  options?: readonly OptionSpec[];
  required?: readonly OptionSpec[];
  /** The environment variables the command reads, listed in its help. */
  settings: readonly string[];
  /** The command prints a summary: short text, or the full object with `--json`. */
  summary?: true;
  action: Ref;
  /** Gives the first argument's description when the command runs: lists too costly to load for every `--help`. */
  argumentHelp?: Ref;
}

/** A command table and how to run its rows. */
export interface CommandTable<Ref> {
  description: string;
  version: string;
  /** The description of each group (the first word of two-word commands). */
  groups: Readonly<Record<string, string>>;
  commands: readonly CommandSpec<Ref>[];
  load(ref: Ref): Promise<(...args: unknown[]) => unknown>;
}

/** What a run of the program found out: the command that ran, for the failure line. */
export interface ProgramRun {
  command?: string;
}

const JSON_OPTION: OptionSpec = ['--json', 'print the full summary as JSON instead of the short text'];

/** Lets commander report its errors as `xapi-gateway <name>: <error> (see: xapi-gateway help <name>)`. */
function speakingErrors(command: Command, name: string | undefined, io: CliIo): Command {
  return command.configureOutput({
    outputError: (text) => void io.stderr.write(failureLine(name, `${text.trim()} (see: xapi-gateway help${name ? ` ${name}` : ''})`)),
  });
}

/** Every command of the table on one line each, for the top-level help. */
function commandList<Ref>(table: CommandTable<Ref>): string {
  const usage = (spec: CommandSpec<Ref>) => [spec.name, ...(spec.arguments ?? []).map(([a]) => a)].join(' ');
  const width = Math.max(...table.commands.map((s) => usage(s).length));
  const lines = table.commands.map((s) => `  ${usage(s).padEnd(width)}  ${s.description}`);
  return [
    '', 'Commands (xapi-gateway help <command> shows its flags and the settings it reads):', ...lines,
    '', 'Exit codes: 0 done (rejected records included), 1 could not do its job, 2 wrong command line.', '',
  ].join('\n');
}

/** The program of `table`, writing to `io`; `run` learns which command runs. Groups are made on first use, in the table's order. */
export function buildProgram<Ref>(table: CommandTable<Ref>, io: CliIo, run: ProgramRun): Command {
  const program = new Command('xapi-gateway')
    .description(table.description)
    // Set before the commands are added, so that every command inherits them: no process.exit, output to io.
    .exitOverride()
    .configureOutput({ writeOut: (text) => void io.stdout.write(text), writeErr: (text) => void io.stderr.write(text) })
    .helpCommand(false)
    .version(table.version);
  speakingErrors(program, undefined, io);
  const groups = new Map<string, Command>();
  for (const spec of table.commands) {
    const words = spec.name.split(' ');
    const name = words.pop()!;
    const group = words[0];
    let parent = program;
    if (group !== undefined) {
      parent = groups.get(group) ?? speakingErrors(program.command(group).description(table.groups[group]!), group, io);
      groups.set(group, parent);
    }
    const command = speakingErrors(parent.command(name).description(spec.description), spec.name, io);
    for (const [argument, description] of spec.arguments ?? []) command.argument(argument, description);
    for (const [flags, description, fallback] of spec.required ?? []) command.requiredOption(flags, description, fallback);
    for (const [flags, description, fallback] of [...(spec.options ?? []), ...(spec.summary ? [JSON_OPTION] : [])]) command.option(flags, description, fallback);
    command.addHelpText('after', () => settingsHelp(spec.settings));
    command.action(async (...args: unknown[]) => {
      run.command = spec.name;
      await (await table.load(spec.action))(io, ...args);
    });
    const { argumentHelp } = spec;
    if (argumentHelp !== undefined) {
      parent.hook('preSubcommand', async (_parent, sub) => {
        if (sub === command) command.registeredArguments[0]!.description = String((await table.load(argumentHelp))());
      });
    }
  }
  // Set after the commands were made, so that only the top level lists every command instead of its groups.
  return program.configureHelp({ visibleCommands: () => [] }).addHelpText('after', commandList(table));
}
