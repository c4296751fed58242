/**
 * The edX research data package of one course run: which weekly `course-data`
 * snapshot to read, where its tables, forum dump and course structure are, and where the
 * event logs of the time span lie. Layout:
 * `course-data/<org>-YYYY-MM-DD/<org>-<course>-<run>-<table>-prod-analytics.sql`,
 * `…-prod.mongo`, `…-course_structure-prod-analytics.json`, and
 * `edx-course-data/{edx,edge}/events/<year>/<org>-{edx,edge}-events-YYYY-MM-DD.log.gz`.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CodedError } from '../../errors.js';

/** The tables of a snapshot that the import reads. */
export const PACKAGE_TABLES = ['student_courseenrollment', 'certificates_generatedcertificate', 'courseware_studentmodule', 'auth_userprofile'] as const;
export type PackageTable = (typeof PACKAGE_TABLES)[number];

/** The files of one course run in one snapshot; a missing file is undefined. */
export interface PackageSnapshot {
  folder: string;
  /** The snapshot's day, YYYY-MM-DD. */
  day: string;
  tables: Partial<Record<PackageTable, string>>;
  forum?: string;
  structure?: string;
}

/** Thrown when the package cannot be read at all (no snapshot, wrong root): an `invalid` input. */
export class PackageError extends CodedError {
  override readonly name = 'PackageError';
  constructor(message: string) {
    super('invalid', message);
  }
}

/** The file-name prefix of a course: `OrgX-CS101-2026` for either id form. */
export function coursePrefix(courseId: string): string {
  const m = /^course-v1:([^+]+)\+([^+]+)\+([^+]+)$/.exec(courseId) ?? /^([^/]+)\/([^/]+)\/([^/]+)$/.exec(courseId);
  if (m === null) throw new PackageError(`${courseId}: not an edX course id`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/**
 * The snapshot to read: the first one on or after `to` (it holds the state at the end of
 * the span, as the old toolkit chose), else the latest.
 */
export async function chooseSnapshot(root: string, courseId: string, to?: string): Promise<PackageSnapshot> {
  const base = join(root, 'course-data');
  const prefix = coursePrefix(courseId);
  const org = prefix.split('-')[0]!;
  const folders = (await entries(base))
    .map((name) => ({ name, day: /-(\d{4}-\d\d-\d\d)$/.exec(name)?.[1] }))
    // edX names the folders by the organisation in lower case (chalmersx-2015-08-23), its course ids as registered (ChalmersX).
    .filter((f): f is { name: string; day: string } => f.day !== undefined && f.name.toLowerCase().startsWith(`${org.toLowerCase()}-`))
    .sort((a, b) => (a.day < b.day ? -1 : 1));
  const chosen = (to === undefined ? undefined : folders.find((f) => f.day >= to)) ?? folders.at(-1);
  if (chosen === undefined) throw new PackageError(`${root} is not an edX research data package of ${org}: no snapshot folder course-data/${org}-YYYY-MM-DD (expected course-data/ and edx-course-data/)`);
  const folder = join(base, chosen.name);
  const files = new Set(await entries(folder));
  const file = (name: string) => (files.has(name) ? join(folder, name) : undefined);
  const tables: Partial<Record<PackageTable, string>> = {};
  for (const table of PACKAGE_TABLES) {
    const path = file(`${prefix}-${table}-prod-analytics.sql`);
    if (path !== undefined) tables[table] = path;
  }
  const forum = file(`${prefix}-prod.mongo`);
  const structure = file(`${prefix}-course_structure-prod-analytics.json`);
  return { folder, day: chosen.day, tables, ...(forum && { forum }), ...(structure && { structure }) };
}

/** The event log folders of the package (`edx-course-data/{edx,edge}/events`) that exist. */
export async function eventFolders(root: string): Promise<string[]> {
  const folders: string[] = [];
  for (const site of ['edx', 'edge']) {
    const path = join(root, 'edx-course-data', site, 'events');
    if ((await stat(path).catch(() => undefined))?.isDirectory()) folders.push(path);
  }
  return folders;
}
