/**
 * The Coursera pipeline of `import coursera`, `translate coursera` and the scheduled
 * fetch: an export (folder or zip) read structure first, then the activity tables, then
 * the clickstream, each row through the Coursera translator. Its summary type is the
 * table name or `clickstream:<page type>`.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { loadLinkedEcoUsers, type LinkedEcoUser } from '../catalog/identity-links.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { readClickstream } from '../ingest/coursera/clickstream.js';
import { listExportFiles } from '../ingest/coursera/export-files.js';
import type { CourseraRecord, CourseraRow } from '../ingest/coursera/records.js';
import type { CourseraStructure } from '../ingest/coursera/structure.js';
import { databaseSessionStore, type CourseraSessionStore } from '../ingest/coursera/sessions.js';
import { readCourseraStructure, readCourseraTables } from '../ingest/coursera/tables.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import type { ImportResult } from '../lrs/import-run.js';
import type { Outbox } from '../lrs/outbox.js';
import { translateCourseraRecord, type CourseraTranslateOptions } from '../translators/coursera.js';
import { pseudonym } from '../xapi/ids.js';
import { remembered } from '../xapi/remembered.js';
import type { RunSummary } from '../xapi/run-summary.js';
import { runPipeline, translateSecret, type Pipeline, type RunProgress, type SourceItem, type Translation } from './runner.js';

/** What to read: export folders or zips, and the course of rows that name none. */
export interface CourseraRunInput {
  paths: string[];
  courseId?: string;
}

/** How to read one export. */
export interface CourseraItemsOptions {
  /** The account name of a hashed user id (see `courseraActorName`). */
  actorName: (userId: string) => string;
  /** The export's course; else the structure tables' `course_id`, else the folder layout. */
  courseId?: string;
  /** A tables export whose structure serves an export that has none (a clickstream of another day). */
  structureFrom?: string;
  /** Where the session tables go; without it they are only counted. */
  sessions?: CourseraSessionStore;
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

/** A row's record with the translate options of its export (its structure and course). */
interface ExportRecord {
  record: CourseraRecord;
  export: CourseraTranslateOptions;
}

/** One row of an export as a source item. */
function sourceItem(row: CourseraRow, opts: CourseraTranslateOptions): SourceItem<ExportRecord> {
  const { at, source: type } = row;
  if (row.ok === 'skipped' || row.ok === 'side') return { at, type, ignored: true };
  if (!row.ok) return { at, type, rejection: row.rejection, ...(row.userId === undefined ? {} : { learner: opts.actorName(row.userId) }) };
  return { at, type, record: { record: row.record, export: opts } };
}

/** The Coursera rule tables as the runner's translator: a rejected row keeps its record, as JSON. */
const translator: Pick<Pipeline<ExportRecord>, 'translate' | 'payloadOf' | 'learnerOf'> = {
  learnerOf: ({ record, export: opts }) => opts.actorName(record.userId),
  translate: ({ record, export: opts }): Translation => {
    const t = translateCourseraRecord(record, opts);
    return 'ignored' in t ? { ignored: true } : t;
  },
  payloadOf: ({ record }) => JSON.stringify(record),
};

/**
 * Every row of the export at `path` (folder or zip): structure rows, activity tables,
 * then clickstream files by day. Throws `CourseraInputError` when the path cannot be
 * read at all.
 */
async function* exportSource(path: string, opts: CourseraItemsOptions): AsyncGenerator<SourceItem<ExportRecord>> {
  const files = await listExportFiles(path);
  try {
    const { structure, rows } = await readCourseraStructure(files.tables);
    const siblings = structure.items.size > 0 ? undefined : (await siblingStructure(path)) ?? (opts.structureFrom === undefined ? undefined : await structureOf(opts.structureFrom));
    const courseId = opts.courseId ?? structure.courseId ?? siblings?.courseId ?? layoutCourseId(path);
    const translate: CourseraTranslateOptions = { actorName: opts.actorName, structure: siblings ?? structure, ...(courseId === undefined ? {} : { courseId }) };
    for (const row of rows) yield sourceItem(row, translate);
    for await (const row of readCourseraTables(files.tables)) {
      // Sessions are the course's cohorts, not a learner's activity: kept in their tables, counted as ignored.
      if (row.ok === 'side' && courseId !== undefined) await opts.sessions?.add(row.record, courseId, opts.actorName);
      yield sourceItem(row, translate);
    }
    await opts.sessions?.flush();
    for await (const row of readClickstream(files.clickstream)) yield sourceItem(row, translate);
  } finally {
    files.close();
  }
}

/**
 * The Coursera pipeline of the exports at `paths`, one after the other.
 * @example await runPipeline(courseraPipeline(['exports/abc/2026-09-14'], { actorName }), { database, outbox, source: 'coursera', input });
 */
export function courseraPipeline(paths: readonly string[], opts: CourseraItemsOptions): Pipeline<ExportRecord> {
  async function* source(): AsyncGenerator<SourceItem<ExportRecord>> {
    for (const path of paths) yield* exportSource(path, opts);
  }
  return { source: source(), ...translator };
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

/** The actor names of an import: linked ECO users first (DESIGN.md invariant 4). */
async function importActorName(database: Database, secret: string): Promise<(userId: string) => string> {
  return courseraActorName(secret, await loadLinkedEcoUsers(database, 'coursera'));
}

/**
 * Imports one downloaded export (folder or zip) into the outbox: the scheduled fetch's entrance.
 * @example const { runId, summary } = await importCourseraExport({ database, outbox, secret, path, courseId });
 */
export async function importCourseraExport(args: {
  database: Database;
  outbox: Outbox;
  secret: string;
  path: string;
  courseId?: string;
  /** A tables export whose structure serves this one when it has none (see `CourseraItemsOptions`). */
  structureFrom?: string;
  onProgress?: (summary: RunSummary) => void;
}): Promise<ImportResult> {
  const actorName = await importActorName(args.database, args.secret);
  const options = { actorName, sessions: databaseSessionStore(args.database), ...(args.courseId !== undefined && { courseId: args.courseId }), ...(args.structureFrom !== undefined && { structureFrom: args.structureFrom }) };
  const progress: RunProgress = args.onProgress === undefined ? {} : { onProgress: args.onProgress };
  return runPipeline(courseraPipeline([args.path], options), { database: args.database, outbox: args.outbox, source: 'coursera', input: args.path }, progress);
}

/** Imports Coursera exports into the outbox and returns the run. */
export async function importCoursera(input: CourseraRunInput, deps: { config: Config; database: Database; outbox: Outbox; logger: Logger }): Promise<ImportResult> {
  const actorName = await importActorName(deps.database, await pseudonymSecret(deps.config, deps.database));
  const pipeline = courseraPipeline(input.paths, { actorName, sessions: databaseSessionStore(deps.database), ...(input.courseId === undefined ? {} : { courseId: input.courseId }) });
  return runPipeline(pipeline, { database: deps.database, outbox: deps.outbox, source: 'coursera', input: input.paths.join(' ') }, { what: 'rows read', logger: deps.logger });
}

/** Translates Coursera exports to NDJSON statements on `out`, touching no database; returns the summary. */
export async function translateCoursera(input: CourseraRunInput, deps: { config: Config; logger: Logger; out: Writable }): Promise<RunSummary> {
  const actorName = courseraActorName(translateSecret(deps.config));
  const pipeline = courseraPipeline(input.paths, { actorName, ...(input.courseId === undefined ? {} : { courseId: input.courseId }) });
  return runPipeline(pipeline, { out: deps.out }, { what: 'rows read', logger: deps.logger });
}
