import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFutureLearnFetch, type FutureLearnFetchOptions } from '../../../src/ingest/futurelearn/fetch-run.js';
import { FutureLearnSession } from '../../../src/ingest/futurelearn/session.js';
import { FutureLearnSignInError, signIn } from '../../../src/ingest/futurelearn/sign-in.js';
import { startFakeFutureLearn, type FakeCourse, type FakeFutureLearn } from '../../fakes/futurelearn.js';
import { testClock } from '../../support/clock.js';

const EMAIL = 'facilitator@uni.example';
const PASSWORD = 'fl-pass-7Qz!x9Kd';
const ORG = 'uni';
const ENROLMENTS = 'learner_id,enrolled_at,unenrolled_at,role,fully_participated_at,purchased_statement_at,gender,country,age_range,highest_education_level,employment_status,employment_area,detected_country\n'
  + 'a1b2,2016-08-01 10:00:00 UTC,,learner,,,Unknown,Unknown,Unknown,Unknown,Unknown,Unknown,GB\n';
const STEPS = 'learner_id,step,week_number,step_number,first_visited_at,last_completed_at\na1b2,1.1,1,1,2016-08-08 09:00:00 UTC,2016-08-08 09:05:00 UTC\n';
const COMMENTS = 'id,author_id,parent_id,step,week_number,step_number,text,timestamp,moderated,likes\n1,a1b2,,1.1,1,1,Hello,2016-08-08 09:10:00 UTC,,0\n';
const WHEN = new Date('2026-11-22T04:00:00.000Z');

const courses = (): FakeCourse[] => [
  {
    slug: 'intro-stats', title: 'Introduction to Statistics', runs: [
      { run: 1, start: '2016-08-08', weeks: 3, status: 'finished', datasets: { enrolments: ENROLMENTS, 'step-activity': STEPS, comments: COMMENTS } },
      { run: 2, start: '2026-11-02', weeks: 4, status: 'in progress', datasets: { enrolments: ENROLMENTS } },
      { run: 3, start: '2027-03-01', weeks: 4, status: 'upcoming', datasets: {} },
    ],
  },
  { slug: 'ecology', title: 'Ecology, & You', runs: [{ run: 1, start: '2018-01-15', weeks: 6, status: 'finished', datasets: { 'video-stats': 'step_position,title,video_duration,total_views\n1.2,Intro,120,5\n' } }] },
];

const RUN1 = join(ORG, 'intro-stats', '1 - 2016-08-08 - 2016-08-28');
const RUN2 = join(ORG, 'intro-stats', '2 - 2026-11-02 - 2026-11-29');
const ECO1 = join(ORG, 'ecology', '1 - 2018-01-15 - 2018-02-25');
const data = (course: string, run: number, name: string) => `/admin/courses/${course}/${run}/stats-dashboard/data/${name}`;

describe('the FutureLearn scraper', () => {
  let fake: FakeFutureLearn;
  let dir: string;
  let logs: string[];

  beforeEach(async () => {
    fake = await startFakeFutureLearn({ email: EMAIL, password: PASSWORD, organisation: ORG, courses: courses() });
    dir = await mkdtemp(join(tmpdir(), 'futurelearn-fetch-'));
    logs = [];
  });
  afterEach(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  const logger = () => pino({ level: 'debug' }, new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  }));
  const options = (extra: Partial<FutureLearnFetchOptions> = {}): FutureLearnFetchOptions => ({
    baseUrl: fake.baseUrl, email: EMAIL, password: PASSWORD, organisation: ORG, dataDir: dir,
    logger: logger(), now: () => WHEN, http: { backoffMs: 1, timeoutMs: 5_000, clock: testClock() }, ...extra,
  });
  const read = (...parts: string[]) => readFile(join(dir, ...parts), 'utf8');
  const expectNoSecretInLogs = () => {
    const text = logs.join('');
    expect(text).not.toContain(PASSWORD);
    for (const id of fake.sessionIds) expect(text).not.toContain(id);
    expect(text).not.toMatch(/authenticity_token|_futurelearn_session/);
  };

  it('signs in only by echoing the session\'s CSRF token and every other field of the form', async () => {
    const session = new FutureLearnSession({ baseUrl: fake.baseUrl });
    await signIn(session, { email: EMAIL, password: PASSWORD });
    expect(fake.signIns).toEqual([{
      csrfMatched: true, signedIn: true,
      fieldNames: ['utf8', 'authenticity_token', 'return_to', 'email', 'password', 'commit'],
    }]);
    // The session id was rotated on the 302: the cookie set there is the one that opens admin pages.
    expect(fake.sessionIds).toHaveLength(2);
    const page = await session.page(`admin/organisations/${ORG}/courses`);
    expect(page.path).toBe(`/admin/organisations/${ORG}/courses`);
  });

  it('has a fake that refuses a sign-in form posted without the session its token belongs to', async () => {
    const form = await fetch(new URL('sign-in', fake.baseUrl));
    const token = /name="authenticity_token" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const body = new URLSearchParams({ authenticity_token: token, email: EMAIL, password: PASSWORD });
    const res = await fetch(new URL('sign-in', fake.baseUrl), { method: 'POST', body, redirect: 'manual' });
    expect(res.status).toBe(422);
    expect(fake.signIns).toEqual([expect.objectContaining({ csrfMatched: false, signedIn: false })]);
  });

  it('refuses a wrong password with a named error that does not hold it', async () => {
    const wrong = 'not-the-password-123';
    const err = await runFutureLearnFetch(options({ password: wrong })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FutureLearnSignInError);
    expect((err as FutureLearnSignInError).code).toBe('sign_in_failed');
    expect((err as Error).message).toBe('/sign-in: the sign-in form came back: email or password not accepted');
    expect((err as Error).message).not.toContain(wrong);
    // The fake answered 200: the status alone would have passed for a success.
    expect(fake.signIns).toEqual([expect.objectContaining({ csrfMatched: true, signedIn: false })]);
    expect(fake.answered('/sign-in', 200)).toBe(2);
    expect(fake.count(`/admin/organisations/${ORG}/courses`)).toBe(0);
    expect(logs.join('')).not.toContain(wrong);
    expectNoSecretInLogs();
  });

  it('writes every started run\'s datasets in the folder layout, its metadata.csv, and update.txt (and updated.txt)', async () => {
    const summary = await runFutureLearnFetch(options());
    expect(summary).toEqual({
      courses: 2, runs: 4, skipped: 1, datasets: 5, downloaded: 5, unchanged: 0, failed: 0, errors: [],
      changedRuns: [join(dir, ECO1), join(dir, RUN1), join(dir, RUN2)], complete: true,
    });
    expect((await readdir(join(dir, ORG))).sort()).toEqual(['.etags.json', 'ecology', 'intro-stats', 'update.txt', 'updated.txt']);
    expect((await readdir(join(dir, ORG, 'intro-stats'))).sort()).toEqual(['1 - 2016-08-08 - 2016-08-28', '2 - 2026-11-02 - 2026-11-29']);
    expect((await readdir(join(dir, RUN1))).sort()).toEqual(['comments.csv', 'enrolments.csv', 'metadata.csv', 'step-activity.csv']);
    // The old scraper's run description, from the course list: the course name as the page wrote it, quoted where CSV needs it.
    const header = 'course,course_name,run,start_date,end_date,weeks\r\n';
    expect(await read(RUN1, 'metadata.csv')).toBe(`${header}intro-stats,Introduction to Statistics,1,2016-08-08,2016-08-28,3\r\n`);
    expect(await read(RUN2, 'metadata.csv')).toBe(`${header}intro-stats,Introduction to Statistics,2,2026-11-02,2026-11-29,4\r\n`);
    expect(await read(ECO1, 'metadata.csv')).toBe(`${header}ecology,"Ecology, & You",1,2018-01-15,2018-02-25,6\r\n`);
    expect(await read(RUN1, 'step-activity.csv')).toBe(STEPS);
    expect(await read(ECO1, 'video-stats.csv')).toContain('step_position,title');
    expect(await read(ORG, 'update.txt')).toBe('2026-11-22T04:00:00.000Z\n');
    expect(await read(ORG, 'updated.txt')).toBe('2026-11-22T04:00:00.000Z\n');
    // The upcoming run has no dashboard to read, and no folder.
    expect(fake.count('/admin/courses/intro-stats/3/stats-dashboard')).toBe(0);
    expectNoSecretInLogs();
  });

  it('downloads nothing on a second fetch of unchanged data, and rewrites update.txt and updated.txt', async () => {
    await runFutureLearnFetch(options());
    const before = await stat(join(dir, RUN1, 'enrolments.csv'));
    const later = new Date('2026-11-23T04:00:00.000Z');
    const summary = await runFutureLearnFetch(options({ now: () => later }));
    expect(summary).toMatchObject({ datasets: 5, downloaded: 0, unchanged: 5, failed: 0, changedRuns: [], complete: true });
    expect(fake.answered(data('intro-stats', 1, 'enrolments'), 304)).toBe(1);
    expect((await stat(join(dir, RUN1, 'enrolments.csv'))).mtimeMs).toBe(before.mtimeMs);
    expect(await read(ORG, 'update.txt')).toBe('2026-11-23T04:00:00.000Z\n');
    expect(await read(ORG, 'updated.txt')).toBe('2026-11-23T04:00:00.000Z\n');
  });

  it('finds unchanged bodies by hash when the ETag is unknown, and rewrites only a changed file', async () => {
    await runFutureLearnFetch(options());
    await rm(join(dir, ORG, '.etags.json'));
    fake.courses[0]!.runs[1]!.datasets.enrolments = `${ENROLMENTS}c3d4,2026-11-03 08:00:00 UTC,,learner,,,,,,,,,FR\n`;
    const summary = await runFutureLearnFetch(options());
    expect(summary).toMatchObject({ downloaded: 1, unchanged: 4, changedRuns: [join(dir, RUN2)], complete: true });
    expect(fake.answered(data('intro-stats', 1, 'enrolments'), 200)).toBe(2);
    expect(await read(RUN2, 'enrolments.csv')).toContain('c3d4');
  });

  it('stops with the named error when the course list changed, keeping the files and the last complete update.txt', async () => {
    await runFutureLearnFetch(options());
    fake.changeLayout('courses');
    const summary = await runFutureLearnFetch(options({ now: () => new Date('2026-11-23T04:00:00.000Z') }));
    expect(summary).toMatchObject({ complete: false, downloaded: 0, courses: 0 });
    expect(summary.errors).toEqual([{
      at: `/admin/organisations/${ORG}/courses`, code: 'page_changed',
      reason: `/admin/organisations/${ORG}/courses: no course table (tbody) found`,
    }]);
    expect(await read(RUN1, 'comments.csv')).toBe(COMMENTS);
    expect(await read(ORG, 'update.txt')).toBe('2026-11-22T04:00:00.000Z\n');
    expect(await read(ORG, 'updated.txt')).toBe('2026-11-22T04:00:00.000Z\n');
  });

  it('stops at the first dashboard without its dataset list', async () => {
    await runFutureLearnFetch(options());
    fake.changeLayout('dashboard');
    const summary = await runFutureLearnFetch(options({ now: () => new Date('2026-11-23T04:00:00.000Z') }));
    expect(summary.errors).toEqual([expect.objectContaining({ code: 'page_changed', at: '/admin/courses/intro-stats/1/stats-dashboard' })]);
    expect(summary.errors[0]?.reason).toMatch(/no dataset list/);
    // Read once by the first fetch, not again after the error.
    expect(fake.count('/admin/courses/intro-stats/2/stats-dashboard')).toBe(1);
    expect(await read(RUN2, 'enrolments.csv')).toBe(ENROLMENTS);
    expect(await read(ORG, 'updated.txt')).toBe('2026-11-22T04:00:00.000Z\n');
  });

  it('retries a dataset that answers 500, and once the bound is reached reports it and keeps the others', async () => {
    fake.failNext(1, /\/data\/comments$/);
    const retried = await runFutureLearnFetch(options());
    expect(retried).toMatchObject({ downloaded: 5, failed: 0, complete: true });
    expect(fake.count(data('intro-stats', 1, 'comments'))).toBe(2);

    await rm(join(dir, ORG), { recursive: true });
    fake.failNext(10, /\/data\/comments$/);
    const failed = await runFutureLearnFetch(options({ now: () => new Date('2026-11-23T04:00:00.000Z') }));
    expect(failed).toMatchObject({ datasets: 5, downloaded: 4, failed: 1, complete: false });
    expect(failed.errors).toEqual([{
      at: data('intro-stats', 1, 'comments'), code: 'futurelearn_unavailable',
      reason: `${data('intro-stats', 1, 'comments')}: answered 500 after 3 attempts`,
    }]);
    // Three attempts, not more: 2 in the first fetch, 3 in this one.
    expect(fake.count(data('intro-stats', 1, 'comments'))).toBe(5);
    expect((await readdir(join(dir, RUN1))).sort()).toEqual(['enrolments.csv', 'metadata.csv', 'step-activity.csv']);
    await expect(stat(join(dir, ORG, 'update.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(join(dir, ORG, 'updated.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    expectNoSecretInLogs();
  });

  it('reports a dashboard that keeps failing and goes on with the other runs', async () => {
    fake.failNext(3, /^GET \/admin\/courses\/intro-stats\/1\/stats-dashboard$/);
    const summary = await runFutureLearnFetch(options());
    expect(summary).toMatchObject({ datasets: 2, downloaded: 2, complete: false });
    expect(summary.errors).toEqual([expect.objectContaining({ at: '/admin/courses/intro-stats/1/stats-dashboard', code: 'futurelearn_unavailable' })]);
  });

  it('ends the run with sign_in_failed when the session is lost half-way, keeping what it downloaded', async () => {
    let served = 0;
    const session = options();
    session.logger = pino({ level: 'info' }, new Writable({
      write(chunk: Buffer, _enc, done) {
        // After the first dataset lands, the site forgets the session.
        if (chunk.toString('utf8').includes('"futurelearn dataset"') && ++served === 1) fake.expireSessions();
        done();
      },
    }));
    const summary = await runFutureLearnFetch(session);
    expect(summary).toMatchObject({ downloaded: 1, complete: false });
    expect(summary.errors).toEqual([expect.objectContaining({ code: 'sign_in_failed', at: data('intro-stats', 1, 'step-activity') })]);
    expect(summary.errors[0]?.reason).toMatch(/redirected to the sign-in page/);
    expect(await read(RUN1, 'enrolments.csv')).toBe(ENROLMENTS);
    await expect(stat(join(dir, ORG, 'updated.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps no session cookie or password in its logs at debug level', async () => {
    await runFutureLearnFetch(options());
    expect(logs.length).toBeGreaterThan(5);
    expect(logs.some((l) => l.includes('"dataset":"step-activity"'))).toBe(true);
    expectNoSecretInLogs();
  });
});
