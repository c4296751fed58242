/**
 * The part of the SAMCED bundle that comes from the course run's research package
 * snapshot: the eight standard edX tables as tables (only the columns below: the personal
 * ones the import drops stay out), and the run's files to copy under the names the old
 * toolkit gave them, except those holding names, emails, IP addresses or free text.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Rejection } from '../../xapi/run-summary.js';
import { coursePrefix, type PackageSnapshot } from '../../ingest/edx/package.js';
import { readColumns, TABLE_COLUMNS } from '../../ingest/edx/package-tables.js';
import type { Cell, ReportTable } from '../table.js';

/** The columns kept of the tables the import does not read, and the ones dropped on purpose (personal or free text). */
const OTHER_TABLES: Record<string, { columns: string[]; dropped: string[] }> = {
  student_languageproficiency: { columns: ['id', 'user_profile_id', 'code'], dropped: [] },
  user_api_usercoursetag: { columns: ['user_id', 'course_id', 'key', 'value'], dropped: [] },
  wiki_article: { columns: ['id', 'current_revision_id', 'created', 'modified', 'owner_id', 'group_id', 'group_read', 'group_write', 'other_read', 'other_write'], dropped: [] },
  wiki_articlerevision: {
    columns: ['id', 'revision_number', 'automatic_log', 'user_id', 'modified', 'created', 'previous_revision_id', 'deleted', 'locked', 'article_id', 'title'],
    dropped: ['ip_address', 'user_message', 'content'],
  },
};

/** The eight standard tables in the old tool's order, with the columns exported. */
export const STANDARD_TABLES: Record<string, readonly string[]> = {
  auth_userprofile: TABLE_COLUMNS.auth_userprofile,
  certificates_generatedcertificate: TABLE_COLUMNS.certificates_generatedcertificate,
  courseware_studentmodule: TABLE_COLUMNS.courseware_studentmodule,
  student_courseenrollment: TABLE_COLUMNS.student_courseenrollment,
  student_languageproficiency: OTHER_TABLES.student_languageproficiency!.columns,
  user_api_usercoursetag: OTHER_TABLES.user_api_usercoursetag!.columns,
  wiki_article: OTHER_TABLES.wiki_article!.columns,
  wiki_articlerevision: OTHER_TABLES.wiki_articlerevision!.columns,
};

/** What a column of a standard table holds; `<table>.<column>` where the meaning depends on the table. */
const MEANING: Record<string, string> = {
  id: 'row id in the edX table',
  user_id: 'edX user id, as the package has it',
  student_id: 'edX user id, as the package has it',
  owner_id: 'edX user id of the article\'s owner, as the package has it',
  user_profile_id: 'id of the auth_userprofile row',
  course_id: 'the course run id',
  created: 'when the row was created (UTC)',
  modified: 'when the row was last changed (UTC)',
  created_date: 'when the certificate was created (UTC)',
  modified_date: 'when the certificate was last changed (UTC)',
  is_active: '1 while enrolled, 0 after unenrolling',
  mode: 'enrollment or certificate track (audit, honor, verified, ...)',
  'certificates_generatedcertificate.grade': 'final course grade, 0 to 1',
  'courseware_studentmodule.grade': 'points scored in the module',
  status: 'certificate status (downloadable, notpassing, ...)',
  module_type: 'kind of module (problem, video, sequential, ...)',
  module_id: 'usage key of the module',
  max_grade: 'points possible in the module',
  language: 'language the learner gave',
  location: 'location the learner gave',
  gender: 'self-reported gender (m, f, o)',
  year_of_birth: 'self-reported year of birth',
  level_of_education: 'self-reported level of education (edX codes)',
  country: 'country code',
  city: 'city the learner gave',
  code: 'language code of a language the learner speaks',
  key: 'name of the tag (e.g. an experiment group)',
  value: 'value of the tag',
  current_revision_id: 'id of the article\'s current revision',
  group_id: 'id of the group owning the article',
  group_read: 'whether the group may read', group_write: 'whether the group may write',
  other_read: 'whether others may read', other_write: 'whether others may write',
  revision_number: 'number of the revision within its article',
  automatic_log: 'what the wiki logged about the change',
  previous_revision_id: 'id of the revision before',
  deleted: 'whether the revision deleted the article',
  locked: 'whether the article is locked',
  article_id: 'id of the wiki_article',
  title: 'title of the article at this revision',
};

/** What column `column` of the standard table `table` holds. */
export function standardMeaning(table: string, column: string): string {
  const meaning = MEANING[`${table}.${column}`] ?? MEANING[column];
  if (meaning === undefined) throw new Error(`no meaning for ${table}.${column}`);
  return meaning;
}

/** The standard tables read from `snapshot` (empty where the file is missing), and every header problem or bad row. */
export async function standardTables(snapshot: PackageSnapshot, courseId: string): Promise<{ tables: ReportTable[]; problems: { at: string; rejection: Rejection }[] }> {
  const prefix = coursePrefix(courseId);
  const files = new Set(await readdir(snapshot.folder));
  const problems: { at: string; rejection: Rejection }[] = [];
  const tables: ReportTable[] = [];
  for (const [table, columns] of Object.entries(STANDARD_TABLES)) {
    const file = `${prefix}-${table}-prod-analytics.sql`;
    const rows: Cell[][] = [];
    if (!files.has(file)) problems.push({ at: join(snapshot.folder, file), rejection: { code: 'unreadable', detail: `the ${table} table is missing from the snapshot` } });
    else {
      const dropped = OTHER_TABLES[table]?.dropped;
      for await (const r of readColumns(join(snapshot.folder, file), table, columns, ...(dropped ? [new Set(dropped)] : []))) {
        if (r.ok) rows.push(columns.map((c) => r.row[c] ?? null));
        else problems.push({ at: r.at, rejection: r.rejection });
      }
    }
    tables.push(standardTable(table, rows));
  }
  return { tables, problems };
}

/** The standard table `table` with `rows` (none for a bundle without a package snapshot). */
export function standardTable(table: string, rows: Cell[][] = []): ReportTable {
  return { name: table, description: `the edX ${table} table of the package snapshot`, columns: STANDARD_TABLES[table]!.map((name) => ({ name, description: standardMeaning(table, name) })), rows };
}

/** Tables of the run that are not copied: they hold names, emails, usernames, IP addresses or learners' own text. */
export const NOT_COPIED = ['auth_user', 'auth_userprofile', 'certificates_generatedcertificate', 'user_id_map', 'wiki_articlerevision', 'courseware_studentmodule', 'forum'] as const;

/** The old toolkit's name of a run file: `<prefix>-<table>.<ext>`, the `-prod-analytics` or `-prod` suffix left out. */
export function copiedName(prefix: string, file: string): { name: string; table: string } | undefined {
  if (!file.startsWith(`${prefix}-`)) return undefined;
  const m = /^(.*?)(?:-?prod(?:-analytics)?)?(\.[a-z0-9]+(?:\.[a-z0-9]+)*)$/.exec(file.slice(prefix.length + 1));
  if (m === null) return undefined;
  const table = m[1] === '' ? 'forum' : m[1]!;
  return { name: `${prefix}-${table}${m[2]}`, table };
}

/** The run's files in the snapshot to copy: source path and new name; and the tables left out. */
export async function runFiles(snapshot: PackageSnapshot, courseId: string): Promise<{ copy: { from: string; name: string }[]; left: string[] }> {
  const prefix = coursePrefix(courseId);
  const copy: { from: string; name: string }[] = [];
  const left: string[] = [];
  for (const file of (await readdir(snapshot.folder)).sort()) {
    const named = copiedName(prefix, file);
    if (named === undefined) continue;
    if ((NOT_COPIED as readonly string[]).includes(named.table)) left.push(named.table);
    else copy.push({ from: join(snapshot.folder, file), name: named.name });
  }
  return { copy, left };
}
