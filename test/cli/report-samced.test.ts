/**
 * `report edx samced`: the ChalmersX toolkit's bundle of a course run from an imported
 * research package and its events: the run's files copied under the old names (the
 * personal ones left out), SAMCED-<table>.csv from the package tables and the reports,
 * info.txt, and a README.txt that describes every column of every file.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { edxCourseScope } from '../../src/cli/report-edx.js';
import { writeSamcedBundle } from '../../src/cli/report-samced.js';
import { loadConfig } from '../../src/config/index.js';
import { EmbeddedStatementQuery } from '../../src/lrs/server/statement-reader.js';
import { reportOptions } from '../../src/reports/edx/reports.js';
import { pseudonym } from '../../src/xapi/ids.js';
import { TEST_NOW } from '../support/clock.js';
import { cliSession } from '../support/cli.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { COURSE, LMS, ndjson, playVideo, problemCheck, SECRET } from '../support/edx-events.js';
import { PREFIX, writePackage } from '../support/edx-package.js';

const tsv = (rows: string[][]) => rows.map((r) => r.join('\t')).join('\n') + '\n';

/** The package of the import test, with the four tables the import does not read and a day of video and problem events. */
async function writeFullPackage(root: string): Promise<string> {
  await writePackage(root);
  const snapshot = join(root, 'course-data', 'OrgX-2026-03-08');
  const file = (table: string) => join(snapshot, `${PREFIX}-${table}-prod-analytics.sql`);
  await writeFile(file('student_languageproficiency'), tsv([['id', 'user_profile_id', 'code'], ['1', '1', 'en'], ['2', '2', 'sv']]));
  await writeFile(file('user_api_usercoursetag'), tsv([['user_id', 'course_id', 'key', 'value'], ['11', COURSE, 'xblock.partition_service.partition_0', '1']]));
  await writeFile(file('wiki_article'), tsv([['id', 'current_revision_id', 'created', 'modified', 'owner_id', 'group_id', 'group_read', 'group_write', 'other_read', 'other_write'], ['5', '7', '2026-02-01 10:00:00', '2026-02-02 10:00:00', '11', 'NULL', '1', '1', '1', '0']]));
  await writeFile(file('wiki_articlerevision'), tsv([
    ['id', 'revision_number', 'user_message', 'automatic_log', 'ip_address', 'user_id', 'modified', 'created', 'previous_revision_id', 'deleted', 'locked', 'article_id', 'content', 'title'],
    ['7', '1', 'my notes, Ada', '', '198.51.100.9', '11', '2026-02-02 10:00:00', '2026-02-02 10:00:00', 'NULL', '0', '0', '5', 'Ada Lovelace wrote this', 'Week 1 notes'],
  ]));
  const events = join(root, 'edx-course-data', 'edx', 'events', '2026', 'OrgX-edx-events-2026-03-02.log.gz');
  await writeFile(events, gzipSync(ndjson([playVideo(11, 0), playVideo(12, 60), playVideo(11, 120), problemCheck(11, 2), problemCheck(12, 1)])));
  return snapshot;
}

const csv = async (dir: string, name: string) => parse(await readFile(join(dir, name), 'utf8'), { columns: true }) as Record<string, string>[];

describe.each(DATABASE_KINDS)('report edx samced on %s', (kind) => {
  let t: TestDatabase;
  let root: string;
  let out: string;
  let env: Record<string, string>;
  let session: ReturnType<typeof cliSession>;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    root = await mkdtemp(join(tmpdir(), 'xgw-samced-'));
    out = join(root, 'bundle');
    // The commands run on the test's database; DATA_DIR still holds their files.
    env = { ...(t.url ? { DATABASE_URL: t.url } : { DATA_DIR: join(root, 'data') }), PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS };
    session = cliSession(env, t.database);
    await writeFullPackage(root);
    expect((await session.run(['import', 'edx-package', root, '--course', COURSE, '--from', '2026-03-01', '--to', '2026-03-02', '--json'])).code).toBe(0);
    expect((await session.run(['flush', '--json'])).code).toBe(0);
  });
  afterEach(async () => {
    await session.close();
    await t.drop();
    await rm(root, { recursive: true, force: true });
  });

  it('writes the run files under the old names, the SAMCED tables, info.txt and a README of every column', async () => {
    const run = await session.run(['report', 'edx', 'samced', '--course', COURSE, '--from', '2026-03-01', '--to', '2026-03-02', '--out', out, '--package', root]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = (await readdir(out)).sort();
    expect(files).toEqual(expect.arrayContaining([
      'info.txt', 'README.txt',
      `${PREFIX}-course_structure.json`, `${PREFIX}-student_courseenrollment.sql`, `${PREFIX}-student_languageproficiency.sql`, `${PREFIX}-user_api_usercoursetag.sql`, `${PREFIX}-wiki_article.sql`,
      ...['auth_userprofile', 'certificates_generatedcertificate', 'courseware_studentmodule', 'student_courseenrollment', 'student_languageproficiency', 'user_api_usercoursetag', 'wiki_article', 'wiki_articlerevision'].map((n) => `SAMCED-${n}.csv`),
      ...['discussion_forum_activity', 'discussion_forum_activity_ng', 'video_activity', 'video_activity_ng', 'pre_roll_video_activity', 'problem_activity', 'problem_q1', 'textbook_activity', 'pre_survey_answers', 'post_survey_answers'].map((n) => `SAMCED-${n}.csv`),
      ...['progress', 'info', 'courseware', 'discussion'].map((p) => `SAMCED-page_activity_${p}.csv`),
    ]));
    // Files with names, emails, IP addresses or learners' text are not copied; nothing personal is anywhere.
    expect(files.filter((f) => /auth_userprofile\.sql|certificates_generatedcertificate\.sql|courseware_studentmodule\.sql|wiki_articlerevision\.sql|\.mongo$/.test(f))).toEqual([]);
    const everything = (await Promise.all(files.map((f) => readFile(join(out, f), 'utf8')))).join('\n');
    expect(everything).not.toMatch(/Ada|Lovelace|Bob Ross|12 Street|198\.51\.100\.9|203\.0\.113\.7|learner11/);

    // The standard tables, as the package has them, without the personal columns.
    const enrollments = await csv(out, 'SAMCED-student_courseenrollment.csv');
    expect(enrollments.map((r) => [r.user_id, r.mode])).toEqual([['11', 'audit'], ['12', 'verified'], ['13', 'honor'], ['14', 'audit']]);
    const certificates = await csv(out, 'SAMCED-certificates_generatedcertificate.csv');
    expect(Object.keys(certificates[0]!)).not.toContain('name');
    expect(certificates.find((r) => r.user_id === '11')?.grade).toBe('0.85');
    const profiles = await csv(out, 'SAMCED-auth_userprofile.csv');
    expect(profiles.map((r) => [r.user_id, r.country, r.year_of_birth])).toEqual([['11', 'GB', '1990'], ['12', 'ES', '']]);
    expect(Object.keys(profiles[0]!)).not.toEqual(expect.arrayContaining(['name']));
    expect(Object.keys((await csv(out, 'SAMCED-wiki_articlerevision.csv'))[0]!)).not.toEqual(expect.arrayContaining(['content']));
    expect(await csv(out, 'SAMCED-wiki_articlerevision.csv')).toEqual([expect.objectContaining({ id: '7', user_id: '11', title: 'Week 1 notes' })]);

    // The tables from the reports, learners by pseudonym.
    const p11 = pseudonym(SECRET, '11');
    const p12 = pseudonym(SECRET, '12');
    const videos = await csv(out, 'SAMCED-video_activity.csv');
    expect(videos.map((r) => [r.learner, r.played])).toEqual([[p11, '2'], [p12, '1']].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
    const q1 = await csv(out, 'SAMCED-problem_q1.csv');
    expect(Object.fromEntries(q1.map((r) => [r.learner, [r.attempts, r.success, r.grade]]))).toEqual({ [p11]: ['1', 'true', '2'], [p12]: ['1', 'false', '1'] });
    expect(q1[0]).not.toHaveProperty('problem');
    expect(await csv(out, 'SAMCED-pre_roll_video_activity.csv')).toEqual([]);

    const info = await readFile(join(out, 'info.txt'), 'utf8');
    expect(info).toContain(`command: report edx samced --course ${COURSE} --from 2026-03-01 --to 2026-03-02 --out ${out} --package ${root}`);
    expect(info).toContain(`course: ${COURSE}`);
    expect(info).toContain('span: 2026-03-01 to 2026-03-02');
    expect(info).toMatch(/generated: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    expect(info).toContain(`package snapshot: ${join(root, 'course-data', 'OrgX-2026-03-08')}`);
    expect(info).toMatch(/statements read: [1-9]\d*/);
    expect(info).toContain('SAMCED-student_courseenrollment.csv: 4 rows');
    expect(info).toContain(`${PREFIX}-wiki_article.sql: copied`);
    expect(info).toContain('not copied (personal data): auth_userprofile, certificates_generatedcertificate, courseware_studentmodule, forum, wiki_articlerevision\r\n');
    // The profile table's unknown column is named with its place.
    expect(info).toMatch(/package problems: 1\r\n {2}.*auth_userprofile-prod-analytics\.sql:1: bad value in favourite_colour/);

    // README.txt describes every file and every column of every CSV.
    const readme = await readFile(join(out, 'README.txt'), 'utf8');
    for (const f of files.filter((name) => name.endsWith('.csv'))) {
      expect(readme).toContain(`${f}: `);
      const section = readme.slice(readme.indexOf(`${f}: `)).split('\r\n\r\n')[0]!;
      const header = (await readFile(join(out, f), 'utf8')).split('\r\n')[0]!.split(',');
      for (const column of header.filter((c) => c !== '')) expect(section).toContain(`  ${column}: `);
    }
    for (const f of files.filter((name) => name.startsWith(PREFIX))) expect(readme).toContain(`${f}: copied`);
    expect(readme).toMatch(/SQLite/);
  });

  it('reads the package where edx sync unpacks it (DATA_DIR/edx-data) without --package, and says "none" where there is none', async () => {
    const dataDir = env.DATA_DIR ?? join(root, 'data');
    const bare = await session.run(['report', 'edx', 'samced', '--course', COURSE, '--out', out], { DATA_DIR: dataDir });
    expect(bare.code).toBe(0);
    expect(await readFile(join(out, 'info.txt'), 'utf8')).toContain('package snapshot: none\r\n');
    expect((await readFile(join(out, 'SAMCED-student_courseenrollment.csv'), 'utf8')).split('\r\n')).toEqual(['id,user_id,course_id,created,is_active,mode', '']);
    expect((await readdir(out)).filter((f) => f.startsWith(PREFIX))).toEqual([]);
    await cp(join(root, 'course-data'), join(dataDir, 'edx-data', 'course-data'), { recursive: true });
    const synced = join(root, 'synced');
    expect((await session.run(['report', 'edx', 'samced', '--course', COURSE, '--to', '2026-03-02', '--out', synced], { DATA_DIR: dataDir })).code).toBe(0);
    expect(await readFile(join(synced, 'info.txt'), 'utf8')).toContain(`package snapshot: ${join(dataDir, 'edx-data', 'course-data', 'OrgX-2026-03-08')}\r\n`);
    expect(await csv(synced, 'SAMCED-student_courseenrollment.csv')).toHaveLength(4);
  });

  it('stamps info.txt with the time of the clock it is given', async () => {
    const config = loadConfig(env);
    const result = await writeSamcedBundle({
      query: new EmbeddedStatementQuery(await session.database()), scope: edxCourseScope(config, COURSE, { from: '2026-03-01', to: '2026-03-02' }), options: reportOptions(config),
      courseId: COURSE, out, packageRoot: root, defaultRoot: join(root, 'none'), command: 'report edx samced', now: () => new Date(TEST_NOW),
    });
    expect(result).toMatchObject({ statements: 5, snapshot: join(root, 'course-data', 'OrgX-2026-03-08'), packageProblems: 1 });
    const info = (await readFile(join(out, 'info.txt'), 'utf8')).split('\r\n');
    expect(info.slice(0, 5)).toEqual(['command: report edx samced', `course: ${COURSE}`, 'span: 2026-03-01 to 2026-03-02 (UTC, inclusive)', 'generated: 2026-10-21T07:27:00.000Z', 'statements read: 5']);
  });

  it('refuses a course that is no edX course id in one line, writing nothing', async () => {
    const run = await session.run(['report', 'edx', 'samced', '--course', 'not a course', '--out', out, '--package', root]);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/not a course.*not an edX course id/);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('refuses a day that is no day and a --package that is no research package, in one line each', async () => {
    const badDay = await session.run(['report', 'edx', 'samced', '--course', COURSE, '--to', '2026-3-2', '--out', out, '--package', root]);
    expect(badDay.code).not.toBe(0);
    expect(badDay.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--to: expected a day, YYYY-MM-DD/)]);
    const noPackage = await session.run(['report', 'edx', 'samced', '--course', COURSE, '--out', out, '--package', join(root, 'edx-course-data')]);
    expect(noPackage.code).not.toBe(0);
    expect(noPackage.stderr.trim().split('\n')).toEqual([expect.stringMatching(/is not an edX research data package of OrgX/)]);
    await expect(readdir(out)).rejects.toThrow();
  });
});
