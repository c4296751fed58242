/**
 * The one table shape of every report and its one writer: CSV for R, Tableau and Excel
 * (UTF-8, RFC 4180, CRLF, a header row) and a README.txt describing every column.
 * edX, FutureLearn, Khan and Coursera reports and the CLI all write through here.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';

/** A column of a report and what it holds, for the README. */
export interface Column {
  name: string;
  description: string;
}

/** A cell value; null is an empty cell. */
export type Cell = string | number | boolean | null;

/** A computed report. */
export interface ReportTable {
  name: string;
  description: string;
  columns: Column[];
  rows: Cell[][];
}

/**
 * CSV text of `rows` (the header is a row like the others): null is an empty cell.
 * @example csvText([['learner', 'points'], ['p1', 10]]) // 'learner,points\r\np1,10\r\n'
 */
export function csvText(rows: readonly (readonly Cell[])[]): string {
  return stringify(
    rows.map((row) => row.map((c) => (c === null ? '' : typeof c === 'boolean' ? String(c) : c))),
    { record_delimiter: '\r\n' },
  );
}

/**
 * The CSV text of a table: its header row, then its rows.
 * @example csvOf({ name: 'points', description: '', columns: [{ name: 'learner', description: '' }], rows: [['p1']] }) // 'learner\r\np1\r\n'
 */
export function csvOf(table: ReportTable): string {
  return csvText([table.columns.map((c) => c.name), ...table.rows]);
}

/**
 * The columns of `tables` as Markdown, one section per file: the part of docs/reports/*.md
 * that test/reports/column-docs.test.ts keeps in step with the code.
 * @example columnsMarkdown(futurelearnTables(emptyRun)) // '### overview.csv\n\n...'
 */
export function columnsMarkdown(tables: readonly ReportTable[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return tables
    .map((t) => [`### ${t.name}.csv`, '', `${cell(t.description.charAt(0).toUpperCase() + t.description.slice(1))}.`, '', '| column | meaning |', '|---|---|', ...t.columns.map((c) => `| \`${c.name}\` | ${cell(c.description)} |`), ''].join('\n'))
    .join('\n');
}

/** How learners are named in the reports, unless a writer says otherwise. */
const PSEUDONYMS = 'Learners are named by a pseudonym (an HMAC of their platform user id) or by their linked ECO user id; no names or emails.';

/**
 * Writes `tables` into `folder`, one CSV each, and a README.txt headed by `about`; returns the files written.
 * @example await writeReportFiles('./out', tables, 'edX course reports of OrgX/CS101/2026');
 */
export async function writeReportFiles(folder: string, tables: ReportTable[], about: string, learners = PSEUDONYMS): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for (const t of tables) {
    const path = join(folder, `${t.name}.csv`);
    await writeFile(path, csvOf(t));
    files.push(path);
  }
  const readme = [
    about,
    '',
    learners,
    'Every file is UTF-8 CSV (RFC 4180) with a header row.',
    '',
    ...tables.flatMap((t) => [`${t.name}.csv: ${t.description}`, ...t.columns.map((c) => `  ${c.name}: ${c.description}`), '']),
  ].join('\r\n');
  await writeFile(join(folder, 'README.txt'), readme);
  return [...files, join(folder, 'README.txt')];
}
