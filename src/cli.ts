#!/usr/bin/env node
/**
 * The command line: `xapi-gateway <command>` (`npm run cli -- <command>` from the sources).
 * Each command exits 0 when it did its job (even with rejected records), 1 with a one-line
 * reason when it could not, 2 when the command line is wrong (src/cli/failure.ts). Commands
 * are a table, which also gives each command's help and settings; a command's module
 * (src/cli/commands/) is imported only when that command runs, so `--help` and each
 * command load what they use and no more. `runCommand` runs one command line in this
 * process with its own settings and streams (tests call it); the bin is a thin shell over it.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './cli/context.js';
import { EXIT, reportFailure } from './cli/failure.js';
import { buildProgram, type CommandSpec, type OptionSpec, type ProgramRun } from './cli/program.js';
import { PACKAGE_ROOT } from './package-root.js';

/** The command modules, imported on demand. */
const MODULES = {
  serve: () => import('./cli/commands/serve.js'),
  outbox: () => import('./cli/commands/outbox.js'),
  credentials: () => import('./cli/commands/credentials.js'),
  edx: () => import('./cli/commands/edx.js'),
  coursera: () => import('./cli/commands/coursera.js'),
  futurelearn: () => import('./cli/commands/futurelearn.js'),
  khan: () => import('./cli/commands/khan.js'),
  rejected: () => import('./cli/commands/rejected.js'),
  learner: () => import('./cli/commands/learner.js'),
  sample: () => import('./cli/commands/sample.js'),
};
type Modules = { [M in keyof typeof MODULES]: Awaited<ReturnType<(typeof MODULES)[M]>> };
/** A function of a command module: [module, export]. */
type Ref = { [M in keyof Modules]: readonly [M, keyof Modules[M]] }[keyof Modules];

async function load(ref: Ref): Promise<(...args: unknown[]) => unknown> {
  const module: Record<string, unknown> = await MODULES[ref[0]]();
  return module[ref[1]] as (...args: unknown[]) => unknown;
}

/** A row of the table. */
type Spec = CommandSpec<Ref>;

const GROUPS: Record<string, string> = {
  credentials: 'credentials of the embedded LRS kept in the database',
  import: 'translate a source into the outbox',
  rejected: 'the records imports could not take, kept with their place and reason',
  learner: "one learner's data rights: find, export and erase everything the gateway holds of them",
  report: 'reports computed from the statements in the LRS',
  coursera: 'the Coursera research exports pull',
  edx: 'the sync of edX research data and event files from S3',
  futurelearn: 'the FutureLearn admin-site pull',
  khan: 'Khan Academy coaches (OAuth 1.0a) and the nightly pull of their students',
  translate: 'translate a source to NDJSON statements on stdout, with no database',
  sample: 'the made-up sample data of the package (sample/)',
};

/** Settings read by every command that opens the database. */
const DATABASE = ['DATABASE_URL', 'DATA_DIR'];
/** Settings of the delivery target and of reading statements back. */
const LRS = ['LRS_ENDPOINT', 'LRS_USERNAME', 'LRS_PASSWORD', 'LRS_TIMEOUT_MS'];
const EDX = ['PSEUDONYM_SECRET', 'EDX_LMS_URL', 'EDX_COURSE_IDS', 'EDX_COURSE_ID_FORM', 'EDX_FREE_TEXT'];
const KHAN = ['KHAN_URL', 'KHAN_CONSUMER_KEY', 'KHAN_CONSUMER_SECRET', 'KHAN_TOKEN_KEY'];

/** The flags naming one learner, and the settings their names derive from. */
const LEARNER: readonly OptionSpec[] = [
  ['--platform <platform>', 'edx, coursera, futurelearn or khan'],
  ['--user <id>', 'the platform user id (never printed back)'],
];
const LEARNER_SETTINGS = [...DATABASE, 'PSEUDONYM_SECRET', 'EDX_LMS_URL'];
const LEARNER_JSON: OptionSpec = ['--json', 'print the full answer as JSON'];
const LEARNER_COMMANDS: Spec[] = [
  {
    name: 'learner find', description: 'where the gateway holds data of one learner, with counts: outbox, embedded LRS, platform tables, links, rejected records',
    required: LEARNER, options: [LEARNER_JSON], settings: LEARNER_SETTINGS, action: ['learner', 'find'],
  },
  {
    name: 'learner export', description: 'everything held of one learner as one .tar.gz: statements as NDJSON, tables as CSV, a README',
    required: [...LEARNER, ['--out <file>', 'the archive to write']], settings: LEARNER_SETTINGS, action: ['learner', 'exportArchive'],
  },
  {
    name: 'learner erase', description: 'erase one learner everywhere and drop their data from later imports; without --yes only says what would go (and exits 2)',
    required: LEARNER, options: [['--yes', 'erase it'], LEARNER_JSON], settings: [...LEARNER_SETTINGS, 'LRS_ENDPOINT'], action: ['learner', 'erase'],
  },
];

const DAYS: readonly OptionSpec[] = [
  ['--from <day>', 'first day of events to read, YYYY-MM-DD (UTC)'],
  ['--to <day>', 'last day of events to read, YYYY-MM-DD (UTC)'],
];
const EDX_LOGS = {
  arguments: [['<paths...>', 'tracking log files (.log, .log.gz) or folders, read recursively']],
  options: [...DAYS, ['--course <id...>', 'only these course ids (default: EDX_COURSE_IDS, else all)']],
} as const;
const COURSERA_EXPORTS = {
  arguments: [['<paths...>', 'export folders (CSV tables, clickstream access-YYYY-MM-DD.csv[.gz], or tables/ and clickstream/ subfolders) or .zip files']],
  options: [['--course <id>', 'the Coursera course id of rows that name none (clickstream); default: the structure tables\' course_id, else the folder <courseId>/<day>/']],
} as const;
const FUTURELEARN_DATASETS = {
  arguments: [['<paths...>', 'run folders <course>/<run> - <start> - <end>/ of dataset CSVs, data roots <root>/<institution>/<course>/<run> - .../, or dataset CSVs']],
} as const;
const EDX_COURSE: OptionSpec = ['--course <id>', 'the course run, e.g. course-v1:OrgX+CS101+2026'];

const COMMANDS: readonly Spec[] = [
  { name: 'serve', description: 'serve /xapi, /health, /metrics and flush the outbox on FLUSH_CRON', settings: [...DATABASE, 'PORT', 'HOST', 'LRS_USERS', 'ADMIN_TOKEN', 'PSEUDONYM_SECRET', ...LRS, 'FLUSH_CRON', 'EDX_LMS_URL', 'EDX_INGEST_TOKENS', 'OAI_REPOSITORY_ID', 'ECO_API_KEYS', 'LOG_LEVEL'], action: ['serve', 'serve'] },
  { name: 'migrate', description: 'bring the database schema up to date', settings: DATABASE, action: ['outbox', 'migrate'] },
  { name: 'flush', description: 'deliver due outbox statements to the LRS until nothing is due', settings: [...DATABASE, ...LRS, 'LRS_BATCH_SIZE', 'OUTBOX_KEEP_SENT_DAYS'], summary: true, action: ['outbox', 'flush'] },
  {
    name: 'status',
    description: 'outbox counts by state, oldest pending statement, and dead and conflict rows with reasons',
    options: [['--limit <n>', 'failed rows to list', '50']],
    settings: DATABASE, action: ['outbox', 'status'],
  },
  {
    name: 'requeue',
    description: 'send dead statements again (after fixing the cause)',
    options: [['--conflicts', 'also requeue conflict rows'], ['--id <uuid...>', 'only these statement ids']],
    settings: DATABASE, action: ['outbox', 'requeue'],
  },
  {
    name: 'credentials add',
    description: 'create a credential and print its password once',
    arguments: [['<username>', 'the Basic auth user name']],
    options: [['--read-only', 'may only read statements and documents'], ['--label <text>', 'what the credential is for']],
    settings: DATABASE, action: ['credentials', 'add'],
  },
  { name: 'credentials list', description: 'list credentials, without secrets', settings: DATABASE, action: ['credentials', 'list'] },
  {
    name: 'credentials revoke',
    description: 'revoke a credential (it stops working within seconds)',
    arguments: [['<username>', 'the credential to revoke']],
    settings: DATABASE, action: ['credentials', 'revoke'],
  },
  {
    name: 'import xapi',
    description: 'validate and enqueue ready-made statements, one JSON per line (- for stdin)',
    arguments: [['<file>', 'NDJSON file of statements, or - for standard input']],
    settings: [...DATABASE, 'UNSTORABLE_TEXT'], summary: true, action: ['outbox', 'importXapiFile'],
  },
  {
    name: 'rejected list',
    description: 'rejected records, newest first: id, run, place (file:line or record key), code and reason',
    options: [
      ['--run <id>', 'only those of this import run'],
      ['--reason <code>', 'only this reason code (unreadable, missing_field, bad_value, invalid_statement, unstorable, ...)'],
      ['--type <type>', 'only this source type, as in a summary\'s byType (edX event type, Coursera table, FutureLearn dataset, Khan endpoint)'],
      ['--source <importer>', 'only this importer (edx, edx-package, coursera, futurelearn, khan, xapi)'],
      ['--limit <n>', 'most records to list', '50'],
      ['--json', 'print the full records as JSON'],
    ],
    settings: DATABASE,
    action: ['rejected', 'list'],
  },
  {
    name: 'rejected show',
    description: 'one rejected record in full: where it was, why, and the record as received',
    arguments: [['<id>', 'the id from rejected list']],
    options: [['--json', 'print it as JSON']],
    settings: DATABASE,
    action: ['rejected', 'show'],
  },
  {
    name: 'rejected purge',
    description: 'delete rejected records of a run, stored before a day, or all; without --yes only says how many would go (and exits 1)',
    options: [
      ['--run <id>', 'those of this import run'],
      ['--before <day>', 'those stored before this day, YYYY-MM-DD (UTC)'],
      ['--all', 'every rejected record'],
      ['--yes', 'delete them'],
      ['--json', 'print the count as JSON'],
    ],
    settings: DATABASE,
    action: ['rejected', 'purge'],
  },
  ...LEARNER_COMMANDS,
  { name: 'import edx', description: 'translate edX tracking logs into the outbox', ...EDX_LOGS, settings: [...DATABASE, ...EDX], summary: true, action: ['edx', 'importLogs'] },
  {
    name: 'import edx-package',
    description: 'one course run of the edX research data package: structure, profiles, tables, forum and the events of the span',
    arguments: [['<root>', 'the package root, holding course-data/ and edx-course-data/']],
    required: [EDX_COURSE],
    options: [DAYS[0]!, ['--to <day>', 'last day of events; the snapshot read is the first on or after it']],
    settings: [...DATABASE, ...EDX], summary: true, action: ['edx', 'importPackage'],
  },
  { name: 'import coursera', description: 'translate Coursera research exports into the outbox', ...COURSERA_EXPORTS, settings: [...DATABASE, 'PSEUDONYM_SECRET'], summary: true, action: ['coursera', 'importExports'] },
  {
    name: 'import futurelearn',
    description: 'translate FutureLearn datasets into the outbox; demographics and video figures into their tables',
    ...FUTURELEARN_DATASETS,
    settings: [...DATABASE, 'PSEUDONYM_SECRET'], summary: true, action: ['futurelearn', 'importDatasets'],
  },
  {
    name: 'report edx',
    description: 'edX course-run reports as CSV files with a README.txt; `samced` writes the ChalmersX toolkit\'s bundle; `learner-events` prints one learner\'s statements',
    arguments: [['<report>', 'a report, all, samced, or learner-events']],
    argumentHelp: ['edx', 'reportNames'],
    required: [EDX_COURSE],
    options: [
      ['--out <folder>', 'where the CSV files go (not for learner-events)'],
      ['--learner <name>', 'the learner\'s pseudonym (learner-events)'],
      ['--user <id>', 'the learner\'s edX user id instead, turned into the pseudonym with the pseudonym secret and never printed (learner-events)'],
      ['--from <day>', 'first day, YYYY-MM-DD (UTC)'],
      ['--to <day>', 'last day, YYYY-MM-DD (UTC)'],
      ['--package <folder>', 'the edX research data package whose snapshot the samced bundle copies and reads; default DATA_DIR/edx-data, where `edx sync` unpacks it (samced)'],
    ],
    settings: [...DATABASE, ...LRS, 'EDX_LMS_URL', 'EDX_COURSE_ID_FORM', 'OAI_REPOSITORY_ID', 'EDX_SURVEY_PRE_PATTERN', 'EDX_SURVEY_POST_PATTERN'], action: ['edx', 'report'],
  },
  {
    name: 'report coursera',
    description: 'the 12 learner indicators of a Coursera course as CSV, one row per learner (pseudonym)',
    required: [['--course <id>', 'the Coursera course id']],
    options: [['--at <time>', 'the indicators as they stood at this ISO 8601 time; default now'], ['--out <file>', 'the CSV file to write; default stdout']],
    settings: [...DATABASE, ...LRS], action: ['coursera', 'report'],
  },
  {
    name: 'report futurelearn',
    description: 'the FutureLearn run reports (overview, step funnel, comment activity, quiz results, video stats) as CSV files with a README.txt',
    required: [
      ['--course <slug>', 'the course slug, as in the admin pages and the data folders'],
      ['--run <number>', 'the run number'],
      ['--out <folder>', 'where the CSV files go'],
    ],
    settings: [...DATABASE, ...LRS], action: ['futurelearn', 'report'],
  },
  {
    name: 'report khan',
    description: 'the Khan Academy warehouse tables as the old tool\'s CSV files, with first_seen and last_seen, and a README.txt',
    arguments: [['<table>', 'a table or all']],
    argumentHelp: ['khan', 'tableNames'],
    required: [['--out <folder>', 'where the CSV files go']],
    settings: DATABASE, action: ['khan', 'report'],
  },
  {
    name: 'export-edx-email-opt-in',
    description: 'PERSONAL DATA: email, name, gender, year of birth and country of the learners of a course run who opted in to email, read straight from the research package',
    arguments: [['<root>', 'the package root, holding course-data/']],
    required: [['--course <id>', 'the course run'], ['--out <file>', 'the CSV file to write (created readable by its owner only)']],
    settings: [], action: ['edx', 'exportOptIn'],
  },
  {
    name: 'coursera pull',
    description: 'request, poll, download and import the exports of COURSERA_COURSE_IDS now, as the schedule does; prints the summary',
    settings: [...DATABASE, 'PSEUDONYM_SECRET', 'COURSERA_TOKEN', 'COURSERA_COURSE_IDS', 'COURSERA_API_URL', 'COURSERA_EXPORT_DIR', 'COURSERA_SCHEMAS', 'COURSERA_ANONYMITY_LEVEL', 'COURSERA_PURPOSE'], summary: true, action: ['coursera', 'pull'],
  },
  {
    name: 'coursera jobs',
    description: 'the export jobs requested so far, newest first, with their status, folder, import and last error',
    options: [['--course <id>', 'only this course']],
    settings: DATABASE, action: ['coursera', 'jobs'],
  },
  {
    name: 'edx sync',
    description: 'list edX\'s S3 buckets, fetch the new or changed packages and event files into the backup folder, check, decrypt, unpack and import them now, as the schedule does',
    settings: [...DATABASE, ...EDX, 'EDX_S3_PREFIX', 'EDX_S3_BUCKET_DATA', 'EDX_S3_BUCKET_EVENTS', 'EDX_S3_REGION', 'EDX_S3_ENDPOINT', 'EDX_S3_ACCESS_KEY_ID', 'EDX_S3_SECRET_ACCESS_KEY', 'EDX_GPG_KEY_FILE', 'EDX_GPG_PASSPHRASE', 'EDX_S3_BACKUP_DIR'],
    summary: true, action: ['edx', 'sync'],
  },
  {
    name: 'futurelearn pull',
    description: 'sign in, download every run\'s changed datasets into FUTURELEARN_DATA_DIR and import those runs now, as the schedule does',
    settings: [...DATABASE, 'PSEUDONYM_SECRET', 'FUTURELEARN_URL', 'FUTURELEARN_EMAIL', 'FUTURELEARN_PASSWORD', 'FUTURELEARN_ORGANISATION', 'FUTURELEARN_DATA_DIR'], summary: true, action: ['futurelearn', 'pull'],
  },
  {
    name: 'khan authorize',
    description: 'authorize a coach: prints the address to approve at, then takes the pasted callback address (or receives it with --listen); stores the token sealed',
    required: [['--coach <email>', 'the email the coach signs in to Khan Academy with']],
    options: [['--listen <port>', 'receive the callback on 127.0.0.1:<port> instead of a paste (0 = any free port)']],
    settings: [...DATABASE, ...KHAN], action: ['khan', 'authorize'],
  },
  { name: 'khan coaches', description: 'every coach ever authorized, with when, revocation, last pull and its error; never a token', settings: DATABASE, action: ['khan', 'coaches'] },
  {
    name: 'khan revoke',
    description: 'stop pulling a coach (by email or Khan user id); authorize again to resume',
    arguments: [['<coach>', 'the coach\'s email or Khan user id']],
    settings: DATABASE, action: ['khan', 'revoke'],
  },
  {
    name: 'khan pull',
    description: 'pull every authorized coach\'s students into the tables and the outbox now, as the schedule does; prints the summary',
    settings: [...DATABASE, 'PSEUDONYM_SECRET', ...KHAN, 'KHAN_CONCURRENCY', 'KHAN_STORE_NAMES'], summary: true, action: ['khan', 'pull'],
  },
  {
    name: 'sample load',
    description: 'load the sample data (an edX log, a Coursera export, a FutureLearn run, four catalogue courses) and flush it, so that reports, OAI and the dashboard show something; twice adds nothing',
    settings: [...DATABASE, ...LRS, 'PSEUDONYM_SECRET', 'EDX_LMS_URL', 'PORT'], summary: true, action: ['sample', 'load'],
  },
  { name: 'translate edx', description: 'edX tracking logs to NDJSON statements; the summary goes to stderr', ...EDX_LOGS, settings: EDX, summary: true, action: ['edx', 'translateLogs'] },
  {
    name: 'translate coursera',
    description: 'Coursera research exports to NDJSON statements; the summary goes to stderr',
    ...COURSERA_EXPORTS,
    settings: ['PSEUDONYM_SECRET'], summary: true, action: ['coursera', 'translateExports'],
  },
  {
    name: 'translate futurelearn',
    description: 'FutureLearn datasets to NDJSON statements; the summary goes to stderr',
    ...FUTURELEARN_DATASETS,
    settings: ['PSEUDONYM_SECRET'], summary: true, action: ['futurelearn', 'translateDatasets'],
  },
];

function version(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Runs `xapi-gateway <argv>` with the settings of `io.env`, writing to `io`'s streams
 * (standard input: none unless given); resolves with the exit code.
 * @example const code = await runCommand(['status'], { env: { DATA_DIR: '/tmp/data' }, stdout, stderr });
 */
export async function runCommand(argv: readonly string[], io: Omit<CliIo, 'stdin'> & { stdin?: Readable }): Promise<number> {
  const full: CliIo = { ...io, stdin: io.stdin ?? Readable.from([]) };
  const table = { description: 'MOOC learning data into xAPI, kept in PostgreSQL until an LRS has it', version: version(), groups: GROUPS, commands: COMMANDS, load };
  const run: ProgramRun = {};
  // `help <command...>` is `<command...> --help`.
  const args = argv[0] === 'help' ? [...argv.slice(1), '--help'] : [...argv];
  try {
    await buildProgram(table, full, run).parseAsync(args, { from: 'user' });
    return EXIT.done;
  } catch (err) {
    return reportFailure(full, run.command, err);
  }
}

/** True when this module is the program node was started with (the bin), not a module imported by another. */
function isEntry(): boolean {
  const started = process.argv[1];
  if (started === undefined) return false;
  try {
    return realpathSync(started) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntry()) {
  (await import('./cli/dotenv.js')).loadDotenvOrExit();
  process.exitCode = await runCommand(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
}
