/**
 * `report edx samced --course <id> --out <folder> [--package <root>]`: the ChalmersX
 * toolkit's per-run bundle. The edX reports (one read of the course's statements) and the
 * package snapshot's standard tables become `SAMCED-<table>.csv` under the old names, the
 * run's files are copied as `<org>-<course>-<run>-<table>.<ext>`, and `info.txt` says what
 * was run, when and on which data; README.txt describes every file and column.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chooseSnapshot, PackageError, type PackageSnapshot } from '../ingest/edx/package.js';
import type { StatementQuery } from '../lrs/statement-query.js';
import type { ReportOptions } from '../reports/edx/reports.js';
import { runEdxReports, type ReportScope } from '../reports/edx/run-reports.js';
import { NOT_COPIED, runFiles, standardTable, standardTables, STANDARD_TABLES } from '../reports/edx/samced-package.js';
import { SAMCED_REPORTS, samcedReportTables } from '../reports/edx/samced-tables.js';
import { writeReportFiles, type ReportTable } from '../reports/table.js';
import { rejectionReason, type Rejection } from '../xapi/run-summary.js';

/** What the bundle is made of and where it goes. */
export interface SamcedInput {
  query: StatementQuery;
  scope: ReportScope;
  options: ReportOptions;
  courseId: string;
  out: string;
  /** The package root given with --package; without it, `defaultRoot` is tried. */
  packageRoot?: string;
  /** Where the S3 sync unpacks the research data packages (DATA_DIR/edx-data). */
  defaultRoot: string;
  /** The command as run, for info.txt. */
  command: string;
  now: () => Date;
}

/** What was written. */
export interface SamcedResult {
  files: string[];
  statements: number;
  snapshot: string | null;
  packageProblems: number;
}

const SQLITE_NOTE = [
  'The old tool also wrote the tables into one SQLite file (<org>-<course>-<run>-SAMCED.db). This bundle has none:',
  'Node 20, which the service runs on, has no built-in SQLite (node:sqlite comes with Node 22.5), and the well-kept',
  'SQLite module (better-sqlite3) is native code the service does not add. Load the CSV files with `sqlite3 -csv`',
  '(.import SAMCED-<table>.csv <table>) to get the same database.',
];

/** The snapshot of the given package, or of the synced one if there is one there (else none). */
async function snapshotOf(input: SamcedInput): Promise<PackageSnapshot | undefined> {
  if (input.packageRoot !== undefined) return chooseSnapshot(input.packageRoot, input.courseId, input.scope.to);
  try {
    return await chooseSnapshot(input.defaultRoot, input.courseId, input.scope.to);
  } catch (err) {
    if (err instanceof PackageError) return undefined;
    throw err;
  }
}

/** Writes the bundle of one course run into `out`. */
export async function writeSamcedBundle(input: SamcedInput): Promise<SamcedResult> {
  const snapshot = await snapshotOf(input);
  const { tables: reports, statements } = await runEdxReports(input.query, input.scope, input.options, [...SAMCED_REPORTS]);
  const standard = snapshot === undefined ? { tables: Object.keys(STANDARD_TABLES).map((name) => standardTable(name)), problems: [] } : await standardTables(snapshot, input.courseId);
  const files = snapshot === undefined ? { copy: [], left: [] } : await runFiles(snapshot, input.courseId);
  const tables = [...standard.tables, ...samcedReportTables(reports)].map((t) => ({ ...t, name: `SAMCED-${t.name}` }));
  await mkdir(input.out, { recursive: true });
  const copied: string[] = [];
  for (const f of files.copy) {
    await copyFile(f.from, join(input.out, f.name));
    copied.push(f.name);
  }
  const span = `${input.scope.from ?? 'the first day'} to ${input.scope.to ?? 'the last day'}`;
  const about = [
    `SAMCED bundle (Simple Analytics Material Creator for edX Data) of ${input.courseId}, ${span}: see info.txt for the run.`,
    '',
    'info.txt: what was run, when, on which data, and the rows of every file.',
    ...copied.map((name) => `${name}: copied as it is from the research package snapshot.`),
    `Not copied from the package (names, emails, usernames, IP addresses or learners' own text): ${NOT_COPIED.join(', ')}; their SAMCED-<table>.csv keeps the other columns.`,
    '',
    ...SQLITE_NOTE,
  ].join('\r\n');
  const written = await writeReportFiles(input.out, tables, about, 'The standard edX tables name learners by the edX user id as the package has it (no names, emails or usernames); the tables from the reports name them by pseudonym (an HMAC of the user id) or their linked ECO user id.');
  const info = infoText(input, { statements, snapshot, tables, copied, left: files.left, problems: standard.problems });
  await writeFile(join(input.out, 'info.txt'), info);
  return { files: [join(input.out, 'info.txt'), ...copied.map((c) => join(input.out, c)), ...written], statements, snapshot: snapshot?.folder ?? null, packageProblems: standard.problems.length };
}

/** info.txt: the command, the time, the data read and the rows of every file; no learner data. */
function infoText(input: SamcedInput, run: { statements: number; snapshot: PackageSnapshot | undefined; tables: ReportTable[]; copied: string[]; left: string[]; problems: { at: string; rejection: Rejection }[] }): string {
  return [
    `command: ${input.command}`,
    `course: ${input.courseId}`,
    `span: ${input.scope.from ?? 'first day'} to ${input.scope.to ?? 'last day'} (UTC, inclusive)`,
    `generated: ${input.now().toISOString()}`,
    `statements read: ${run.statements}`,
    `package snapshot: ${run.snapshot?.folder ?? 'none'}`,
    `package problems: ${run.problems.length}`,
    ...run.problems.map((p) => `  ${p.at}: ${rejectionReason(p.rejection)}`),
    `not copied (personal data): ${run.left.length === 0 ? 'none' : run.left.join(', ')}`,
    'files:',
    ...run.copied.map((name) => `  ${name}: copied`),
    ...run.tables.map((t) => `  ${t.name}.csv: ${t.rows.length} rows`),
    '',
  ].join('\r\n');
}

/** The command line of a bundle, as info.txt shows it. */
export function samcedCommand(opts: { course: string; from?: string; to?: string; out: string; package?: string }): string {
  return ['report edx samced', `--course ${opts.course}`, opts.from && `--from ${opts.from}`, opts.to && `--to ${opts.to}`, `--out ${opts.out}`, opts.package && `--package ${opts.package}`].filter(Boolean).join(' ');
}
