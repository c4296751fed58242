import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { learnerEventsCsv, reportEdxToFolder } from '../../src/cli/report-edx.js';
import { reportOptions } from '../../src/reports/edx/reports.js';
import { loadConfig } from '../../src/config/index.js';
import { edxItems, edxTranslateOptions } from '../../src/pipelines/edx.js';
import { fromValue } from '../../src/ingest/edx/tracking-log.js';
import { LrsClient } from '../../src/lrs/client.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Flusher } from '../../src/lrs/flusher.js';
import { runImport } from '../../src/lrs/import-run.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { EmbeddedStatementQuery } from '../../src/lrs/server/statement-reader.js';
import { runEdxReports } from '../../src/reports/edx/run-reports.js';
import { edxCourseScope } from '../../src/reports/edx/scope.js';
import { pseudonym } from '../../src/xapi/ids.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { COURSE, LMS, playVideo, problemCheck, SECRET } from '../support/edx-events.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';

/** The report options of the default settings (the old toolkit's survey rule). */
const OPTIONS = reportOptions(loadConfig({}));

const silent = pino({ level: 'silent' });
const A = pseudonym(SECRET, '1');
const B = pseudonym(SECRET, '2');
const VIDEO = `${LMS}xblock/block-v1:OrgX+CS101+2026+type@video+block@0b9e39477cf34507a7a48f74be381fdd`;
const Q1 = `${LMS}xblock/block-v1:OrgX+CS101+2026+type@problem+block@q1`;

const at = (time: string) => ({ time: `2026-03-02T${time}.000000+00:00` });
const video = (user: number, type: string, time: string, data: Record<string, unknown>) =>
  playVideo(user, 0, { event_type: type, name: type, ...at(time), event: JSON.stringify({ id: '0b9e39477cf34507a7a48f74be381fdd', code: 'html5', ...data }) });
const page = (user: number, kind: string, time: string) =>
  playVideo(user, 0, { event_type: `/courses/${COURSE}/${kind}`, name: undefined, event_source: 'server', ...at(time), event: '{"POST": {}, "GET": {}}' });
const forum = (user: number, type: string, time: string, data: Record<string, unknown>) =>
  ({ username: `u${user}`, event_source: 'server', event_type: type, ...at(time), event: data, context: { course_id: COURSE, user_id: user } });

const survey = (user: number, name: string, title: string, time: string, answers: Record<string, unknown>) =>
  problemCheck(user, 1, {
    ...at(time),
    event: { problem_id: `block-v1:OrgX+CS101+2026+type@problem+block@${name}`, grade: 1, max_grade: 1, success: 'correct', attempts: 1, answers },
    context: { course_id: COURSE, user_id: user, module: { display_name: title, usage_key: `block-v1:OrgX+CS101+2026+type@problem+block@${name}` } },
  });

const book = (user: number, type: string, time: string, data: Record<string, unknown>) =>
  playVideo(user, 0, { event_type: type, name: type, ...at(time), event: JSON.stringify({ chapter: '/asset-v1:OrgX+CS101+2026+type@asset+block/book.pdf', name: type, ...data }) });

/** The course of the test: worked out by hand below. */
const EVENTS = [
  video(1, 'play_video', '09:00:00', { currentTime: 3 }),
  video(1, 'pause_video', '09:00:10', { currentTime: 12 }),
  video(1, 'seek_video', '09:00:20', { old_time: 12, new_time: 31 }),
  video(1, 'play_video', '09:00:30', { currentTime: 31 }),
  video(2, 'play_video', '09:01:00', { currentTime: 0 }),
  problemCheck(1, 1, at('09:02:00')),
  problemCheck(1, 2, { ...at('09:03:00'), event: { ...(problemCheck(1, 2).event as object), attempts: 2 } }),
  problemCheck(2, 0, at('09:04:00')),
  forum(1, 'edx.forum.thread.created', '09:05:00', { id: 't1', commentable_id: 'week1' }),
  forum(2, 'edx.forum.response.created', '09:06:00', { id: 'r1', discussion: { id: 't1' }, commentable_id: 'week1' }),
  forum(1, 'edx.forum.comment.created', '09:07:00', { id: 'c1', discussion: { id: 't1' }, response: { id: 'r1' }, commentable_id: 'week1' }),
  page(1, 'progress', '09:08:00'),
  page(1, 'info', '09:09:00'),
  page(2, 'progress', '09:10:00'),
  forum(1, 'edx.course.enrollment.activated', '08:00:00', { course_id: COURSE, user_id: 1, mode: 'audit' }),
  forum(1, 'edx.course.grade.passed.first_time', '09:11:00', { course_id: COURSE, user_id: 1 }),
  book(1, 'textbook.pdf.page.navigated', '09:11:30', { page: 3 }),
  book(1, 'textbook.pdf.search.executed', '09:11:40', { query: 'loops' }),
  book(2, 'textbook.pdf.zoom.buttons.changed', '09:11:50', { amount: '1.25' }),
  survey(1, 'pre1', 'Pre-course survey', '09:12:00', { s_2_1: 'choice_1', s_3_1: ['a', 'b'] }),
  survey(1, 'pre1', 'Pre-course survey', '09:13:00', { s_2_1: 'choice_2', s_3_1: ['c'] }),
  survey(2, 'post1', 'Post-course survey', '09:14:00', { s_2_1: 'choice_3' }),
];

describe.each(DATABASE_KINDS)('edX course reports on %s', (kind) => {
  let t: TestDatabase;
  let app: RunningLrs;
  let dir: string;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    app = await startEmbeddedLrs(t.database);
    dir = await mkdtemp(join(tmpdir(), 'xgw-reports-'));
    await store(EVENTS);
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Imports `events` and delivers them to the embedded LRS, which stores them in one go. */
  const store = async (events: Record<string, unknown>[]) => {
    const outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    const opts = edxTranslateOptions(loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS }), SECRET);
    const records = (async function* () {
      for (const [i, e] of events.entries()) yield fromValue(`event ${i}`, e, JSON.stringify(e));
    })();
    const { summary } = await runImport(edxItems(records, opts), { database: t.database, outbox, source: 'edx', input: 'test' });
    expect(summary.rejected).toBe(0);
    const client = new LrsClient({ endpoint: app.endpoint, ...LRS_USER, timeoutMs: 10_000 });
    expect((await new Flusher({ outbox, client, stats: new DeliveryStats(), logger: silent, batchSize: 100, leaseSeconds: 30 }).flushUntilIdle()).sent).toBe(events.length);
  };

  const reports = async () => {
    const { tables, statements } = await runEdxReports(new EmbeddedStatementQuery(t.database), edxCourseScope(LMS, 'eco.example.org', COURSE), OPTIONS);
    expect(statements).toBe(EVENTS.length);
    return Object.fromEntries(tables.map((tb) => [tb.name, tb.rows]));
  };

  it('counts video actions per learner, per learner and video, and per 5-second segment', async () => {
    const r = await reports();
    const [first, second] = [A, B].sort();
    const row = (learner: string, counts: number[]) => [learner, ...counts];
    // initialized, played, paused, seeked, completed, terminated, interacted
    const byLearner = { [A]: [0, 2, 1, 1, 0, 0, 0], [B]: [0, 1, 0, 0, 0, 0, 0] };
    expect(r.video_activity).toEqual([row(first!, byLearner[first!]!), row(second!, byLearner[second!]!)]);
    expect(r.video_activity_by_video).toEqual([[first!, VIDEO, ...byLearner[first!]!], [second!, VIDEO, ...byLearner[second!]!]]);
    expect(r.video_heatmap).toEqual([
      [VIDEO, 0, 2, 0, 0, 0],
      [VIDEO, 10, 0, 1, 1, 0],
      [VIDEO, 30, 1, 0, 0, 1],
    ]);
  });

  it('gives problem activity per learner and the detail of each learner\'s problems', async () => {
    const r = await reports();
    expect(r.problem_detail!.filter((row) => row[1] === Q1)).toEqual(
      [
        [A, Q1, 2, true, 2, 2, '2026-03-02T09:03:00.000000Z'],
        [B, Q1, 1, false, 0, 2, '2026-03-02T09:04:00.000000Z'],
      ].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)),
    );
    // Learner 1 also answered the pre survey twice (1 problem, correct); learner 2 the post survey once.
    expect(r.problem_activity).toEqual([[A, 4, 2, 2, 0], [B, 2, 2, 1, 0]].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)));
  });

  it('lists forum activity and every post with its thread and the post it answers', async () => {
    const r = await reports();
    const post = (id: string) => `${LMS}courses/${COURSE}/discussion/post/${id}`;
    expect(r.forum_posts).toEqual([
      [post('t1'), A, post('t1'), null, '2026-03-02T09:05:00.000000Z'],
      [post('r1'), B, post('t1'), post('t1'), '2026-03-02T09:06:00.000000Z'],
      [post('c1'), A, post('t1'), post('r1'), '2026-03-02T09:07:00.000000Z'],
    ]);
    expect(r.forum_activity).toEqual([[A, 1, 1, 0, 0], [B, 0, 1, 0, 0]].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)));
  });

  it('counts textbook pages, searches and other interactions per learner', async () => {
    const r = await reports();
    // pages_viewed, searches, interactions
    expect(r.textbook_activity).toEqual([[A, 1, 1, 0], [B, 0, 0, 1]].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)));
  });

  it('prints one learner\'s statements of the course, oldest first by when the learner acted', async () => {
    // Stored after the others, but done before them: a late batch of the day's log.
    await store([video(2, 'pause_video', '08:59:00', { currentTime: 5 })]);
    const chunks: string[] = [];
    const out = new Writable({ write: (chunk: Buffer, _enc, done) => (chunks.push(chunk.toString()), done()) });
    const n = await learnerEventsCsv(new EmbeddedStatementQuery(t.database), edxCourseScope(LMS, 'eco.example.org', COURSE), B, LMS.replace(/\/$/, ''), out);
    const lines = chunks.join('').trim().split('\r\n');
    // Learner 2: the late pause, a play, an answer, a reply, a progress page, a zoom, the post survey.
    expect(n).toBe(7);
    expect(lines[0]).toBe('timestamp,verb,object,result');
    expect(lines[1]).toMatch(/^2026-03-02T08:59:00.000000Z,https:\/\/w3id.org\/xapi\/video\/verbs\/paused,/);
    expect(lines[2]).toMatch(/^2026-03-02T09:01:00.000000Z,https:\/\/w3id.org\/xapi\/video\/verbs\/played,/);
    const times = lines.slice(1).map((line) => line.split(',')[0]!);
    expect(times).toEqual([...times].sort());
    expect(lines.at(-1)).toMatch(/^2026-03-02T09:14:00.000000Z,http:\/\/adlnet.gov\/expapi\/verbs\/answered,/);
  });

  it('counts page visits per learner and day, and sums up the course per day', async () => {
    const r = await reports();
    expect(r.page_activity).toEqual([[A, '2026-03-02', 1, 1, 0, 0], [B, '2026-03-02', 1, 0, 0, 0]].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)));
    // enrolled, active, completed, certified
    expect(r.summary).toEqual([
      ['2026-03-02', 1, 2, 0, 1],
      ['total', 1, 2, 0, 1],
    ]);
  });

  it('serves a report as paged JSON to the admin token only', async () => {
    const token = 'reports-admin-token-0123456789';
    const api = await startEmbeddedLrs(t.database, {
      adminToken: token,
      reports: { statements: new EmbeddedStatementQuery(t.database), edxLmsUrl: LMS, repositoryId: 'eco.example.org', options: OPTIONS },
    });
    try {
      const url = `${api.origin}/reports/edx/problem_detail?course=${encodeURIComponent(COURSE)}&limit=1`;
      expect((await fetch(url)).status).toBe(401);
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { columns: string[]; rows: unknown[][]; total: number; next?: string };
      expect(body.columns).toEqual(['learner', 'problem', 'attempts', 'success', 'grade', 'max_grade', 'time']);
      expect(body.total).toBe(4);
      expect(body.rows).toHaveLength(1);
      expect(body.next).toBe('offset=1&limit=1');
      const nope = await fetch(`${api.origin}/reports/edx/nothing?course=${encodeURIComponent(COURSE)}`, { headers: { authorization: `Bearer ${token}` } });
      expect(nope.status).toBe(404);
    } finally {
      await api.close();
    }
  });

  it('reads the course id as typed (+ or %2B, either id form), and answers 404 naming an unknown course', async () => {
    const token = 'reports-admin-token-0123456789';
    const api = await startEmbeddedLrs(t.database, {
      adminToken: token,
      reports: { statements: new EmbeddedStatementQuery(t.database), edxLmsUrl: LMS, repositoryId: 'eco.example.org', options: OPTIONS },
    });
    const get = async (query: string) => {
      const res = await fetch(`${api.origin}/reports/edx/problem_detail?${query}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as { total?: number; rows?: unknown[][]; detail?: string } };
    };
    try {
      const escaped = await get(`course=${encodeURIComponent(COURSE)}`);
      expect(escaped.body.total).toBe(4);
      // Typed in a shell or a browser's address bar: the + signs stay + signs.
      for (const typed of ['course=course-v1:OrgX+CS101+2026', 'course=course-v1%3AOrgX+CS101%2B2026', 'course=OrgX/CS101/2026']) {
        expect(await get(typed), typed).toEqual({ status: 200, body: escaped.body });
      }
      // A known course with nothing in the span is an empty report, not an unknown course.
      expect(await get('course=course-v1:OrgX+CS101+2026&from=2030-01-01')).toMatchObject({ status: 200, body: { total: 0 } });
      for (const unknown of ['course-v1:OrgX+CS999+2026', 'ccx-v1:OrgX+CS101+2026+ccx@3']) {
        const res = await get(`course=${unknown}`);
        expect(res.status, unknown).toBe(404);
        expect(res.body.detail).toBe(`no statements of edX course ${unknown}`);
      }
      for (const bad of ['course=CS101', 'course=course-v1:OrgX CS101 2026', 'course=%E0%A4%A', `course=${encodeURIComponent(COURSE)}&course=x`, 'limit=1']) {
        const res = await get(bad);
        expect(res.status, bad).toBe(400);
        expect(res.body.detail, bad).toMatch(/^course: /);
      }
    } finally {
      await api.close();
    }
  });

  it('gives the last answers to the pre- and post-course surveys, one column per question part', async () => {
    const { tables } = await runEdxReports(new EmbeddedStatementQuery(t.database), edxCourseScope(LMS, 'eco.example.org', COURSE), OPTIONS, ['survey_answers']);
    // The first pre-survey answer picked two options in part 2: still one column, values joined by a comma.
    expect(tables[0]!.columns.map((c) => c.name)).toEqual(['learner', 'survey', 'time', 'post1_1', 'pre1_1', 'pre1_2']);
    expect(tables[0]!.rows).toEqual(
      [
        [A, 'pre', '2026-03-02T09:13:00.000000Z', null, 'choice_2', 'c'],
        [B, 'post', '2026-03-02T09:14:00.000000Z', 'choice_3', null, null],
      ].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)),
    );
  });

  it('names blocks and orders rows as the imported course structure does', async () => {
    const structure = [
      { blockId: 'block-v1:OrgX+CS101+2026+type@problem+block@post1', name: 'Post-course survey' },
      { blockId: 'block-v1:OrgX+CS101+2026+type@problem+block@q1', name: 'Loops quiz' },
      { blockId: 'block-v1:OrgX+CS101+2026+type@problem+block@pre1', name: 'Pre-course survey' },
    ];
    const { tables } = await runEdxReports(new EmbeddedStatementQuery(t.database), edxCourseScope(LMS, 'eco.example.org', COURSE), { ...OPTIONS, structure }, ['problem_detail']);
    expect(tables[0]!.columns.map((c) => c.name).slice(0, 3)).toEqual(['learner', 'problem', 'problem_name']);
    // Per learner, problems in course order: A answered q1 and pre1; B answered q1 and post1.
    expect(tables[0]!.rows.map((row) => [row[0], row[2]])).toEqual(
      A < B
        ? [[A, 'Loops quiz'], [A, 'Pre-course survey'], [B, 'Post-course survey'], [B, 'Loops quiz']]
        : [[B, 'Post-course survey'], [B, 'Loops quiz'], [A, 'Loops quiz'], [A, 'Pre-course survey']],
    );
  });

  it('takes the survey patterns from the settings', async () => {
    const swapped = reportOptions(loadConfig({ EDX_SURVEY_PRE_PATTERN: '^post-course', EDX_SURVEY_POST_PATTERN: '^pre-course' }));
    const { tables } = await runEdxReports(new EmbeddedStatementQuery(t.database), edxCourseScope(LMS, 'eco.example.org', COURSE), swapped, ['survey_answers']);
    expect(tables[0]!.rows.map((row) => [row[0], row[1]])).toEqual([[A, 'post'], [B, 'pre']].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)));
    expect(() => loadConfig({ EDX_SURVEY_PRE_PATTERN: '(' })).toThrow(/EDX_SURVEY_PRE_PATTERN: expected a regular expression/);
  });

  it('writes one CSV per report with a header row, and a README describing every column', async () => {
    const query = new EmbeddedStatementQuery(t.database);
    const { files, statements } = await reportEdxToFolder(query, edxCourseScope(LMS, 'eco.example.org', COURSE), OPTIONS, 'all', dir);
    expect(statements).toBe(EVENTS.length);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toContain('video_heatmap.csv');
    const heatmap = await readFile(join(dir, 'video_heatmap.csv'), 'utf8');
    expect(heatmap.split('\r\n')[0]).toBe('video,segment_start,plays,pauses,seeks_from,seeks_to');
    expect(heatmap.split('\r\n')[1]).toBe(`${VIDEO},0,2,0,0,0`);
    const readme = await readFile(join(dir, 'README.txt'), 'utf8');
    expect(readme).toContain('segment_start: first second of the segment');
    expect(readme).toContain('problem_detail.csv');
  });
});
