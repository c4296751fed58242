/** A small edX research data package on disk: two weekly snapshots of one course run, a forum dump and two days of events. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { COURSE, ndjson, playVideo } from './edx-events.js';

/** The file-name prefix of the course run. */
export const PREFIX = 'OrgX-CS101-2026';
const tsv = (rows: string[][]) => rows.map((r) => r.join('\t')).join('\n') + '\n';

/** Writes a small research package: two snapshots, a forum dump and two days of events. */
export async function writePackage(root: string): Promise<void> {
  const snapshot = async (day: string, extraEnrollment: boolean) => {
    const dir = join(root, 'course-data', `OrgX-${day}`);
    await mkdir(dir, { recursive: true });
    const file = (table: string) => join(dir, `${PREFIX}-${table}-prod-analytics.sql`);
    await writeFile(file('student_courseenrollment'), tsv([
      ['id', 'user_id', 'course_id', 'created', 'is_active', 'mode'],
      ['1', '11', COURSE, '2026-02-20 10:00:00', '1', 'audit'],
      ['2', '12', COURSE, '2026-02-21 11:00:00', '0', 'verified'],
      ['3', '13', COURSE, '2026-02-22 12:00:00', '1', 'honor'],
      ...(extraEnrollment ? [['4', '14', COURSE, '2026-03-05 09:00:00', '1', 'audit']] : []),
    ]));
    await writeFile(file('certificates_generatedcertificate'), tsv([
      ['id', 'user_id', 'download_url', 'grade', 'course_id', 'key', 'distinction', 'status', 'verify_uuid', 'download_uuid', 'name', 'created_date', 'modified_date', 'error_reason', 'mode'],
      ['1', '11', '', '0.85', COURSE, 'k', '0', 'downloadable', 'v', 'd', 'Ada Lovelace', '2026-02-28 10:00:00', '2026-02-28 10:05:00', '', 'verified'],
      ['2', '12', '', '0.2', COURSE, 'k', '0', 'notpassing', 'v', 'd', 'Bob Ross', '2026-02-28 10:00:00', '2026-02-28 10:05:00', '', 'audit'],
      ['3', '13', '', '0.0', COURSE, 'k', '0', 'unavailable', 'v', 'd', 'Cy Young', '2026-02-28 10:00:00', '2026-02-28 10:05:00', '', 'audit'],
    ]));
    await writeFile(file('courseware_studentmodule'), tsv([
      ['id', 'module_type', 'module_id', 'student_id', 'state', 'grade', 'created', 'modified', 'max_grade', 'done', 'course_id'],
      ['1', 'problem', 'block-v1:OrgX+CS101+2026+type@problem+block@q1', '11', '{}', '1', '2026-02-25 10:00:00', '2026-02-25 10:01:00', '2', 'na', COURSE],
      ['2', 'problem', 'block-v1:OrgX+CS101+2026+type@problem+block@q2', '12', '{}', '2', '2026-02-25 10:00:00', '2026-02-25 10:02:00', '2', 'na', COURSE],
      ['3', 'video', 'block-v1:OrgX+CS101+2026+type@video+block@v1', '11', '{}', 'NULL', '2026-02-25 10:00:00', '2026-02-25 10:03:00', 'NULL', 'na', COURSE],
      ['4', 'problem', 'block-v1:OrgX+CS101+2026+type@problem+block@q3', '13', '{}', 'NULL', '2026-02-25 10:00:00', '2026-02-25 10:04:00', '2', 'na', COURSE],
    ]));
    await writeFile(file('auth_userprofile'), tsv([
      ['id', 'user_id', 'name', 'language', 'location', 'meta', 'courseware', 'gender', 'mailing_address', 'year_of_birth', 'level_of_education', 'goals', 'allow_certificate', 'country', 'city', 'bio', 'profile_image_uploaded_at', 'favourite_colour'],
      ['1', '11', 'Ada Lovelace', 'en', 'London', '', 'course.xml', 'f', '12 Street', '1990', 'm', 'learn', '1', 'GB', 'London', '', 'NULL', 'red'],
      ['2', '12', 'Bob Ross', 'es', '', '', 'course.xml', 'm', '', 'NULL', 'b', '', '1', 'ES', 'Madrid', '', 'NULL', 'blue'],
    ]));
    await writeFile(join(dir, `${PREFIX}-prod.mongo`), [
      JSON.stringify({ _id: { $oid: 't1' }, _type: 'CommentThread', author_id: '11', title: 'Help', body: 'I am Ada', course_id: COURSE, commentable_id: 'week1', created_at: { $date: '2026-02-26T10:00:00.000Z' } }),
      JSON.stringify({ _id: { $oid: 'r1' }, _type: 'Comment', author_id: '12', body: 'Try this', course_id: COURSE, comment_thread_id: { $oid: 't1' }, created_at: { $date: 1772107200000 } }),
      JSON.stringify({ _id: { $oid: 'c1' }, _type: 'Comment', author_id: '11', body: 'Thanks', course_id: COURSE, comment_thread_id: { $oid: 't1' }, parent_id: { $oid: 'r1' }, created_at: { $date: '2026-02-27T10:00:00.000Z' } }),
      '{"_id": {"$oid": "x"}, "_type": "Comment", ',
    ].join('\n') + '\n');
    await writeFile(join(dir, `${PREFIX}-course_structure-prod-analytics.json`), JSON.stringify({
      'block-v1:OrgX+CS101+2026+type@course+block@course': { category: 'course', children: ['block-v1:OrgX+CS101+2026+type@chapter+block@w1'], metadata: { display_name: 'CS101' } },
      'block-v1:OrgX+CS101+2026+type@chapter+block@w1': { category: 'chapter', children: ['block-v1:OrgX+CS101+2026+type@problem+block@q1', 'block-v1:OrgX+CS101+2026+type@video+block@v1'], metadata: { display_name: 'Week 1' } },
      'block-v1:OrgX+CS101+2026+type@problem+block@q1': { category: 'problem', children: [], metadata: { display_name: 'Pre-course survey' } },
      'block-v1:OrgX+CS101+2026+type@video+block@v1': { category: 'video', children: [], metadata: { display_name: 'Welcome' } },
    }));
  };
  await snapshot('2026-03-01', false);
  await snapshot('2026-03-08', true);
  const events = join(root, 'edx-course-data', 'edx', 'events', '2026');
  await mkdir(events, { recursive: true });
  await writeFile(join(events, 'OrgX-edx-events-2026-03-02.log.gz'), gzipSync(ndjson([playVideo(11, 0), playVideo(12, 60)])));
  await writeFile(join(events, 'OrgX-edx-events-2026-03-09.log.gz'), gzipSync(ndjson([playVideo(13, 0, { time: '2026-03-09T10:00:00.000000+00:00' })])));
}

