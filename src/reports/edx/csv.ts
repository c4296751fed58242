/**
 * Reports as files for R, Tableau and Excel: one CSV per table (UTF-8, RFC 4180, a
 * header row) and a README.txt describing every column.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { ReportTable } from './run-reports.js';

/** Writes `tables` into `folder`; returns the files written. */
export async function writeReportFiles(folder: string, tables: ReportTable[], about: string): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for (const t of tables) {
    const path = join(folder, `${t.name}.csv`);
    const cells = t.rows.map((row) => row.map((c) => (c === null ? '' : typeof c === 'boolean' ? String(c) : c)));
    await writeFile(path, stringify([t.columns.map((c) => c.name), ...cells], { record_delimiter: '\r\n' }));
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
