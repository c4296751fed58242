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
 * Writes `tables` into `folder`, one CSV each, and a README.txt headed by `about`; returns the files written.
 * @example await writeReportFiles('./out', tables, 'edX course reports of OrgX/CS101/2026');
 */
export async function writeReportFiles(folder: string, tables: ReportTable[], about: string): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for (const t of tables) {
    const path = join(folder, `${t.name}.csv`);
    await writeFile(path, csvText([t.columns.map((c) => c.name), ...t.rows]));
    files.push(path);
  }
  const readme = [
    about,
    '',
    'Learners are named by a pseudonym (an HMAC of their platform user id) or by their linked ECO user id; no names or emails.',
    'Every file is UTF-8 CSV (RFC 4180) with a header row.',
    '',
    ...tables.flatMap((t) => [`${t.name}.csv: ${t.description}`, ...t.columns.map((c) => `  ${c.name}: ${c.description}`), '']),
  ].join('\r\n');
  await writeFile(join(folder, 'README.txt'), readme);
  return [...files, join(folder, 'README.txt')];
}
