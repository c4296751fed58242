import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importEdxPackage } from '../../../src/pipelines/edx-package.js';
import { reportOptions } from '../../../src/reports/edx/reports.js';
import { loadConfig } from '../../../src/config/index.js';
import { LrsClient } from '../../../src/lrs/client.js';
import { DeliveryStats } from '../../../src/lrs/delivery-stats.js';
import { Flusher } from '../../../src/lrs/flusher.js';
import { Outbox } from '../../../src/lrs/outbox.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { runEdxReports } from '../../../src/reports/edx/run-reports.js';
import { edxCourseScope } from '../../../src/reports/edx/scope.js';
import { pseudonym } from '../../../src/xapi/ids.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { COURSE, LMS, ndjson, playVideo, SECRET } from '../../support/edx-events.js';
import { LRS_USER, startEmbeddedLrs } from '../../support/embedded-lrs.js';

/** The report options of the default settings (the old toolkit's survey rule). */
const OPTIONS = reportOptions(loadConfig({}));

const PREFIX = 'OrgX-CS101-2026';
const tsv = (rows: string[][]) => rows.map((r) => r.join('\t')).join('\n') + '\n';

/** Writes a small research package: two snapshots, a forum dump and two days of events. */
async function writePackage(root: string): Promise<void> {
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

describe.each(DATABASE_KINDS)('import edx-package on %s', (kind) => {
  let t: TestDatabase;
  let root: string;
  let outbox: Outbox;
  const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
  const run = (to: string) => importEdxPackage({ root, course: 'OrgX/CS101/2026', from: '2026-03-01', to }, { config, database: t.database, outbox, logger: pino({ level: 'silent' }) });

  beforeEach(async () => {
    t = await freshDatabase(kind);
    outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    root = await mkdtemp(join(tmpdir(), 'xgw-package-'));
    await writePackage(root);
  });
  afterEach(async () => {
    await t.drop();
    await rm(root, { recursive: true, force: true });
  });

  it('imports the snapshot on or after the end day: structure, profiles, tables, forum and events of the span', async () => {
    const { summary, snapshot, blocks } = await run('2026-03-02');
    expect(snapshot).toBe(join(root, 'course-data', 'OrgX-2026-03-08'));
    expect(blocks).toBe(4);
    expect(summary.byType).toMatchObject({
      student_courseenrollment: { translated: 4 },
      certificates_generatedcertificate: { translated: 2, ignored: 1 },
      courseware_studentmodule: { translated: 2, ignored: 2 },
      auth_userprofile: { translated: 2, rejected: 1 },
      forum: { translated: 3, rejected: 1 },
      play_video: { translated: 2 },
    });
    // 4 enrollments + 1 unregistered, 2 certificates, 2 scores, 3 posts, 2 events.
    expect(summary.added).toBe(14);
    expect(summary.errors).toEqual(expect.arrayContaining([
      { at: `${join(root, 'course-data', 'OrgX-2026-03-08', `${PREFIX}-auth_userprofile-prod-analytics.sql`)}:1`, reason: expect.stringMatching(/favourite_colour/) },
      { at: `${join(root, 'course-data', 'OrgX-2026-03-08', `${PREFIX}-prod.mongo`)}:4`, reason: expect.stringMatching(/not JSON/) },
    ]));
    const { rows } = await t.database.query<Record<string, unknown>>(`SELECT * FROM learner_profiles ORDER BY learner`);
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toMatch(/Ada|Lovelace|12 Street|"learn"/);
    expect(rows.map((r) => r.learner).sort()).toEqual([pseudonym(SECRET, '11'), pseudonym(SECRET, '12')].sort());
    const statements = (await t.database.query<{ s: string }>(`SELECT statement::text AS s FROM statement_outbox`)).rows.map((r) => r.s).join('\n');
    expect(statements).not.toMatch(/Ada|Lovelace|Bob Ross|I am Ada/);
    const blocksRead = (await t.database.query<{ display_name: string; parent: string | null; position: number }>(
      `SELECT b.display_name, p.display_name AS parent, b.position FROM course_blocks b LEFT JOIN course_blocks p ON p.block_id = b.parent_id ORDER BY b.display_name`,
    )).rows;
    expect(blocksRead).toEqual([
      { display_name: 'CS101', parent: null, position: 0 },
      { display_name: 'Pre-course survey', parent: 'Week 1', position: 0 },
      { display_name: 'Week 1', parent: 'CS101', position: 0 },
      { display_name: 'Welcome', parent: 'Week 1', position: 1 },
    ]);
  });

  it('is reported from the LRS after delivery: enrollments, certificates, forum posts and events together', async () => {
    await run('2026-03-02');
    const app = await startEmbeddedLrs(t.database);
    try {
      const client = new LrsClient({ endpoint: app.endpoint, ...LRS_USER, timeoutMs: 10_000 });
      const flushed = await new Flusher({ outbox, client, stats: new DeliveryStats(), logger: pino({ level: 'silent' }), batchSize: 100, leaseSeconds: 30 }).flushUntilIdle();
      expect(flushed.sent).toBe(14);
      const { tables, statements } = await runEdxReports(new EmbeddedStatementQuery(t.database), edxCourseScope(LMS, 'eco.example.org', COURSE), OPTIONS);
      expect(statements).toBe(14);
      const r = Object.fromEntries(tables.map((tb) => [tb.name, tb.rows]));
      const [l11, l12, l13, l14] = ['11', '12', '13', '14'].map((id) => pseudonym(SECRET, id));
      // Registered: 11, 12, 13, 14. Active otherwise: 11 and 12 (13 and 14 only registered). Passed with completion: 11.
      expect(r.summary!.at(-1)).toEqual(['total', 4, 2, 1, 1]);
      expect(r.forum_posts!.map((row) => row[1])).toEqual([l11, l12, l11]);
      expect(r.video_activity).toEqual([[l11, 0, 1, 0, 0, 0, 0, 0], [l12, 0, 1, 0, 0, 0, 0, 0]].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)));
      expect([l13, l14].every((l) => !r.video_activity!.some((row) => row[0] === l))).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('adds nothing when the same package is imported again, and only what is new from a later snapshot', async () => {
    await run('2026-03-01');
    expect((await run('2026-03-01')).summary.added).toBe(0);
    const later = await run('2026-03-09');
    // The new enrollment of learner 14, and the three events the wider span now holds.
    expect(later.summary.added).toBe(4);
    expect(later.summary.known).toBe(11);
  });

  it('names a missing table and goes on with the rest', async () => {
    await rm(join(root, 'course-data', 'OrgX-2026-03-08', `${PREFIX}-courseware_studentmodule-prod-analytics.sql`));
    const { summary } = await run('2026-03-02');
    expect(summary.errors).toContainEqual({ at: `${join(root, 'course-data', 'OrgX-2026-03-08')}:0`, reason: expect.stringMatching(/courseware_studentmodule table is missing/) });
    expect(summary.byType.student_courseenrollment).toMatchObject({ translated: 4 });
  });
});
