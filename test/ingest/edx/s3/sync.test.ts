import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/config/index.js';
import { Outbox } from '../../../../src/lrs/outbox.js';
import type { NetClock } from '../../../../src/net/request.js';
import { syncEdxS3, type EdxSyncDeps } from '../../../../src/pipelines/edx-s3-sync.js';
import { zipOf } from '../../../fakes/coursera.js';
import { startFakeS3, type FakeS3 } from '../../../fakes/s3.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../../support/databases.js';
import { COURSE, LMS, ndjson, playVideo, SECRET } from '../../../support/edx-events.js';
import { testGpgKey, type TestGpgKey } from '../../../support/gpg.js';

const KEYS = { accessKeyId: 'AKIAFAKEEDXSYNC00002', secretAccessKey: 'fake/sync+secret/key0123456789abcdefghij' };
const NOW = Date.UTC(2026, 2, 10, 6, 0, 0);
const clock: NetClock = { now: () => NOW, sleep: async () => undefined, random: () => 0 };
const PREFIX = 'OrgX-CS101-2026';
const tsv = (rows: string[][]) => rows.map((r) => r.join('\t')).join('\n') + '\n';
const DAY_1 = 'orgx/edx/events/2026/orgx-edx-events-2026-03-02.log.gz.gpg';
const DAY_2 = 'orgx/edge/events/2026/orgx-edge-events-2026-03-03.log.gz.gpg';
const PACKAGE = 'orgx-2026-03-08.zip';

/** A research data package as edX ships it: a zip of a dated folder of files each encrypted. */
function researchPackage(key: TestGpgKey): Buffer {
  const tables: Record<string, string[][]> = {
    student_courseenrollment: [['id', 'user_id', 'course_id', 'created', 'is_active', 'mode'], ['1', '11', COURSE, '2026-02-20 10:00:00', '1', 'audit'], ['2', '12', COURSE, '2026-02-21 11:00:00', '1', 'verified']],
    certificates_generatedcertificate: [['id', 'user_id', 'download_url', 'grade', 'course_id', 'key', 'distinction', 'status', 'verify_uuid', 'download_uuid', 'name', 'created_date', 'modified_date', 'error_reason', 'mode']],
    courseware_studentmodule: [['id', 'module_type', 'module_id', 'student_id', 'state', 'grade', 'created', 'modified', 'max_grade', 'done', 'course_id']],
    auth_userprofile: [['id', 'user_id', 'name', 'language', 'location', 'meta', 'courseware', 'gender', 'mailing_address', 'year_of_birth', 'level_of_education', 'goals', 'allow_certificate', 'country', 'city', 'bio', 'profile_image_uploaded_at'],
      ['1', '11', 'Ada Lovelace', 'en', 'London', '', 'course.xml', 'f', '12 Street', '1990', 'm', 'learn', '1', 'GB', 'London', '', 'NULL']],
  };
  const entries: Record<string, Buffer> = {};
  for (const [table, rows] of Object.entries(tables)) entries[`orgx-2026-03-08/${PREFIX}-${table}-prod-analytics.sql.gpg`] = key.encrypt(tsv(rows));
  entries[`orgx-2026-03-08/${PREFIX}-prod.mongo.gpg`] = key.encrypt(`${JSON.stringify({ _id: { $oid: 't1' }, _type: 'CommentThread', author_id: '11', title: 'Help', body: 'I am Ada', course_id: COURSE, commentable_id: 'w1', created_at: { $date: '2026-02-26T10:00:00.000Z' } })}\n`);
  return zipOf(entries);
}

const dayOfEvents = (key: TestGpgKey, events: Record<string, unknown>[]) => key.encrypt(gzipSync(ndjson(events)));

let dir: string;
let key: TestGpgKey;
let stranger: TestGpgKey;
/** The bucket's encrypted files, the same for every test. */
let encrypted: { package: Buffer; day1: Buffer; day2: Buffer };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xgw-edx-sync-'));
  key = await testGpgKey(dir, 'data-czar');
  stranger = await testGpgKey(dir, 'stranger');
  encrypted = {
    package: researchPackage(key),
    day1: dayOfEvents(key, [playVideo(11, 0), playVideo(12, 60)]),
    day2: dayOfEvents(key, [playVideo(11, 120, { time: '2026-03-03T09:00:00.000000+00:00' })]),
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(DATABASE_KINDS)('edx sync from a fake S3 on %s', (kind) => {
  let s3: FakeS3;
  let t: TestDatabase;
  let dataDir: string;

  beforeEach(async () => {
    s3 = await startFakeS3({ ...KEYS, region: 'us-east-1', now: () => NOW });
    s3.put('course-data', PACKAGE, encrypted.package);
    s3.put('course-data', 'orgx-2026-03-08.zip.md5', 'not a package');
    s3.put('course-data', 'otherorg-2026-03-08.zip', 'another institution (not listed)');
    s3.put('edx-course-data', DAY_1, encrypted.day1);
    s3.put('edx-course-data', DAY_2, encrypted.day2);
    s3.put('edx-course-data', 'orgx/edx/events/2026/notes.txt', 'not an event file');
    t = await freshDatabase(kind);
    dataDir = await mkdtemp(join(dir, 'data-'));
  });
  afterEach(async () => {
    await s3.close();
    await t.drop();
  });

  const deps = (env: Record<string, string> = {}): EdxSyncDeps => ({
    config: loadConfig({
      PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS, DATA_DIR: dataDir, EDX_S3_PREFIX: 'orgx', EDX_S3_ENDPOINT: s3.url,
      EDX_S3_ACCESS_KEY_ID: KEYS.accessKeyId, EDX_S3_SECRET_ACCESS_KEY: KEYS.secretAccessKey, EDX_GPG_KEY_FILE: key.keyFile, EDX_GPG_PASSPHRASE: key.passphrase, ...env,
    }),
    database: t.database,
    outbox: new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 }),
    logger: pino({ level: 'silent' }),
    clock,
    now: () => new Date(NOW),
  });
  const outboxCount = async () => Number((await t.database.query<{ n: string }>('SELECT count(*) AS n FROM statement_outbox')).rows[0]!.n);
  const states = async () =>
    Object.fromEntries((await t.database.query<{ key: string; state: string; error_code: string | null }>('SELECT key, state, error_code FROM edx_s3_objects')).rows.map((r) => [r.key, r.error_code ?? r.state]));

  it('fetches, decrypts and imports the package and the days of events, keeping the encrypted originals', async () => {
    const summary = await syncEdxS3(deps());
    expect(summary).toMatchObject({ listed: 3, unchanged: 0, fetched: 3, imported: 3, failed: 0, errors: [] });
    expect(summary.skipped).toEqual([
      { at: 'course-data/orgx-2026-03-08.zip.md5', reason: 'not a research data package orgx-YYYY-MM-DD.zip' },
      { at: 'edx-course-data/orgx/edx/events/2026/notes.txt', reason: 'not an event file orgx/<site>/events/<year>/orgx-<site>-events-YYYY-MM-DD.log.gz.gpg' },
    ]);
    // 3 video plays, 2 enrollments, 1 forum post.
    expect(summary.statements).toBe(6);
    expect(await outboxCount()).toBe(6);
    expect(summary.runs).toHaveLength(3);
    expect(await states()).toEqual({ [PACKAGE]: 'imported', [DAY_1]: 'imported', [DAY_2]: 'imported' });
    const backup = join(dataDir, 'edx-s3');
    expect(await readFile(join(backup, 'edx-course-data', ...DAY_1.split('/')))).toEqual(s3.buckets.get('edx-course-data')!.get(DAY_1)!.body);
    expect(await readFile(join(backup, 'course-data', PACKAGE))).toEqual(s3.buckets.get('course-data')!.get(PACKAGE)!.body);
    const decrypted = await readFile(join(dataDir, 'edx-data', 'course-data', 'orgx-2026-03-08', `${PREFIX}-student_courseenrollment-prod-analytics.sql`), 'utf8');
    expect(decrypted).toContain(COURSE);
    const profiles = await t.database.query('SELECT * FROM learner_profiles');
    expect(JSON.stringify(profiles.rows)).not.toMatch(/Ada|Lovelace|12 Street/);
  });

  it('fetches nothing the second time, and again an object whose ETag changed', async () => {
    await syncEdxS3(deps());
    const gets = s3.counts.get;
    expect(await syncEdxS3(deps())).toMatchObject({ listed: 3, unchanged: 3, fetched: 0, imported: 0, statements: 0 });
    expect(s3.counts.get).toBe(gets);
    s3.put('edx-course-data', DAY_2, dayOfEvents(key, [playVideo(11, 120, { time: '2026-03-03T09:00:00.000000+00:00' }), playVideo(12, 180, { time: '2026-03-03T09:05:00.000000+00:00' })]));
    expect(await syncEdxS3(deps())).toMatchObject({ unchanged: 2, fetched: 1, imported: 1, statements: 1 });
    expect(s3.counts.get).toBe(gets + 1);
  });

  it('fails a file not encrypted to the key with its code, imports the others, and the next sync tries it again from the backup', async () => {
    s3.put('edx-course-data', DAY_2, dayOfEvents(stranger, [playVideo(11, 120)]));
    const summary = await syncEdxS3(deps());
    expect(summary).toMatchObject({ fetched: 3, imported: 2, failed: 1 });
    expect(summary.errors).toEqual([{ at: `edx-course-data/${DAY_2}`, code: 'no-secret-key', reason: `edx-course-data/${DAY_2}: not encrypted for the key of EDX_GPG_KEY_FILE` }]);
    expect((await states())[DAY_2]).toBe('no-secret-key');
    expect(await syncEdxS3(deps())).toMatchObject({ unchanged: 2, fetched: 0, failed: 1 });
  });

  it('fails every file with a clear code when the passphrase is wrong, and never says the passphrase', async () => {
    const summary = await syncEdxS3(deps({ EDX_GPG_PASSPHRASE: 'a wrong passphrase' }));
    expect(summary).toMatchObject({ fetched: 3, imported: 0, failed: 3 });
    expect(new Set(summary.errors.map((e) => e.code))).toEqual(new Set(['bad-passphrase']));
    expect(summary.errors[0]!.reason).toMatch(/EDX_GPG_PASSPHRASE does not unlock the key of EDX_GPG_KEY_FILE$/);
    expect(JSON.stringify(summary)).not.toContain('a wrong passphrase');
    expect(await outboxCount()).toBe(0);
    // Fixed: the originals kept are decrypted again without a new download.
    const gets = s3.counts.get;
    expect(await syncEdxS3(deps())).toMatchObject({ fetched: 0, imported: 3, failed: 0, statements: 6 });
    expect(s3.counts.get).toBe(gets);
  });

  it('counts a download whose MD5 is not its ETag as failed, and keeps nothing of it', async () => {
    const object = s3.buckets.get('edx-course-data')!.get(DAY_1)!;
    object.corruptBody = Buffer.from(object.body.map((b, i) => (i === 10 ? b ^ 0xff : b)));
    const summary = await syncEdxS3(deps());
    expect(summary).toMatchObject({ fetched: 2, imported: 2, failed: 1 });
    expect(summary.errors).toEqual([{ at: `edx-course-data/${DAY_1}`, code: 'checksum', reason: `edx-course-data/${DAY_1}: the MD5 of the download does not match its ETag` }]);
    await expect(readFile(join(dataDir, 'edx-s3', 'edx-course-data', ...DAY_1.split('/')))).rejects.toMatchObject({ code: 'ENOENT' });
    delete object.corruptBody;
    expect(await syncEdxS3(deps())).toMatchObject({ unchanged: 2, fetched: 1, imported: 1, statements: 2 });
  });

  it('fails a package that is not a zip, and a day of events that is no tracking log, each with its code', async () => {
    s3.put('course-data', PACKAGE, 'not a zip at all');
    s3.put('edx-course-data', DAY_2, key.encrypt(gzipSync('this is not a tracking log\n')));
    const summary = await syncEdxS3(deps());
    expect(summary).toMatchObject({ fetched: 3, imported: 1, failed: 2 });
    expect(summary.errors).toEqual([
      { at: `edx-course-data/${DAY_2}`, code: 'import', reason: `edx-course-data/${DAY_2}: the import refused it` },
      { at: `course-data/${PACKAGE}`, code: 'unpack', reason: `course-data/${PACKAGE}: not a zip the sync can unpack (unreadable, or an entry outside its folder)` },
    ]);
    expect(await states()).toEqual({ [PACKAGE]: 'unpack', [DAY_1]: 'imported', [DAY_2]: 'import' });
  });

  it('imports only the course runs of EDX_COURSE_IDS, from the package as from the events', async () => {
    const summary = await syncEdxS3(deps({ EDX_COURSE_IDS: 'course-v1:OrgX+Other+2026' }));
    expect(summary).toMatchObject({ fetched: 3, imported: 3, failed: 0, statements: 0 });
    expect(summary.runs).toHaveLength(2);
    expect(await outboxCount()).toBe(0);
  });

  it('refuses a package with an entry whose path leaves it', async () => {
    s3.put('course-data', PACKAGE, zipOf({ '../escape.sql.gpg': key.encrypt('x'), 'orgx-2026-03-08/a.sql.gpg': key.encrypt('y') }));
    const summary = await syncEdxS3(deps());
    expect(summary.errors).toEqual([{ at: `course-data/${PACKAGE}`, code: 'unpack', reason: `course-data/${PACKAGE}: not a zip the sync can unpack (unreadable, or an entry outside its folder)` }]);
  });

  it('refuses to run with a setup error naming what is unset, and with S3 refusing the signature', async () => {
    await expect(syncEdxS3(deps({ EDX_GPG_KEY_FILE: '', EDX_S3_ACCESS_KEY_ID: '' }))).rejects.toMatchObject({
      code: 'setup', message: 'the edX S3 sync needs EDX_S3_ACCESS_KEY_ID, EDX_GPG_KEY_FILE',
    });
    await expect(syncEdxS3(deps({ EDX_S3_SECRET_ACCESS_KEY: 'not-the-secret' }))).rejects.toMatchObject({ code: 'forbidden', s3Code: 'SignatureDoesNotMatch' });
  });
});
