/**
 * Bulk import of courses and identity links, from CSV (a header row) or a JSON array.
 * Each record is checked as the single-record endpoints check it; the good records are
 * stored and every bad one is listed with its position (`line 3`, `item 2`) and fields.
 *
 * Course CSV columns: id, platform, platform_course_id, title:<lang>, description:<lang>
 * (one column per language), languages, teachers, sets (`;`-separated), url,
 * organisation, start_date, end_date, units, study_load_hours, typical_learning_time,
 * interest_area, image_url, published (true or false). Link CSV columns: platform,
 * platform_user_id, eco_user_id.
 */
import { parse } from 'csv-parse/sync';
import type { Database } from '../db/connection.js';
import { CodedError } from '../errors.js';
import { CatalogValidationError, type CourseStore } from './courses.js';
import { putIdentityLink } from './identity-links.js';
import type { FieldProblem } from './schemas.js';

/** What can be imported in bulk. */
export type BulkKind = 'courses' | 'identity-links';

/** The outcome of a bulk import. */
export interface BulkResult {
  read: number;
  imported: number;
  rejected: number;
  /** The first rejected records, each with every bad field. */
  errors: { at: string; errors: FieldProblem[] }[];
}

const ERROR_LIMIT = 100;
const LIST_COLUMNS = new Set(['languages', 'teachers', 'sets']);
const INTEGER_COLUMNS = new Set(['units', 'study_load_hours']);

const camel = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** One CSV row of courses as the JSON the API takes: empty cells are absent fields. */
function courseFromRow(row: Record<string, string>): Record<string, unknown> {
  const course: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(row)) {
    const value = raw.trim();
    if (value === '') continue;
    const [field, language] = column.split(':') as [string, string | undefined];
    if (language !== undefined && (field === 'title' || field === 'description')) {
      const map = (course[`${field}s`] ??= {}) as Record<string, string>;
      map[language] = value;
    } else if (LIST_COLUMNS.has(field)) course[camel(field)] = value.split(';').map((v) => v.trim()).filter(Boolean);
    else if (INTEGER_COLUMNS.has(field)) course[camel(field)] = /^-?\d+$/.test(value) ? Number(value) : value;
    else if (field === 'published') course.published = value === 'true' ? true : value === 'false' ? false : value;
    else course[camel(field)] = value;
  }
  return course;
}

function linkFromRow(row: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v.trim() !== '').map(([k, v]) => [camel(k), v.trim()]));
}

/** The records of a body, each with its position. */
function records(kind: BulkKind, body: unknown, format: 'csv' | 'json'): { at: string; value: unknown }[] {
  if (format === 'json') {
    if (!Array.isArray(body)) throw new CodedError('invalid', 'a JSON import must be an array of records');
    return body.map((value, i) => ({ at: `item ${i}`, value }));
  }
  if (typeof body !== 'string') throw new CodedError('invalid', 'a CSV import must be sent as text/csv');
  let rows: Record<string, string>[];
  try {
    rows = parse(body, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false });
  } catch (err) {
    throw new CodedError('invalid', `not CSV: ${err instanceof Error ? err.message : 'parse error'}`);
  }
  // Line 1 is the header.
  return rows.map((row, i) => ({ at: `line ${i + 2}`, value: kind === 'courses' ? courseFromRow(row) : linkFromRow(row) }));
}

/** Imports every good record of `body`; 400 only when the body as a whole cannot be read. */
export async function bulkImport(kind: BulkKind, body: unknown, format: 'csv' | 'json', deps: { database: Database; courses: CourseStore }): Promise<BulkResult> {
  const result: BulkResult = { read: 0, imported: 0, rejected: 0, errors: [] };
  for (const { at, value } of records(kind, body, format)) {
    result.read += 1;
    try {
      if (kind === 'courses') await deps.courses.put(value);
      else await putIdentityLink(deps.database, value);
      result.imported += 1;
    } catch (err) {
      if (!(err instanceof CatalogValidationError)) throw err;
      result.rejected += 1;
      if (result.errors.length < ERROR_LIMIT) result.errors.push({ at, errors: err.problems });
    }
  }
  return result;
}
