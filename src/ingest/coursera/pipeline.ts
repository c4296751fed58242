/**
 * The Coursera pipeline shared by `import coursera`, `translate coursera` and the
 * scheduled fetch: an export (folder or zip) read structure first, then the activity
 * tables, then the clickstream, each row an import item (statements, ignored, or
 * rejected) through the Coursera translator. Its summary type is the table name or
 * `clickstream:<page type>`.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ImportItem } from '../../lrs/import-run.js';
import { translateCourseraRecord, type CourseraTranslateOptions } from '../../translators/coursera.js';
import { pseudonym } from '../../xapi/ids.js';
import { remembered } from '../../xapi/remembered.js';
import { readClickstream } from './clickstream.js';
import type { LinkedEcoUser } from '../../catalog/identity-links.js';
import { listExportFiles } from './export-files.js';
import type { CourseraRow } from './records.js';
import type { CourseraStructure } from './structure.js';
import { readCourseraStructure, readCourseraTables } from './tables.js';

/** How to read one export. */
export interface CourseraItemsOptions {
  /** The account name of a hashed user id (see `courseraActorName`). */
  actorName: (userId: string) => string;
  /** The export's course; else the structure tables' `course_id`, else the folder layout. */
  courseId?: string;
  /** A tables export whose structure serves an export that has none (a clickstream of another day). */
  structureFrom?: string;
}

/** Each learner's account name: the linked ECO user id, else the keyed pseudonym of the hashed Coursera id. */
export function courseraActorName(secret: string, linked: LinkedEcoUser = () => undefined): (userId: string) => string {
  // An export repeats the same learners on every row, and the HMAC is most of a row's translation.
  const pseudonymOf = remembered((userId: string) => pseudonym(secret, userId), 100_000);
  return (userId) => linked(userId) ?? pseudonymOf(userId);
}

const DAY = /^\d{4}-\d\d-\d\d/;

/**
 * The course id that the folder layout of downloaded exports gives,
 * `<exportDir>/<courseId>/<day>/...` (the id URL-encoded): the folder above the first dated one of the path.
 * @example layoutCourseId('/data/coursera/abc123/2026-09-14/tables.zip') // 'abc123'
 */
export function layoutCourseId(path: string): string | undefined {
  let here = resolve(path);
  for (let depth = 0; depth < 3; depth++) {
    if (DAY.test(basename(here))) {
      // The fetch names the folder by the encoded course id.
      const course = decode(basename(dirname(here)));
      return course === '' ? undefined : course;
    }
    here = dirname(here);
  }
  return undefined;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** One row as an import item. */
export function courseraItem(row: CourseraRow, opts: CourseraTranslateOptions): ImportItem {
  const { at, source } = row;
  if (row.ok === 'skipped') return { at, type: source, ignored: true };
  if (!row.ok) return { at, type: source, rejection: row.rejection };
  const t = translateCourseraRecord(row.record, opts);
  if ('statements' in t) return { at, type: source, statements: t.statements };
  if ('ignored' in t) return { at, type: source, ignored: true };
  return { at, type: source, payload: JSON.stringify(row.record), rejection: t.rejection };
}

/**
 * Every row of the export at `path` (folder or zip) as an import item: structure rows,
 * activity tables, then clickstream files by day. Throws `CourseraInputError` when the
 * path cannot be read at all.
 * @example await runImport(courseraItems('exports/abc/2026-09-14', { actorName }), { database, outbox, source: 'coursera', input });
 */
export async function* courseraItems(path: string, opts: CourseraItemsOptions): AsyncGenerator<ImportItem> {
  const files = await listExportFiles(path);
  try {
    const { structure, rows } = await readCourseraStructure(files.tables);
    const siblings = structure.items.size > 0 ? undefined : (await siblingStructure(path)) ?? (opts.structureFrom === undefined ? undefined : await structureOf(opts.structureFrom));
    const courseId = opts.courseId ?? structure.courseId ?? siblings?.courseId ?? layoutCourseId(path);
    const translate: CourseraTranslateOptions = { actorName: opts.actorName, structure: siblings ?? structure, ...(courseId === undefined ? {} : { courseId }) };
    for (const row of rows) yield courseraItem(row, translate);
    for await (const row of readCourseraTables(files.tables)) yield courseraItem(row, translate);
    for await (const row of readClickstream(files.clickstream)) yield courseraItem(row, translate);
  } finally {
    files.close();
  }
}

/**
 * The structure in the `tables/` folder beside a `clickstream/` folder, as the scheduled
 * fetch lays out one day's export: views then carry the item positions too. Its rows
 * are not counted again: the import of the tables counts them.
 */
async function siblingStructure(path: string): Promise<CourseraStructure | undefined> {
  if (basename(resolve(path)) !== 'clickstream') return undefined;
  const tables = join(dirname(resolve(path)), 'tables');
  if (!(await stat(tables).then((s) => s.isDirectory(), () => false))) return undefined;
  return structureOf(tables);
}

/** The structure of the tables export at `path`, if it has one. */
async function structureOf(path: string): Promise<CourseraStructure | undefined> {
  const files = await listExportFiles(path);
  try {
    const { structure } = await readCourseraStructure(files.tables);
    return structure.items.size === 0 ? undefined : structure;
  } finally {
    files.close();
  }
}
