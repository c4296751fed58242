#!/usr/bin/env node
/**
 * The command line: `npm run cli -- <command>`. Each command exits 0 when it ran (even
 * with rejected records) and non-zero with a one-line reason when it could not run.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command } from 'commander';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { Database } from './db/connection.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { CodedError } from './errors.js';
import { runMigrations } from './db/migrate.js';
import { flushOnce } from './cli/flush.js';
import { importEdx, translateEdx, type EdxRunInput } from './pipelines/edx.js';
import { importEdxPackage } from './pipelines/edx-package.js';
import { exportEmailOptIn } from './cli/edx-opt-in.js';
import { edxCourseScope, learnerEventsCsv, reportEdxToFolder } from './cli/report-edx.js';
import { EDX_REPORTS, reportOptions } from './reports/edx/reports.js';
import { newFormCourseId } from './reports/edx/scope.js';
import { courseStructure } from './catalog/course-structure.js';
import { importXapi } from './pipelines/xapi.js';
import { importCoursera, translateCoursera, type CourseraRunInput } from './pipelines/coursera.js';
import { COURSERA_FETCH_LOCK, pullCoursera } from './pipelines/coursera-pull.js';
import { pullFutureLearn } from './pipelines/futurelearn-pull.js';
import { FUTURELEARN_FETCH_LOCK } from './ingest/futurelearn/fetch-run.js';
import { listExportJobs } from './ingest/coursera/fetch-run.js';
import { writeCourseraIndicatorsCsv } from './reports/coursera/indicators-csv.js';
import { writeFutureLearnReports } from './reports/futurelearn/csv.js';
import { listExportFiles } from './ingest/coursera/export-files.js';
import { importFutureLearn, translateFutureLearn, type FutureLearnRunInput } from './pipelines/futurelearn.js';
import { listDatasetFiles } from './ingest/futurelearn/datasets.js';
import { authorizeKhanCoach, listKhanCoaches, revokeKhanCoach, terminalKhanIo } from './cli/khan-authorize.js';
import { KHAN_PULL_LOCK, pullKhanNow } from './pipelines/khan.js';
import { KHAN_TABLES, type KhanTableName } from './reports/khan/tables.js';
import { writeKhanCsv } from './reports/khan/csv.js';
import { listLogFiles } from './ingest/edx/log-lines.js';
import { openNdjson } from './ingest/xapi/ndjson.js';
import { createLogger } from './logger.js';
import type { Outbox } from './lrs/outbox.js';
import { CredentialStore } from './lrs/server/credential-store.js';
import { configuredOutbox, configuredStatementQuery, openConfiguredDatabase, startService } from './service.js';

interface Context {
  config: Config;
  logger: Logger;
  database: Database;
  outbox: Outbox;
}

/** Opens config, logger and the migrated database around one command. */
async function withContext<T>(fn: (ctx: Context) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config);
  try {
    await runMigrations(database);
    return await fn({ config, logger, database, outbox: configuredOutbox(config, database) });
  } finally {
    await database.close();
  }
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const program = new Command('xapi-gateway')
  .description('MOOC learning data into xAPI, kept in PostgreSQL until an LRS has it')
  .showHelpAfterError();

program
  .command('serve')
  .description('serve /xapi, /health, /metrics and flush the outbox on FLUSH_CRON')
  .action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const service = await startService(config, logger);
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping');
      service.stop().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGTERM', stop).once('SIGINT', stop);
  });

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(() => withContext(async ({ database }) => {
      printJson({ migrated: true, database: database.kind });
    }),
  );

program
  .command('flush')
  .description('deliver due outbox statements to the LRS until nothing is due')
  .action(() =>
    withContext(async ({ config, logger, database, outbox }) => {
      printJson(await flushOnce(config, { database, outbox, logger }));
    }),
  );

program
  .command('status')
  .description('outbox counts by state, oldest pending statement, and dead and conflict rows with reasons')
  .option('--limit <n>', 'failed rows to list', '50')
  .action((opts: { limit: string }) =>
    withContext(async ({ outbox }) => {
      const status = await outbox.status();
      printJson({ ...status, failed: await outbox.failed(Number(opts.limit) || 50) });
    }),
  );

program
  .command('requeue')
  .description('send dead statements again (after fixing the cause)')
  .option('--conflicts', 'also requeue conflict rows')
  .option('--id <uuid...>', 'only these statement ids')
  .action((opts: { conflicts?: boolean; id?: string[] }) =>
    withContext(async ({ outbox }) => {
      printJson({ requeued: await outbox.requeue({ includeConflicts: opts.conflicts === true, ...(opts.id && { ids: opts.id }) }) });
    }),
  );

const credentialsCommand = program.command('credentials').description('credentials of the embedded LRS kept in the database');
credentialsCommand
  .command('add')
  .description('create a credential and print its password once')
  .argument('<username>', 'the Basic auth user name')
  .option('--read-only', 'may only read statements and documents')
  .option('--label <text>', 'what the credential is for')
  .action((username: string, opts: { readOnly?: boolean; label?: string }) =>
    withContext(async ({ database }) => {
      const scope = opts.readOnly ? 'read' : 'read_write';
      const password = await new CredentialStore(database).add(username, scope, opts.label);
      printJson({ username, password, scope, note: 'the password is shown this once; only its hash is stored' });
    }),
  );
credentialsCommand
  .command('list')
  .description('list credentials, without secrets')
  .action(() =>
    withContext(async ({ database }) => {
      printJson(await new CredentialStore(database).list());
    }),
  );
credentialsCommand
  .command('revoke')
  .description('revoke a credential (it stops working within seconds)')
  .argument('<username>', 'the credential to revoke')
  .action((username: string) =>
    withContext(async ({ database }) => {
      if (!(await new CredentialStore(database).revoke(username))) throw new Error(`no active credential named ${username}`);
      printJson({ revoked: username });
    }),
  );

const importCommand = program.command('import').description('translate a source into the outbox');
importCommand
  .command('xapi')
  .description('validate and enqueue ready-made statements, one JSON per line (- for stdin)')
  .argument('<file>', 'NDJSON file of statements, or - for standard input')
  .action(async (file: string) => {
    // A missing input is known before the database is opened.
    const input = await openNdjson(file);
    await withContext(async ({ database, outbox, logger }) => {
      const { runId, summary } = await importXapi(input, file === '-' ? 'stdin' : file, { database, outbox, logger });
      printJson({ runId, ...summary });
    });
  });

/** The options of an edX log run, checked before anything is opened. */
interface EdxRunOptions {
  from?: string;
  to?: string;
  course?: string[];
}

const DAY = /^\d{4}-\d\d-\d\d$/;

async function edxRunInput(paths: string[], opts: EdxRunOptions): Promise<EdxRunInput> {
  for (const [name, value] of [['--from', opts.from], ['--to', opts.to]] as const) {
    if (value !== undefined && !DAY.test(value)) throw new Error(`${name}: expected a day, YYYY-MM-DD`);
  }
  // A missing input is known before the database is opened.
  await listLogFiles(paths, opts);
  return { paths, ...(opts.from && { from: opts.from }), ...(opts.to && { to: opts.to }), ...(opts.course && { courses: opts.course }) };
}

const edxLogArguments = (command: Command) =>
  command
    .argument('<paths...>', 'tracking log files (.log, .log.gz) or folders, read recursively')
    .option('--from <day>', 'first day of events to read, YYYY-MM-DD (UTC)')
    .option('--to <day>', 'last day of events to read, YYYY-MM-DD (UTC)')
    .option('--course <id...>', 'only these course ids (default: EDX_COURSE_IDS, else all)');

edxLogArguments(importCommand.command('edx').description('translate edX tracking logs into the outbox')).action(
  async (paths: string[], opts: EdxRunOptions) => {
    const input = await edxRunInput(paths, opts);
    await withContext(async (ctx) => {
      const { runId, summary } = await importEdx(input, ctx);
      printJson({ runId, ...summary });
    });
  },
);

importCommand
  .command('edx-package')
  .description('one course run of the edX research data package: structure, profiles, tables, forum and the events of the span')
  .argument('<root>', 'the package root, holding course-data/ and edx-course-data/')
  .requiredOption('--course <id>', 'the course run, e.g. course-v1:OrgX+CS101+2026')
  .option('--from <day>', 'first day of events to read, YYYY-MM-DD (UTC)')
  .option('--to <day>', 'last day of events; the snapshot read is the first on or after it')
  .action(async (root: string, opts: { course: string; from?: string; to?: string }) => {
    for (const [name, value] of [['--from', opts.from], ['--to', opts.to]] as const) {
      if (value !== undefined && !DAY.test(value)) throw new Error(`${name}: expected a day, YYYY-MM-DD`);
    }
    await withContext(async (ctx) => {
      const { runId, summary, snapshot, blocks } = await importEdxPackage({ root, course: opts.course, ...(opts.from && { from: opts.from }), ...(opts.to && { to: opts.to }) }, ctx);
      printJson({ runId, snapshot, blocks, ...summary });
    });
  });

/** The input of a Coursera run; a missing or unreadable export is known before the database is opened. */
async function courseraRunInput(paths: string[], opts: { course?: string }): Promise<CourseraRunInput> {
  for (const path of paths) (await listExportFiles(path)).close();
  return { paths, ...(opts.course && { courseId: opts.course }) };
}

const courseraArguments = (command: Command) =>
  command
    .argument('<paths...>', 'export folders (CSV tables, clickstream access-YYYY-MM-DD.csv[.gz], or tables/ and clickstream/ subfolders) or .zip files')
    .option('--course <id>', 'the Coursera course id of rows that name none (clickstream); default: the structure tables\' course_id, else the folder <courseId>/<day>/');

courseraArguments(importCommand.command('coursera').description('translate Coursera research exports into the outbox')).action(
  async (paths: string[], opts: { course?: string }) => {
    const input = await courseraRunInput(paths, opts);
    await withContext(async (ctx) => {
      const { runId, summary } = await importCoursera(input, ctx);
      printJson({ runId, ...summary });
    });
  },
);

/** The input of a FutureLearn run; a missing path, or one with no dataset CSV, is known before the database is opened. */
async function futurelearnRunInput(paths: string[]): Promise<FutureLearnRunInput> {
  for (const path of paths) await listDatasetFiles(path);
  return { paths };
}

const futurelearnArguments = (command: Command) =>
  command.argument('<paths...>', 'run folders <course>/<run> - <start> - <end>/ of dataset CSVs, data roots <root>/<institution>/<course>/<run> - .../, or dataset CSVs');

futurelearnArguments(importCommand.command('futurelearn').description('translate FutureLearn datasets into the outbox; demographics and video figures into their tables')).action(
  async (paths: string[]) => {
    const input = await futurelearnRunInput(paths);
    await withContext(async (ctx) => {
      const { runId, summary } = await importFutureLearn(input, ctx);
      printJson({ runId, ...summary });
    });
  },
);

const reportCommand = program.command('report').description('reports computed from the statements in the LRS');
reportCommand
  .command('edx')
  .description('edX course-run reports as CSV files with a README.txt; `learner-events` prints one learner\'s statements')
  .argument('<report>', `a report (${Object.keys(EDX_REPORTS).join(', ')}), all, or learner-events`)
  .requiredOption('--course <id>', 'the course run, e.g. course-v1:OrgX+CS101+2026')
  .option('--out <folder>', 'where the CSV files go (not for learner-events)')
  .option('--learner <name>', 'the learner\'s pseudonym (learner-events)')
  .option('--from <day>', 'first day, YYYY-MM-DD (UTC)')
  .option('--to <day>', 'last day, YYYY-MM-DD (UTC)')
  .action((report: string, opts: { course: string; out?: string; learner?: string; from?: string; to?: string }) =>
    withContext(async ({ config, database }) => {
      const scope = edxCourseScope(config, opts.course, opts);
      const query = configuredStatementQuery(config, database);
      if (report === 'learner-events') {
        if (opts.learner === undefined) throw new Error('learner-events needs --learner');
        await learnerEventsCsv(query, scope, opts.learner, config.edxLmsUrl!.replace(/\/$/, ''), process.stdout);
        return;
      }
      if (opts.out === undefined) throw new Error('--out: the folder of the CSV files is required');
      const structure = await courseStructure(database, newFormCourseId(opts.course)!);
      const options = structure.length > 0 ? { ...reportOptions(config), structure } : reportOptions(config);
      printJson(await reportEdxToFolder(query, scope, options, report, opts.out));
    }),
  );

reportCommand
  .command('coursera')
  .description('the 12 learner indicators of a Coursera course as CSV, one row per learner (pseudonym)')
  .requiredOption('--course <id>', 'the Coursera course id')
  .option('--at <time>', 'the indicators as they stood at this ISO 8601 time; default now')
  .option('--out <file>', 'the CSV file to write; default stdout')
  .action((opts: { course: string; at?: string; out?: string }) =>
    withContext(async ({ config, database }) => {
      const at = opts.at === undefined ? undefined : new Date(opts.at);
      if (at !== undefined && Number.isNaN(at.getTime())) throw new Error('--at: expected an ISO 8601 time, e.g. 2026-10-01T00:00:00Z');
      const out = opts.out === undefined ? process.stdout : createWriteStream(opts.out);
      const counts = await writeCourseraIndicatorsCsv({ database, statements: configuredStatementQuery(config, database) }, opts.course, out, at);
      if (opts.out !== undefined) {
        out.end();
        await once(out, 'finish');
        printJson({ file: opts.out, ...counts });
      }
    }),
  );

reportCommand
  .command('futurelearn')
  .description('the FutureLearn run reports (overview, step funnel, comment activity, quiz results, video stats) as CSV files with a README.txt')
  .requiredOption('--course <slug>', 'the course slug, as in the admin pages and the data folders')
  .requiredOption('--run <number>', 'the run number')
  .requiredOption('--out <folder>', 'where the CSV files go')
  .action((opts: { course: string; run: string; out: string }) =>
    withContext(async ({ config, database }) => {
      printJson(await writeFutureLearnReports(configuredStatementQuery(config, database), database, { course: opts.course, run: opts.run }, opts.out));
    }),
  );

reportCommand
  .command('khan')
  .description('the Khan Academy warehouse tables as the old tool\'s CSV files, with first_seen and last_seen, and a README.txt')
  .argument('<table>', `a table (${KHAN_TABLES.join(', ')}) or all`)
  .requiredOption('--out <folder>', 'where the CSV files go')
  .action((table: string, opts: { out: string }) =>
    withContext(async ({ database }) => {
      if (table !== 'all' && !(KHAN_TABLES as readonly string[]).includes(table)) throw new Error(`${table}: not a Khan table; one of ${KHAN_TABLES.join(', ')}, or all`);
      printJson({ files: await writeKhanCsv(database, table as KhanTableName | 'all', opts.out) });
    }),
  );

program
  .command('export-edx-email-opt-in')
  .description('PERSONAL DATA: email, name, gender, year of birth and country of the learners of a course run who opted in to email, read straight from the research package')
  .argument('<root>', 'the package root, holding course-data/')
  .requiredOption('--course <id>', 'the course run')
  .requiredOption('--out <file>', 'the CSV file to write (created readable by its owner only)')
  .action(async (root: string, opts: { course: string; out: string }) => {
    process.stderr.write('xapi-gateway: this export holds personal data (emails and names) of learners who opted in to email; keep it safe and delete it after use.\n');
    printJson(await exportEmailOptIn(root, opts.course, opts.out));
  });

const courseraCommand = program.command('coursera').description('the Coursera research exports pull');
courseraCommand
  .command('pull')
  .description('request, poll, download and import the exports of COURSERA_COURSE_IDS now, as the schedule does; prints the summary')
  .action(() =>
    withContext(async (ctx) => {
      const result = await ctx.database.withAdvisoryLock(COURSERA_FETCH_LOCK, () => pullCoursera(ctx), { wait: false });
      if (!result.ran) throw new Error('another instance is pulling Coursera exports now; try again when it is done');
      printJson(result.value);
    }),
  );
courseraCommand
  .command('jobs')
  .description('the export jobs requested so far, newest first, with their status, folder, import and last error')
  .option('--course <id>', 'only this course')
  .action((opts: { course?: string }) =>
    withContext(async ({ database }) => {
      for (const job of await listExportJobs(database, opts.course)) process.stdout.write(`${JSON.stringify(job)}\n`);
    }),
  );

program
  .command('futurelearn')
  .description('the FutureLearn admin-site pull')
  .command('pull')
  .description('sign in, download every run\'s changed datasets into FUTURELEARN_DATA_DIR and import those runs now, as the schedule does')
  .action(() =>
    withContext(async (ctx) => {
      const result = await ctx.database.withAdvisoryLock(FUTURELEARN_FETCH_LOCK, () => pullFutureLearn(ctx), { wait: false });
      if (!result.ran) throw new Error('another instance is pulling FutureLearn now; try again when it is done');
      printJson(result.value);
    }),
  );

const khanCommand = program.command('khan').description('Khan Academy coaches (OAuth 1.0a) and the nightly pull of their students');
khanCommand
  .command('authorize')
  .description('authorize a coach: prints the address to approve at, then takes the pasted callback address (or receives it with --listen); stores the token sealed')
  .requiredOption('--coach <email>', 'the email the coach signs in to Khan Academy with')
  .option('--listen <port>', 'receive the callback on 127.0.0.1:<port> instead of a paste (0 = any free port)')
  .action((opts: { coach: string; listen?: string }) =>
    withContext(async ({ config, database }) => {
      const port = opts.listen === undefined ? undefined : Number(opts.listen);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) throw new Error('--listen: expected a port number, 0 to 65535');
      printJson(await authorizeKhanCoach({ config, database, coachEmail: opts.coach, io: terminalKhanIo(), ...(port !== undefined && { listen: { port } }) }));
    }),
  );
khanCommand
  .command('coaches')
  .description('every coach ever authorized, with when, revocation, last pull and its error; never a token')
  .action(() =>
    withContext(async ({ database }) => {
      printJson(await listKhanCoaches(database));
    }),
  );
khanCommand
  .command('revoke')
  .description('stop pulling a coach (by email or Khan user id); authorize again to resume')
  .argument('<coach>', 'the coach\'s email or Khan user id')
  .action((coach: string) =>
    withContext(async ({ database }) => {
      if (!(await revokeKhanCoach(database, coach))) throw new Error(`no active Khan coach is ${coach}; see khan coaches`);
      printJson({ revoked: coach });
    }),
  );
khanCommand
  .command('pull')
  .description('pull every authorized coach\'s students into the tables and the outbox now, as the schedule does; prints the summary')
  .action(() =>
    withContext(async (ctx) => {
      const result = await ctx.database.withAdvisoryLock(KHAN_PULL_LOCK, () => pullKhanNow(ctx, { showProgress: true }), { wait: false });
      if (!result.ran) throw new Error('another instance is pulling Khan Academy now; try again when it is done');
      printJson(result.value);
    }),
  );

const translateCommand = program.command('translate').description('translate a source to NDJSON statements on stdout, with no database');
edxLogArguments(translateCommand.command('edx').description('edX tracking logs to NDJSON statements; the summary goes to stderr')).action(
  async (paths: string[], opts: EdxRunOptions) => {
    const input = await edxRunInput(paths, opts);
    const config = loadConfig();
    const summary = await translateEdx(input, { config, logger: createLogger(config.logLevel), out: process.stdout });
    process.stderr.write(`${JSON.stringify(summary)}\n`);
  },
);

courseraArguments(translateCommand.command('coursera').description('Coursera research exports to NDJSON statements; the summary goes to stderr')).action(
  async (paths: string[], opts: { course?: string }) => {
    const input = await courseraRunInput(paths, opts);
    const config = loadConfig();
    const summary = await translateCoursera(input, { config, logger: createLogger(config.logLevel), out: process.stdout });
    process.stderr.write(`${JSON.stringify(summary)}\n`);
  },
);

futurelearnArguments(translateCommand.command('futurelearn').description('FutureLearn datasets to NDJSON statements; the summary goes to stderr')).action(
  async (paths: string[]) => {
    const input = await futurelearnRunInput(paths);
    const config = loadConfig();
    const summary = await translateFutureLearn(input, { config, logger: createLogger(config.logLevel), out: process.stdout });
    process.stderr.write(`${JSON.stringify(summary)}\n`);
  },
);

program.parseAsync().catch((err: unknown) => {
  // "Cannot run": one line, no stack, no secrets.
  const message = err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof CodedError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  process.stderr.write(`xapi-gateway: ${message}\n`);
  process.exit(1);
});
