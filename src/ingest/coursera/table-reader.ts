/**
 * One Coursera table read row by row against the columns it must have. The header
 * decides: a required column missing is one rejection for the whole table (at
 * `file:1`, naming the column) and no row of it is read; the user id column is found
 * under any of its names. Each row then has exactly the header's cells or is rejected.
 */
import type { Rejection } from '../../xapi/run-summary.js';
import { readCsvRows } from '../csv-rows.js';
import type { ExportFile } from './export-files.js';
import type { Fields } from '../../xapi/fields.js';
import { courseraFields, USER_COLUMN } from './row-fields.js';

/** A row's fields at `file:line`, or why the row (or the table) cannot be read. */
export type TableRow = { ok: true; at: string; fields: Fields } | { ok: false; at: string; rejection: Rejection };

/**
 * The user id column of a header: `erasmus_user_id`, else the first `<prefix>_user_id`
 * (the prefix is the partner's short name, so it differs between institutions).
 */
export function userColumn(header: readonly string[]): string | undefined {
  return header.includes('erasmus_user_id') ? 'erasmus_user_id' : header.find((c) => /^[a-z0-9]+(_[a-z0-9]+)*_user_id$/i.test(c));
}

/**
 * The rows of `file`, whose header must hold `required` (`USER_COLUMN` for the user id).
 * @example for await (const row of readTableRows(file, ['course_id', USER_COLUMN])) ...
 */
export async function* readTableRows(file: ExportFile, required: readonly string[]): AsyncGenerator<TableRow> {
  let columns: Map<string, number> | undefined;
  let header: string[] = [];
  const names = new Map<string, string>();
  for await (const row of readCsvRows(file)) {
    const at = `${file.at}:${row.line ?? '?'}`;
    if (!row.ok) {
      const field = row.column === undefined ? undefined : header[row.column];
      yield { ok: false, at, rejection: { code: 'unreadable', ...(field === undefined ? {} : { field }), detail: row.detail } };
      continue;
    }
    if (columns === undefined) {
      header = row.cells.map((c) => c.trim());
      columns = new Map(header.map((c, i) => [c, i]));
      const user = userColumn(header);
      if (user !== undefined) {
        columns.set(USER_COLUMN, columns.get(user)!);
        names.set(USER_COLUMN, user);
      }
      const missing = required.filter((c) => !columns!.has(c));
      if (missing.length > 0) {
        const field = missing.map((c) => (c === USER_COLUMN ? 'erasmus_user_id or <prefix>_user_id' : c)).join(', ');
        yield { ok: false, at, rejection: { code: 'missing_field', field, detail: `the header of ${file.table} lacks it; the table is not read` } };
        return;
      }
      continue;
    }
    if (row.cells.length !== header.length) {
      yield { ok: false, at, rejection: { code: 'unreadable', detail: `${row.cells.length} cells where the header has ${header.length}` } };
      continue;
    }
    yield { ok: true, at, fields: courseraFields(columns, row.cells, names) };
  }
}
