/**
 * A fetched research data package made readable: the zip is unpacked with the shared
 * unpacker into a staging folder beside the snapshot, each `.gpg` file decrypted into
 * `course-data/<org>-YYYY-MM-DD/` without its suffix (other files moved as they are),
 * the staging folder removed; then the course runs it holds are named by the
 * `course_id` of their tables, as `import edx-package --course` takes them.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PACKAGE_TABLES } from '../package.js';
import { readTable } from '../package-tables.js';
import { UnpackError, unpackZip } from '../../unpack.js';
import type { Gpg } from './gpg.js';

/** Unpacks and decrypts `zipFile` into `folder`; returns the files written. A package with an entry of unsafe path is refused whole. */
export async function unpackPackage(zipFile: string, folder: string, gpg: Gpg): Promise<string[]> {
  const staging = `${folder}.staging`;
  await rm(staging, { recursive: true, force: true });
  try {
    const unpacked = await unpackZip(zipFile, staging, /[^/]$/);
    // edX's packages hold one dated folder: an entry that would land elsewhere means a package not to trust.
    if (unpacked.refused.length > 0) throw new UnpackError(`${basename(zipFile)}: ${unpacked.refused.length} entries with a path outside the package`);
    if (unpacked.files.length === 0) throw new UnpackError(`${basename(zipFile)}: no files in the package`);
    await mkdir(folder, { recursive: true });
    const written: string[] = [];
    for (const file of unpacked.files) {
      const name = basename(file.name);
      const target = join(folder, name.replace(/\.gpg$/, ''));
      if (name.endsWith('.gpg')) await gpg.decrypt(file.path, target);
      else await rename(file.path, target);
      written.push(target);
    }
    return written;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

const TABLE_FILE = new RegExp(`^(.+)-(${PACKAGE_TABLES.join('|')})-prod-analytics\\.sql$`);

type TableFile = { path: string; table: (typeof PACKAGE_TABLES)[number] };

/** The course id in the first row of `file` that has one. */
async function courseOf(file: TableFile): Promise<string | undefined> {
  for await (const record of readTable(file.path, file.table)) if (record.ok && record.row.course_id) return record.row.course_id;
  return undefined;
}

/** The course ids of the runs in a snapshot folder, each read from the first of its tables with a `course_id`. */
export async function packageCourses(folder: string): Promise<string[]> {
  const byPrefix = new Map<string, TableFile[]>();
  for (const name of (await readdir(folder)).sort()) {
    const m = TABLE_FILE.exec(name);
    if (m === null || m[2] === 'auth_userprofile') continue;
    byPrefix.set(m[1]!, [...(byPrefix.get(m[1]!) ?? []), { path: join(folder, name), table: m[2] as TableFile['table'] }]);
  }
  const courses = new Set<string>();
  for (const files of byPrefix.values()) {
    for (const file of files) {
      const course = await courseOf(file);
      if (course !== undefined) {
        courses.add(course);
        break;
      }
    }
  }
  return [...courses].sort();
}
