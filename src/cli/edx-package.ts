/**
 * `import edx-package <root> --course <id> [--from DAY --to DAY]`: one course run of the
 * edX research data package into the outbox. The snapshot on or after the end day is
 * read: its course structure goes to `course_blocks`, the anonymized profiles to
 * `learner_profiles`, enrollments, certificates, graded problem state and forum posts
 * become statements; then the events of the span go through the log importer. One
 * run, one summary; a missing table or a bad row is reported with its file and line.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { replaceCourseStructure } from '../catalog/course-structure.js';
import { loadLinkedEcoUsers } from '../catalog/identity-links.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { chooseSnapshot, eventFolders, PACKAGE_TABLES, PackageError, type PackageSnapshot } from '../ingest/edx/package.js';
import { readForum, readTable, type Row } from '../ingest/edx/package-tables.js';
import { edxItems, edxTranslateOptions } from '../ingest/edx/pipeline.js';
import { readTrackingLog } from '../ingest/edx/tracking-log.js';
import { replaceEdxProfile } from '../ingest/learner-profiles.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import { runImport, type ImportItem, type ImportResult } from '../lrs/import-run.js';
import type { Outbox } from '../lrs/outbox.js';
import { translatePackageRecord, type PackageContext, type PackageRecord } from '../translators/edx-package.js';
import { parseCourseId } from '../translators/edx/ids.js';
import { startProgress } from './progress.js';

/** What to import. */
export interface PackageInput {
  root: string;
  course: string;
  from?: string;
  to?: string;
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

/** The import items of the snapshot's tables and forum. */
async function* snapshotItems(snapshot: PackageSnapshot, c: PackageContext, database: Database): AsyncGenerator<ImportItem> {
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
          yield { at: r.at, type: table, statements: [] };
        }
        continue;
      }
      const t = translatePackageRecord({ type: table, row: r.row } as PackageRecord, c);
      yield 'rejection' in t ? { at: r.at, type: table, rejection: t.rejection } : t.statements.length === 0 ? { at: r.at, type: table, ignored: true } : { at: r.at, type: table, statements: t.statements };
    }
  }
  if (snapshot.forum === undefined) {
    yield { at: `${snapshot.folder}:0`, type: 'forum', rejection: { code: 'unreadable', detail: 'the forum dump (-prod.mongo) is missing from the snapshot' } };
    return;
  }
  for await (const r of readForum(snapshot.forum)) {
    if (!r.ok) {
      yield { at: r.at, type: 'forum', rejection: r.rejection };
      continue;
    }
    const t = translatePackageRecord({ type: 'forum', post: r.post }, c);
    yield 'rejection' in t ? { at: r.at, type: 'forum', rejection: t.rejection } : { at: r.at, type: 'forum', statements: t.statements };
  }
}

/** Imports one course run of a research package; returns the run and the snapshot read. */
export async function importEdxPackage(
  input: PackageInput,
  deps: { config: Config; database: Database; outbox: Outbox; logger: Logger },
): Promise<ImportResult & { snapshot: string; blocks: number }> {
  const course = parseCourseId(input.course);
  if (course === undefined) throw new PackageError(`${input.course}: not an edX course id`);
  const snapshot = await chooseSnapshot(input.root, course.id, input.to);
  const secret = await pseudonymSecret(deps.config, deps.database);
  const opts = edxTranslateOptions(deps.config, secret, [course.id], await loadLinkedEcoUsers(deps.database, 'edx'));
  const blocks = snapshot.structure === undefined ? 0 : await importStructure(deps.database, course.id, snapshot.structure);
  const context: PackageContext = { course, iris: opts.iris, homePage: opts.homePage, actorName: opts.actorName, snapshotDay: snapshot.day };
  const folders = await eventFolders(input.root);
  async function* items(): AsyncGenerator<ImportItem> {
    yield* snapshotItems(snapshot, context, deps.database);
    if (folders.length > 0) yield* edxItems(readTrackingLog(folders, { from: input.from, to: input.to }), opts, input);
  }
  const progress = startProgress('records read', deps.logger);
  try {
    const result = await runImport(items(), {
      database: deps.database,
      outbox: deps.outbox,
      source: 'edx-package',
      input: `${input.root} ${course.id}`,
      onProgress: (s) => progress.update(s.read, { translated: s.translated, rejected: s.rejected }),
    });
    return { ...result, snapshot: snapshot.folder, blocks };
  } finally {
    progress.stop();
  }
}
