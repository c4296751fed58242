/**
 * `import coursera` and `translate coursera`: Coursera research exports (folders or
 * zips of CSV tables, clickstream files) through the Coursera translator, into the
 * outbox or to standard output; and `importCourseraExport`, the same import for the
 * scheduled fetch of a downloaded export.
 */
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { loadLinkedEcoUsers } from '../catalog/identity-links.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { courseraActorName, courseraItems, type CourseraItemsOptions } from '../ingest/coursera/pipeline.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import type { ImportItem } from '../lrs/import-run.js';
import { runImport, type ImportResult } from '../lrs/import-run.js';
import type { Outbox } from '../lrs/outbox.js';
import type { RunSummary } from '../xapi/run-summary.js';
import { startProgress } from './progress.js';
import { translateToNdjson } from './translate-run.js';

/** What to read: export folders or zips, and the course of rows that name none. */
export interface CourseraRunInput {
  paths: string[];
  courseId?: string;
}

/** Thrown when Coursera exports cannot be translated with the settings given. */
export class CourseraSetupError extends Error {
  override readonly name = 'CourseraSetupError';
}

function progressDetail(s: RunSummary): Record<string, number> {
  return { translated: s.translated, ignored: s.ignored, rejected: s.rejected };
}

async function* allItems(paths: readonly string[], opts: CourseraItemsOptions): AsyncGenerator<ImportItem> {
  for (const path of paths) yield* courseraItems(path, opts);
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
  const options = { actorName, ...(args.courseId !== undefined && { courseId: args.courseId }), ...(args.structureFrom !== undefined && { structureFrom: args.structureFrom }) };
  return runImport(courseraItems(args.path, options), {
    database: args.database,
    outbox: args.outbox,
    source: 'coursera',
    input: args.path,
    ...(args.onProgress === undefined ? {} : { onProgress: args.onProgress }),
  });
}

/** Imports Coursera exports into the outbox and returns the run. */
export async function importCoursera(input: CourseraRunInput, deps: { config: Config; database: Database; outbox: Outbox; logger: Logger }): Promise<ImportResult> {
  const secret = await pseudonymSecret(deps.config, deps.database);
  const actorName = await importActorName(deps.database, secret);
  const progress = startProgress('rows read', deps.logger);
  try {
    return await runImport(allItems(input.paths, { actorName, ...(input.courseId === undefined ? {} : { courseId: input.courseId }) }), {
      database: deps.database,
      outbox: deps.outbox,
      source: 'coursera',
      input: input.paths.join(' '),
      onProgress: (s) => progress.update(s.read, progressDetail(s)),
    });
  } finally {
    progress.stop();
  }
}

/** Translates Coursera exports to NDJSON statements on `out`, touching no database; returns the summary. */
export async function translateCoursera(input: CourseraRunInput, deps: { config: Config; logger: Logger; out: Writable }): Promise<RunSummary> {
  if (deps.config.pseudonymSecret === undefined) {
    throw new CourseraSetupError('PSEUDONYM_SECRET is not set: translate touches no database, so the pseudonym key must be given');
  }
  const actorName = courseraActorName(deps.config.pseudonymSecret);
  const progress = startProgress('rows read', deps.logger);
  try {
    const items = allItems(input.paths, { actorName, ...(input.courseId === undefined ? {} : { courseId: input.courseId }) });
    return await translateToNdjson(items, deps.out, (s) => progress.update(s.read, progressDetail(s)));
  } finally {
    progress.stop();
  }
}
