import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { courseraExportFiles, courseraExportJobs } from '../../../src/ingest/coursera/schema.js';
import { CourseraExportsClient } from '../../../src/ingest/coursera/exports-client.js';
import { markImported, runCourseraFetch, type CourseraFetchOptions } from '../../../src/ingest/coursera/fetch-run.js';
import { startFakeCoursera, type FakeCoursera, type FakeCourseraOptions } from '../../fakes/coursera.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';

const TOKEN = 'coursera-token-9f8e7d6c5b4a';
const TODAY = '2026-11-22';
const ITEMS = 'course_item_id,course_lesson_id,course_item_type_id,course_item_name,course_item_order\ni1,l1,1,Intro,1\n';
const PROGRESS = 'course_id,course_item_id,c1_user_id,course_progress_state_type_id,course_progress_ts\nc1,i1,u1,2,2026-11-20 10:00:00\n';
const click = (day: string) => [`u1,s1,${day}T10:00:00Z,ip,agent,https://www.coursera.org/learn/c1,,en,b1,FR,,,Linux,Firefox,pageview,{}`];
const CONTENT: Omit<FakeCourseraOptions, 'token'> = {
  tables: { c1: { 'course_items.csv': ITEMS, 'course_progress.csv': PROGRESS, 'README.txt': 'not a table' }, c2: { 'course_items.csv': ITEMS } },
  clickstream: { c1: { '2026-11-20': click('2026-11-20'), '2026-11-21': click('2026-11-21') }, c2: { '2026-11-21': click('2026-11-21') } },
};

describe.each(DATABASE_KINDS)('the Coursera fetch run on %s', (kind) => {
  let t: TestDatabase;
  let dir: string;
  let fake: FakeCoursera;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'coursera-fetch-'));
  });
  afterEach(async () => {
    await fake?.close();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (extra: Partial<FakeCourseraOptions> = {}) => {
    fake = await startFakeCoursera({ token: TOKEN, ...CONTENT, ...extra });
  };
  const run = (opts: Partial<CourseraFetchOptions> & { token?: string } = {}) =>
    runCourseraFetch({
      database: t.database,
      client: new CourseraExportsClient({ baseUrl: fake.baseUrl, token: opts.token ?? TOKEN }),
      courses: ['c1'],
      exportDir: dir,
      schemaNames: ['course_items', 'course_progress'],
      anonymityLevel: 'HASHED_IDS_NO_PII',
      purpose: 'learning tracker',
      today: TODAY,
      ...opts,
    });
  const jobRow = async (id: string) => (await t.database.db.select().from(courseraExportJobs).where(eq(courseraExportJobs.id, id)))[0];
  const clickJob = () => fake.jobs.find((j) => j.exportType === 'RESEARCH_EVENTING')!;
  const tablesJob = () => fake.jobs.find((j) => j.exportType === 'RESEARCH_WITH_SCHEMAS')!;
  /** Marks a clickstream export up to `end` as requested and imported, as an earlier run would have. */
  const seedClickstreamUpTo = (end: string) =>
    t.database.db.insert(courseraExportJobs).values({
      id: 'earlier', courseId: 'c1', kind: 'clickstream', day: end, intervalStart: end, intervalEnd: end,
      status: 'SUCCESSFUL', folder: join(dir, 'c1', end, 'clickstream'), downloadedAt: new Date(), importedAt: new Date(),
    });

  it('requests, polls until SUCCESSFUL, then downloads and unpacks into the folder layout', async () => {
    await start();
    const first = await run();
    expect(first).toMatchObject({ requested: 2, polled: 2, pending: 2, terminated: 0, downloaded: 0, ready: [], errors: [] });
    expect(tablesJob()).toMatchObject({ courseId: 'c1', anonymityLevel: 'HASHED_IDS_NO_PII', statementOfPurpose: 'learning tracker', schemaNames: ['course_items', 'course_progress'] });
    expect(clickJob().interval).toEqual({ start: '2026-11-21', end: '2026-11-21' });

    const second = await run();
    expect(second).toMatchObject({ requested: 0, polled: 2, pending: 0, downloaded: 2, errors: [] });
    const tables = join(dir, 'c1', TODAY, 'tables');
    const clickstream = join(dir, 'c1', '2026-11-21', 'clickstream');
    expect(second.ready).toEqual([
      { jobId: clickJob().id, courseId: 'c1', kind: 'clickstream', folder: clickstream },
      { jobId: tablesJob().id, courseId: 'c1', kind: 'tables', folder: tables },
    ]);
    expect((await readdir(tables)).sort()).toEqual(['course_items.csv', 'course_progress.csv']);
    expect(await readFile(join(tables, 'course_progress.csv'), 'utf8')).toBe(PROGRESS);
    expect(await readdir(clickstream)).toEqual(['access-2026-11-21.csv']);
    expect(await readFile(join(clickstream, 'access-2026-11-21.csv'), 'utf8')).toBe(`${click('2026-11-21')[0]}\n`);
    // No download scratch or half file is left beside the folders.
    expect((await readdir(join(dir, 'c1', TODAY))).sort()).toEqual(['tables']);
    const files = await t.database.db.select().from(courseraExportFiles);
    expect(files.map((f) => f.name).sort()).toEqual(['access-2026-11-21.csv.gz', 'tables.zip']);
  });

  it('requests nothing new and downloads nothing again on a second run of the same day', async () => {
    await start();
    await run();
    await run();
    const third = await run();
    expect(third).toMatchObject({ requested: 0, polled: 0, pending: 0, downloaded: 0, errors: [] });
    expect(third.ready).toHaveLength(2);
    expect(fake.count('create')).toBe(2);
    expect(fake.count('download c1/tables.zip')).toBe(1);
    expect(fake.count('download c1/access-2026-11-21.csv.gz')).toBe(1);
    expect(fake.count('links')).toBe(1);

    for (const r of third.ready) await markImported(t.database, r.jobId, 7);
    expect((await run()).ready).toEqual([]);
    expect(await jobRow(tablesJob().id)).toMatchObject({ importRunId: 7 });
  });

  it('adopts the jobs an interrupted run requested but never recorded, instead of requesting them twice', async () => {
    await start();
    // A run that stopped right after Coursera accepted its two requests.
    const client = new CourseraExportsClient({ baseUrl: fake.baseUrl, token: TOKEN });
    const purpose = { anonymityLevel: 'HASHED_IDS_NO_PII' as const, purpose: 'learning tracker' };
    const tables = await client.requestTables('c1', { ...purpose, schemaNames: ['course_items', 'course_progress'] });
    const clicks = await client.requestClickstream('c1', { start: '2026-11-21', end: '2026-11-21' }, purpose);
    // Another interval, and a job of a course this run does not fetch: not taken.
    await client.requestClickstream('c1', { start: '2026-11-01', end: '2026-11-01' }, purpose);
    await client.requestTables('c2', purpose);

    const first = await run();
    expect(first).toMatchObject({ requested: 0, adopted: 2, errors: [] });
    expect(fake.count('create')).toBe(4);
    expect(fake.count('list')).toBe(1);
    expect(await jobRow(tables.id)).toMatchObject({ kind: 'tables', day: TODAY });
    expect(await jobRow(clicks.id)).toMatchObject({ kind: 'clickstream', intervalStart: '2026-11-21', intervalEnd: '2026-11-21' });
    expect(await t.database.db.select().from(courseraExportJobs)).toHaveLength(2);

    // Recorded now: the next run neither lists nor requests.
    expect(await run()).toMatchObject({ requested: 0, adopted: 0 });
    expect(fake.count('list')).toBe(1);
    expect(fake.count('create')).toBe(4);
  });

  it('asks on a later day for the clickstream days after the last interval requested', async () => {
    await start();
    await run();
    await run({ today: '2026-11-25' });
    const intervals = fake.jobs.filter((j) => j.exportType === 'RESEARCH_EVENTING').map((j) => j.interval);
    expect(intervals).toEqual([{ start: '2026-11-21', end: '2026-11-21' }, { start: '2026-11-22', end: '2026-11-24' }]);
    expect(fake.jobs.filter((j) => j.exportType === 'RESEARCH_WITH_SCHEMAS')).toHaveLength(2);
  });

  it('resumes a download that stopped half-way and fetches only the missing file', async () => {
    await start();
    await seedClickstreamUpTo('2026-11-19');
    await run();
    expect(clickJob().interval).toEqual({ start: '2026-11-20', end: '2026-11-21' });
    fake.failNext5xx(1, /access-2026-11-21/);
    const second = await run();
    expect(second.downloaded).toBe(1);
    expect(second.errors).toEqual([{ course: 'c1', job: clickJob().id, step: 'download', reason: expect.stringContaining('500') }]);
    expect(second.ready.map((r) => r.kind)).toEqual(['tables']);
    const folder = join(dir, 'c1', '2026-11-21', 'clickstream');
    expect(await readdir(folder)).toEqual(['access-2026-11-20.csv']);
    expect(await jobRow(clickJob().id)).toMatchObject({ downloadedAt: null, lastError: expect.stringContaining('500') });

    const third = await run();
    expect(third).toMatchObject({ downloaded: 1, errors: [] });
    expect(third.ready.map((r) => r.kind).sort()).toEqual(['clickstream', 'tables']);
    expect((await readdir(folder)).sort()).toEqual(['access-2026-11-20.csv', 'access-2026-11-21.csv']);
    expect(fake.count('download c1/access-2026-11-20.csv.gz')).toBe(1);
    expect(fake.count('download c1/access-2026-11-21.csv.gz')).toBe(2);
    expect(await jobRow(clickJob().id)).toMatchObject({ lastError: null, folder });
  });

  it('reports a TERMINATED job and requests it again on the next run', async () => {
    await start();
    await run();
    const [tablesBefore, clickBefore] = [tablesJob(), clickJob()];
    fake.terminate('c1');
    const second = await run();
    expect(second).toMatchObject({ terminated: 2, downloaded: 0, pending: 0 });
    expect(second.errors.map((e) => [e.job, e.step])).toEqual(expect.arrayContaining([[tablesBefore.id, 'poll'], [clickBefore.id, 'poll']]));
    expect(second.errors[0]!.reason).toMatch(/terminated/);

    const third = await run();
    expect(third).toMatchObject({ requested: 2, pending: 2 });
    const again = fake.jobs.slice(2);
    expect(again.map((j) => j.exportType).sort()).toEqual(['RESEARCH_EVENTING', 'RESEARCH_WITH_SCHEMAS']);
    expect(again.find((j) => j.exportType === 'RESEARCH_EVENTING')!.interval).toEqual(clickBefore.interval);
  });

  it('keeps an expired link as the last error and fetches a fresh link on the next run', async () => {
    await start({ expireLinksOnce: true });
    await run();
    const second = await run();
    expect(second.downloaded).toBe(0);
    expect(second.errors.map((e) => [e.step, e.reason])).toEqual([
      ['download', expect.stringMatching(/expired \(403\)/)],
      ['download', expect.stringMatching(/expired \(403\)/)],
    ]);
    expect(second.errors.every((e) => !e.reason.includes('Signature'))).toBe(true);
    expect(await jobRow(tablesJob().id)).toMatchObject({ lastError: expect.stringContaining('expired') });

    const gets = fake.count('get');
    const third = await run();
    expect(third).toMatchObject({ downloaded: 2, errors: [] });
    expect(fake.count('get')).toBe(gets + 1); // the tables job again, for a fresh link
    expect(fake.served('download c1/tables.zip')).toBe(1);
  });

  it('stops the run at a 401 with one clear error that never shows the token', async () => {
    await start();
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const wrong = 'wrong-token-0123456789';
    const summary = await run({ token: wrong, courses: ['c1', 'c2'], logger });
    expect(summary.errors).toEqual([{ course: 'c1', step: 'request-tables', reason: expect.stringMatching(/401.*COURSERA_TOKEN/) }]);
    // The first call (the list of jobs to adopt) is refused, and nothing more is asked.
    expect(fake.count('list')).toBe(1);
    expect(fake.count('create') + fake.count('links') + fake.count('get')).toBe(0);
    const everything = JSON.stringify(summary) + lines.join('');
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(TOKEN);
  });

  it('reports a 5xx on one course and goes on with the others', async () => {
    await start();
    fake.failNext5xx(1, /^POST \/api\/onDemandExports/);
    const first = await run({ courses: ['c1', 'c2'] });
    expect(first.requested).toBe(3);
    expect(first.errors).toEqual([{ course: 'c1', step: 'request-tables', reason: expect.stringContaining('500') }]);
    const second = await run({ courses: ['c1', 'c2'] });
    expect(second.requested).toBe(1);
    expect(fake.jobs.filter((j) => j.courseId === 'c1' && j.exportType === 'RESEARCH_WITH_SCHEMAS')).toHaveLength(1);
  });

  it('refuses a zip entry whose path leaves the export folder and keeps the tables beside it', async () => {
    await start({ tables: { c1: { '../evil.csv': 'x\n', '/abs.csv': 'y\n', 'course_items.csv': ITEMS } } });
    await run();
    const second = await run();
    expect(second.errors.filter((e) => e.step === 'unpack').map((e) => e.reason)).toEqual([
      expect.stringContaining('"../evil.csv"'),
      expect.stringContaining('"/abs.csv"'),
    ]);
    expect(await readdir(join(dir, 'c1', TODAY, 'tables'))).toEqual(['course_items.csv']);
    expect(await readdir(join(dir, 'c1', TODAY))).toEqual(['tables']);
    expect(second.ready.map((r) => r.kind).sort()).toEqual(['clickstream', 'tables']);
  });
});

describe('the Coursera exports client against the fake', () => {
  let fake: FakeCoursera;
  beforeEach(async () => {
    fake = await startFakeCoursera({ token: TOKEN, ...CONTENT });
  });
  afterEach(() => fake.close());

  it('lists the jobs of the account with their course', async () => {
    const client = new CourseraExportsClient({ baseUrl: fake.baseUrl, token: TOKEN });
    const job = await client.requestClickstream('c2', { start: '2026-11-21', end: '2026-11-21' }, { anonymityLevel: 'HASHED_IDS_NO_PII', purpose: 'p' });
    expect(await client.listJobs()).toEqual([expect.objectContaining({ id: job.id, courseId: 'c2', status: 'PENDING', exportType: 'RESEARCH_EVENTING' })]);
    expect(await client.clickstreamLinks('c2', { start: '2026-11-20', end: '2026-11-22' })).toEqual([expect.stringContaining('/access-2026-11-21.csv.gz?')]);
  });

  it('is answered 400 by the fake when the scope or export type is missing', async () => {
    const post = (body: unknown) => fetch(`${fake.baseUrl}onDemandExports.v2/`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    expect((await post({ exportType: 'RESEARCH_WITH_SCHEMAS', anonymityLevel: 'HASHED_IDS_NO_PII', statementOfPurpose: 'p' })).status).toBe(400);
    expect((await post({ scope: { typeName: 'courseContext', definition: { courseId: 'c1' } }, anonymityLevel: 'HASHED_IDS_NO_PII', statementOfPurpose: 'p' })).status).toBe(400);
  });

  it('names the endpoint but not the token when Coursera cannot be reached', async () => {
    await fake.close();
    const client = new CourseraExportsClient({ baseUrl: fake.baseUrl, token: TOKEN });
    const err = await client.getJob('abc').then(() => new Error('resolved'), (e: unknown) => e as Error);
    expect(err).toMatchObject({ name: 'CourseraServerError', code: 'coursera_unavailable' });
    expect(err.message).toMatch(/^GET onDemandExports\.v2\/abc: unreachable/);
    expect(err.message).not.toContain(TOKEN);
    fake = await startFakeCoursera({ token: TOKEN });
  });
});
