/**
 * `export edx-email-opt-in <root> --course <id> --out <file>`: the learners of a course
 * run who opted in to email, with email, name, gender, year of birth and country. This
 * is personal data by design, for the course team's mailing: it is read straight from
 * the package (`<org>-email_opt_in-prod-analytics.csv` and `auth_userprofile`), never
 * through statements, and the command says so when it runs.
 */
import { createReadStream } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { chooseSnapshot, PackageError } from '../ingest/edx/package.js';
import { readTable } from '../ingest/edx/package-tables.js';
import { newFormCourseId } from '../reports/edx/scope.js';
import { csvText } from '../reports/table.js';

/** What was written. */
export interface OptInResult {
  out: string;
  learners: number;
  snapshot: string;
}

/** Writes the opt-in list of a course run to `out`. */
export async function exportEmailOptIn(root: string, courseId: string, out: string): Promise<OptInResult> {
  const course = newFormCourseId(courseId);
  if (course === undefined) throw new PackageError(`${courseId}: not an edX course id`);
  const snapshot = await chooseSnapshot(root, course);
  const optInFile = (await readdir(snapshot.folder)).find((f) => f.endsWith('-email_opt_in-prod-analytics.csv'));
  if (optInFile === undefined) throw new PackageError(`${snapshot.folder}: no email_opt_in file`);
  const opted = new Map<string, { email: string; name: string }>();
  const rows = createReadStream(join(snapshot.folder, optInFile)).pipe(parse({ columns: true, skip_empty_lines: true, bom: true }));
  for await (const row of rows as AsyncIterable<Record<string, string>>) {
    const sameCourse = newFormCourseId(row.course_id ?? '') === course;
    if (sameCourse && /^(true|1)$/i.test(row.is_opted_in_for_email ?? '')) opted.set(row.user_id ?? '', { email: row.email ?? '', name: row.full_name ?? '' });
  }
  const profiles = new Map<string, Record<string, string>>();
  if (snapshot.tables.auth_userprofile !== undefined) {
    for await (const r of readTable(snapshot.tables.auth_userprofile, 'auth_userprofile')) if (r.ok && r.row.user_id !== undefined) profiles.set(r.row.user_id, r.row);
  }
  const lines = [...opted.entries()].map(([userId, o]) => {
    const p = profiles.get(userId) ?? {};
    return [o.email, o.name, p.gender ?? '', p.year_of_birth ?? '', p.country ?? ''];
  });
  await writeFile(out, csvText([['mail', 'name', 'gender', 'year_of_birth', 'country'], ...lines]), { mode: 0o600 });
  return { out, learners: lines.length, snapshot: snapshot.folder };
}
