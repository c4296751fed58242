import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { COURSE, LMS, SECRET } from '../../support/edx-events.js';
import { PREFIX, writePackage } from '../../support/edx-package.js';
import { LRS_USER, startEmbeddedLrs } from '../../support/embedded-lrs.js';

/** The report options of the default settings (the old toolkit's survey rule). */
const OPTIONS = reportOptions(loadConfig({}));

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
