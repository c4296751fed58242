/**
 * `import edx-package <root> --course <id> [--from DAY --to DAY]`: one course run of the
 * edX research data package into the outbox. The snapshot on or after the end day is
 * read: its course structure goes to `course_blocks`, the anonymized profiles to
 * `learner_profiles`, enrollments, certificates, graded problem state and forum posts
 * become statements; then the events of the span go through the log importer. One
 * run, one summary; a missing table or a bad row is reported with its file and line; a
 * root that is no package, or event files that are not tracking logs, refuse the run.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { replaceCourseStructure } from '../catalog/course-structure.js';
import { loadLinkedEcoUsers } from '../catalog/identity-links.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import type { EdxEvent } from '../ingest/edx/event.js';
import { chooseSnapshot, eventFolders, PACKAGE_TABLES, PackageError, type PackageSnapshot } from '../ingest/edx/package.js';
import { readForum, readTable, type Row } from '../ingest/edx/package-tables.js';
import { checkTrackingLogs, readTrackingLog } from '../ingest/edx/tracking-log.js';
import { replaceEdxProfile } from '../ingest/learner-profiles.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import type { ImportResult } from '../lrs/import-run.js';
import type { Outbox } from '../lrs/outbox.js';
import { translatePackageRecord, type PackageContext, type PackageRecord } from '../translators/edx-package.js';
import { parseCourseId } from '../translators/edx/ids.js';
import { edxPipeline, edxTranslateOptions } from './edx.js';
import { runPipeline, type SourceItem, type Translation } from './runner.js';

/** What to import. */
export interface PackageInput {
  root: string;
  course: string;
  from?: string;
  to?: string;
  /** Read the package's event logs too (default); the S3 sync imports each day of events on its own. */
  events?: boolean;
}

/** Writes the course structure: blocks in depth-first order from the course root, with parent and position. */
async function importStructure(database: Database, courseKey: string, path: string): Promise<number> {
  const blocks = JSON.parse(await readFile(path, 'utf8')) as Record<string, { category?: string; children?: string[]; metadata?: { display_name?: string } }>;
  const parentOf = new Map<string, { parent: string; position: number }>();
  for (const [id, b] of Object.entries(blocks)) (b.children ?? []).forEach((child, position) => parentOf.set(child, { parent: id, position }));
  const rows = Object.entries(blocks).map(([id, b]) => ({
    id,
    category: b.category ?? 'unknown',
    parent: parentOf.get(id)?.parent ?? null,
    position: parentOf.get(id)?.position ?? 0,
    name: b.metadata?.display_name ?? null,
  }));
  await replaceCourseStructure(database, courseKey, rows);
  return rows.length;
}

/** Keeps a profile row without its personal columns, under the learner's account name. */
async function keepProfile(database: Database, learner: string, row: Row): Promise<void> {
  const year = row.year_of_birth === undefined ? null : Number.parseInt(row.year_of_birth, 10);
  await replaceEdxProfile(database, learner, {
    language: row.language ?? null, location: row.location ?? null, gender: row.gender ?? null, yearOfBirth: Number.isFinite(year) ? year : null,
    levelOfEducation: row.level_of_education ?? null, country: row.country ?? null, city: row.city ?? null,
  });
}

/**
 * A record of a package: a table row, a forum post, an event of the span, or a profile
 * row already kept in `learner_profiles` (translated into no statement).
 */
type PackageItem = { row: PackageRecord } | { post: PackageRecord } | { event: EdxEvent } | { kept: true };

/** The source items of the snapshot's tables and forum. */
async function* snapshotItems(snapshot: PackageSnapshot, c: PackageContext, database: Database): AsyncGenerator<SourceItem<PackageItem>> {
  for (const table of PACKAGE_TABLES) {
    const path = snapshot.tables[table];
    if (path === undefined) {
      yield { at: `${snapshot.folder}:0`, type: table, rejection: { code: 'unreadable', detail: `the ${table} table is missing from the snapshot` } };
      continue;
    }
    for await (const r of readTable(path, table)) {
      if (!r.ok) {
        yield { at: r.at, type: table, rejection: r.rejection };
        continue;
      }
      if (table === 'auth_userprofile') {
        if (r.row.user_id === undefined) yield { at: r.at, type: table, rejection: { code: 'missing_field', field: 'user_id', detail: '' } };
        else {
          await keepProfile(database, c.actorName(r.row.user_id), r.row);
          yield { at: r.at, type: table, record: { kept: true } };
        }
        continue;
      }
      yield { at: r.at, type: table, record: { row: { type: table, row: r.row } as PackageRecord } };
    }
  }
  if (snapshot.forum === undefined) {
    yield { at: `${snapshot.folder}:0`, type: 'forum', rejection: { code: 'unreadable', detail: 'the forum dump (-prod.mongo) is missing from the snapshot' } };
    return;
  }
  for await (const r of readForum(snapshot.forum)) {
    yield r.ok ? { at: r.at, type: 'forum', record: { post: { type: 'forum', post: r.post } } } : { at: r.at, type: 'forum', rejection: r.rejection };
  }
}

/** A table row without statements gives nothing; a forum post is counted translated whatever it gives. */
function translateItem(item: PackageItem, c: PackageContext, event: (e: EdxEvent) => Translation): Translation {
  if ('kept' in item) return { statements: [] };
  if ('event' in item) return event(item.event);
  if ('post' in item) return translatePackageRecord(item.post, c);
  const t = translatePackageRecord(item.row, c);
  return 'statements' in t && t.statements.length === 0 ? { ignored: true } : t;
}

/** Imports one course run of a research package; returns the run and the snapshot read. */
export async function importEdxPackage(
  input: PackageInput,
  deps: { config: Config; database: Database; outbox: Outbox; logger: Logger },
): Promise<ImportResult & { snapshot: string; blocks: number }> {
  const course = parseCourseId(input.course);
  if (course === undefined) throw new PackageError(`${input.course}: not an edX course id`);
  const snapshot = await chooseSnapshot(input.root, course.id, input.to);
  // Before anything is written: a folder of events that are not tracking logs refuses the run.
  const folders = input.events === false ? [] : await eventFolders(input.root);
  await checkTrackingLogs(folders, input);
  const secret = await pseudonymSecret(deps.config, deps.database);
  const opts = edxTranslateOptions(deps.config, secret, [course.id], await loadLinkedEcoUsers(deps.database, 'edx'));
  const blocks = snapshot.structure === undefined ? 0 : await importStructure(deps.database, course.id, snapshot.structure);
  const context: PackageContext = { course, iris: opts.iris, homePage: opts.homePage, actorName: opts.actorName, snapshotDay: snapshot.day };
  const events = edxPipeline(folders.length > 0 ? readTrackingLog(folders, { from: input.from, to: input.to }) : [], opts, input);
  async function* source(): AsyncGenerator<SourceItem<PackageItem>> {
    yield* snapshotItems(snapshot, context, deps.database);
    for await (const item of events.source) yield 'record' in item ? { ...item, record: { event: item.record } } : item;
  }
  const sink = { database: deps.database, outbox: deps.outbox, source: 'edx-package', input: `${input.root} ${course.id}` };
  const result = await runPipeline({ source: source(), translate: (item: PackageItem) => translateItem(item, context, events.translate) }, sink, { what: 'records read', logger: deps.logger });
  return { ...result, snapshot: snapshot.folder, blocks };
}
