/**
 * The tab-separated tables of the research package (`…-prod-analytics.sql`, a header row
 * despite the name) and its forum dump (`…-prod.mongo`, one JSON object a line), read
 * as records with their `file:line`, in constant memory. `NULL` cells are absent
 * values. A header without a column the import needs, or with one it does not know, is
 * reported once at `file:1`; the rows are read with the columns that are there.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { Rejection } from '../../xapi/run-summary.js';
import { readLogLines } from './log-lines.js';
import type { PackageTable } from './package.js';

/** A row: column → value, NULL cells left out. */
export type Row = Record<string, string>;

/** A row read, or why a row (or the header) could not be read. */
export type TableRecord = { ok: true; at: string; row: Row } | { ok: false; at: string; rejection: Rejection };

/** The columns each table must have; others are reported and ignored. */
export const TABLE_COLUMNS: Record<PackageTable, string[]> = {
  student_courseenrollment: ['id', 'user_id', 'course_id', 'created', 'is_active', 'mode'],
  certificates_generatedcertificate: ['id', 'user_id', 'grade', 'course_id', 'status', 'created_date', 'modified_date', 'mode'],
  courseware_studentmodule: ['id', 'module_type', 'module_id', 'student_id', 'grade', 'created', 'modified', 'max_grade', 'course_id'],
  auth_userprofile: ['id', 'user_id', 'language', 'location', 'gender', 'year_of_birth', 'level_of_education', 'country', 'city'],
};

/** Columns that may appear and are ignored without a word (personal ones never leave this reader). */
const KNOWN_EXTRA = new Set([
  'download_url', 'key', 'distinction', 'verify_uuid', 'download_uuid', 'name', 'error_reason', 'state', 'done',
  'meta', 'courseware', 'mailing_address', 'goals', 'allow_certificate', 'bio', 'profile_image_uploaded_at', 'phone_number',
]);

/** The rows of one table the import reads. */
export function readTable(path: string, table: PackageTable): AsyncGenerator<TableRecord> {
  return readColumns(path, table, TABLE_COLUMNS[table]);
}

/**
 * The rows of the table `name` at `path` with only the cells of `columns` (the others,
 * personal ones too, never leave this reader); a missing or unknown column is reported once.
 */
export async function* readColumns(path: string, name: string, columns: readonly string[], known: ReadonlySet<string> = KNOWN_EXTRA): AsyncGenerator<TableRecord> {
  const parser = createReadStream(path).pipe(parse({ delimiter: '\t', quote: false, relax_column_count: true, skip_empty_lines: true, info: true }));
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const at = `${path}:${info.lines}`;
      if (header === undefined) {
        header = record.map((c) => c.trim());
        const missing = columns.filter((c) => !header!.includes(c));
        const unknown = header.filter((c) => !columns.includes(c) && !known.has(c));
        if (missing.length > 0) yield { ok: false, at, rejection: { code: 'missing_field', field: missing.join(', '), detail: `the ${name} header lacks it; rows are read without it` } };
        if (unknown.length > 0) yield { ok: false, at, rejection: { code: 'bad_value', field: unknown.join(', '), detail: `not a known ${name} column; ignored` } };
        continue;
      }
      if (record.length !== header.length) {
        yield { ok: false, at, rejection: { code: 'unreadable', detail: `${record.length} cells where the header has ${header.length}` } };
        continue;
      }
      const row: Row = {};
      header.forEach((column, i) => {
        const value = record[i]!;
        if (columns.includes(column) && value !== 'NULL' && value !== '') row[column] = value;
      });
      yield { ok: true, at, row };
    }
  } catch (err) {
    yield { ok: false, at: `${path}:?`, rejection: { code: 'unreadable', detail: err instanceof Error ? err.message : String(err) } };
  }
}

/** A post of the forum dump. */
export interface ForumPost {
  id: string;
  kind: 'thread' | 'response' | 'comment';
  authorId: string;
  threadId?: string;
  parentId?: string;
  commentableId?: string;
  createdAt: string;
}

const oid = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'object' && value !== null && typeof (value as { $oid?: unknown }).$oid === 'string' ? (value as { $oid: string }).$oid : undefined;

const mongoDate = (value: unknown): string | undefined => {
  const raw = typeof value === 'object' && value !== null ? (value as { $date?: unknown }).$date : value;
  const ms = typeof raw === 'number' ? raw : typeof raw === 'string' ? Date.parse(raw) : typeof raw === 'object' && raw !== null ? Number((raw as { $numberLong?: unknown }).$numberLong) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
};

/** The posts of a forum dump; bodies and titles are not kept. */
export async function* readForum(path: string): AsyncGenerator<{ ok: true; at: string; post: ForumPost } | { ok: false; at: string; rejection: Rejection }> {
  for await (const line of readLogLines([path])) {
    if (!line.ok) {
      yield line;
      continue;
    }
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(line.line) as Record<string, unknown>;
    } catch {
      yield { ok: false, at: line.at, rejection: { code: 'unreadable', detail: 'not JSON' } };
      continue;
    }
    const id = oid(doc._id);
    const authorId = typeof doc.author_id === 'string' || typeof doc.author_id === 'number' ? String(doc.author_id) : undefined;
    const createdAt = mongoDate(doc.created_at);
    const missing = [['_id', id], ['author_id', authorId], ['created_at', createdAt]].find(([, v]) => v === undefined);
    if (missing !== undefined) {
      yield { ok: false, at: line.at, rejection: { code: 'missing_field', field: String(missing[0]), detail: '' } };
      continue;
    }
    const type = doc._type;
    if (type !== 'CommentThread' && type !== 'Comment') {
      yield { ok: false, at: line.at, rejection: { code: 'bad_value', field: '_type', detail: 'must be CommentThread or Comment' } };
      continue;
    }
    const threadId = oid(doc.comment_thread_id);
    const parentId = oid(doc.parent_id);
    const commentableId = typeof doc.commentable_id === 'string' ? doc.commentable_id : undefined;
    yield {
      ok: true,
      at: line.at,
      post: {
        id: id!,
        kind: type === 'CommentThread' ? 'thread' : parentId === undefined ? 'response' : 'comment',
        authorId: authorId!,
        createdAt: createdAt!,
        ...(threadId && { threadId }),
        ...(parentId && { parentId }),
        ...(commentableId && { commentableId }),
      },
    };
  }
}
