import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isRejection, normalizeEdxEvent, type EdxEvent } from '../../../src/ingest/edx/event.js';
import { EDX_RULES, translateEdxEvent } from '../../../src/translators/edx.js';
import { EdxIris } from '../../../src/translators/edx/ids.js';
import type { Statement } from '../../../src/xapi/types.js';
import { FIXTURE_ROOT, OPTIONS, fixtureEvents, translateRaw, type RawEvent } from './fixtures.js';

const FAMILIES = ['enrollment', 'grades', 'problems', 'video', 'navigation', 'pages', 'forum', 'textbook', 'exams', 'ora', 'drag-and-drop', 'bookmarks', 'polls'];

type Stmt = Statement & { id: string };

function event(raw: unknown): EdxEvent {
  const e = normalizeEdxEvent(raw);
  if (isRejection(e)) throw new Error(`event does not normalize: ${JSON.stringify(e)}`);
  return e;
}

/** The statements of a translation, failing when there are none. */
function statementsOf(t: unknown): Stmt[] {
  expect(t).toHaveProperty('statements');
  return (t as { statements: Stmt[] }).statements;
}

const objectId = (s: Stmt) => (s.object as { id: string }).id;
const parentIds = (s: Stmt) => (s.context?.contextActivities?.parent ?? []).map((p) => p.id);

async function fixture(family: string, name: string): Promise<RawEvent> {
  const raw = (await fixtureEvents(family)).get(name);
  if (raw === undefined) throw new Error(`no fixture ${family}/${name}`);
  return raw;
}

/** A tracking-log line as edX writes it, with every personal field set; `over` replaces members. */
function logLine(over: RawEvent): RawEvent {
  return {
    username: 'ada_lovelace',
    event_source: 'server',
    time: '2026-03-04T16:40:09.918273+00:00',
    ip: '198.51.100.23',
    agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
    host: 'courses.orgx-learning.example',
    referer: 'https://courses.orgx-learning.example/courses/course-v1:OrgX+CS101+2014/courseware/loops/while_loops/?utm_source=newsletter-7731',
    accept_language: 'fr-CH,fr;q=0.9,en;q=0.6',
    session: 'b1946ac92492d2347c6235b4d2611184',
    context: { course_id: 'course-v1:OrgX+CS101+2014', org_id: 'OrgX', user_id: 42, path: '/event' },
    ...over,
  };
}

/** A server `problem_check` of `problem` in `course`. */
const problemCheck = (course: string, problem: string) =>
  logLine({
    event_type: 'problem_check',
    event: { problem_id: problem, answers: { q1_2_1: 'choice_1' }, grade: 1, max_grade: 1, success: 'correct', attempts: 1, state: {} },
    context: { course_id: course, org_id: 'OrgX', user_id: 42, path: '/event' },
  });

describe('the edX translator', () => {
  it('has a fixture for every event type of its rule table', async () => {
    const covered = new Set<string>();
    for (const family of FAMILIES) {
      for (const raw of (await fixtureEvents(family)).values()) {
        const type = raw.event_type ?? raw.name;
        if (typeof type === 'string') covered.add(type);
      }
    }
    expect(Object.keys(EDX_RULES).filter((type) => !covered.has(type))).toEqual([]);
    // `corpus/` is the coverage yardstick (coverage.test.ts), not a family of golden fixtures.
    const folders = (await readdir(FIXTURE_ROOT, { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== 'corpus').map((d) => d.name);
    expect(folders.sort()).toEqual([...FAMILIES].sort());
  });

  it('gives the same statement, id included, for the same event every time', async () => {
    for (const [family, name] of [['problems', 'problem_check'], ['video', 'play_video'], ['pages', 'courseware']] as const) {
      const raw = await fixture(family, name);
      const first = statementsOf(translateRaw(raw));
      const second = statementsOf(translateRaw(structuredClone(raw)));
      expect(second.map((s) => s.id)).toEqual(first.map((s) => s.id));
      expect(second).toEqual(first);
    }
  });

  it('gives the same statement for the tracking-log shape and the native shape of one event', async () => {
    let pairs = 0;
    for (const family of FAMILIES) {
      const events = await fixtureEvents(family);
      for (const [name, native] of events) {
        if (!name.endsWith('.native')) continue;
        const log = events.get(name.slice(0, -'.native'.length));
        expect(log, `${family}/${name} has no tracking-log twin`).toBeDefined();
        expect(native.event_type).toBeUndefined();
        expect(native.data).toBeDefined();
        expect(statementsOf(translateRaw(native)), `${family}/${name}`).toEqual(statementsOf(translateRaw(log)));
        pairs += 1;
      }
    }
    expect(pairs).toBeGreaterThanOrEqual(3);
  });

  it('names one activity for the old and the new form of a course and a block', () => {
    const [old] = statementsOf(translateRaw(problemCheck('OrgX/CS101/2014', 'i4x://OrgX/CS101/problem/q1')));
    const [modern] = statementsOf(translateRaw(problemCheck('course-v1:OrgX+CS101+2014', 'block-v1:OrgX+CS101+2014+type@problem+block@q1')));
    expect(objectId(old!)).toBe('https://lms.example.org/xblock/block-v1:OrgX+CS101+2014+type@problem+block@q1');
    expect(objectId(modern!)).toBe(objectId(old!));
    expect(parentIds(old!)).toEqual(['https://lms.example.org/courses/course-v1:OrgX+CS101+2014']);
    expect(parentIds(modern!)).toEqual(parentIds(old!));
  });

  it('names one video for a legacy i4x-... video id and a bare block name', () => {
    const play = (course: string, id: string) =>
      logLine({ event_source: 'browser', event_type: 'play_video', event: JSON.stringify({ id, currentTime: 12.5, code: 'html5' }), context: { course_id: course, user_id: 42 } });
    const [legacy] = statementsOf(translateRaw(play('OrgX/CS101/2014', 'i4x-OrgX-CS101-video-abc123')));
    const [bare] = statementsOf(translateRaw(play('course-v1:OrgX+CS101+2014', 'abc123')));
    expect(objectId(legacy!)).toBe('https://lms.example.org/xblock/block-v1:OrgX+CS101+2014+type@video+block@abc123');
    expect(objectId(bare!)).toBe(objectId(legacy!));
  });

  it('names the course by its OAI identifier when asked, as ECO does', () => {
    const opts = { ...OPTIONS, iris: new EdxIris('https://lms.example.org/', { kind: 'oai', repositoryId: 'eco.example.org' }) };
    for (const course of ['OrgX/CS101/2014', 'course-v1:OrgX+CS101+2014']) {
      const [s] = statementsOf(translateRaw(problemCheck(course, 'i4x://OrgX/CS101/problem/q1'), opts));
      expect(parentIds(s!)).toEqual(['oai:eco.example.org:course-v1:OrgX+CS101+2014']);
      // Blocks keep their LMS IRI: only the course is named by OAI.
      expect(objectId(s!)).toBe('https://lms.example.org/xblock/block-v1:OrgX+CS101+2014+type@problem+block@q1');
    }
  });

  it('puts no username, IP, user agent, host, referer, language or email of the input in a statement', () => {
    const personal = ['ada_lovelace', '198.51.100.23', 'Firefox/123.0', 'courses.orgx-learning.example', 'newsletter-7731', 'fr-CH', 'ada.lovelace@example.org'];
    const events = [
      problemCheck('course-v1:OrgX+CS101+2014', 'block-v1:OrgX+CS101+2014+type@problem+block@q1'),
      logLine({ event_source: 'browser', event_type: 'play_video', page: 'https://lms.example.org/courses/course-v1:OrgX+CS101+2014/courseware/loops/while_loops/', event: JSON.stringify({ id: 'abc123', currentTime: 3, code: 'html5' }) }),
      logLine({ event_type: 'edx.course.enrollment.activated', event: { course_id: 'course-v1:OrgX+CS101+2014', user_id: 42, mode: 'verified' } }),
      logLine({
        event_type: 'edx.forum.thread.created',
        event: { id: '65f0c2a1b3', commentable_id: 'course', title: 'Stuck on loops', body: 'Mail me at ada.lovelace@example.org', anonymous: false, url: 'https://courses.orgx-learning.example/courses/course-v1:OrgX+CS101+2014/discussion/forum/course/threads/65f0c2a1b3' },
      }),
      logLine({ event_type: '/courses/course-v1:OrgX+CS101+2014/courseware/loops/while_loops/', event: JSON.stringify({ POST: {}, GET: { email: ['ada.lovelace@example.org'] } }) }),
    ];
    for (const raw of events) {
      const statements = statementsOf(translateRaw(raw));
      expect(statements).toHaveLength(1);
      const json = JSON.stringify(statements);
      for (const value of personal) expect(json, `${String(raw.event_type)} leaks ${value}`).not.toContain(value);
    }
  });

  it('puts no personal field of any fixture in its statements', async () => {
    const personal = ['ada_lovelace', 'staff_grace', '"grace"', 'ada@example.org', '203.0.113.42', '198.51.100.7', 'Mozilla', 'en-GB', 'My name is Ada', 'Recursion is when my name', 'Well argued', 'Thanks!'];
    for (const family of FAMILIES) {
      for (const [name, raw] of await fixtureEvents(family)) {
        const json = JSON.stringify(translateRaw(raw));
        for (const value of personal) expect(json, `${family}/${name} leaks ${value}`).not.toContain(value);
      }
    }
  });

  it('ignores an event without any user as having no learner', async () => {
    const raw = await fixture('video', 'play_video');
    const { username: _username, ...withoutUsername } = raw;
    expect(translateRaw({ ...withoutUsername, context: { ...(raw.context as object), user_id: null } })).toEqual({ ignored: 'no learner' });
    expect(translateRaw({ ...raw, username: '', context: { ...(raw.context as object), user_id: '' } })).toEqual({ ignored: 'no learner' });
  });

  it('ignores a course that is not selected', async () => {
    const raw = await fixture('video', 'play_video');
    expect(translateEdxEvent(event(raw), { ...OPTIONS, courseIds: new Set(['course-v1:OrgX+OTHER+2026']) })).toEqual({ ignored: 'course not selected' });
    // Selection is by the new form, whatever form the event used.
    const old = problemCheck('OrgX/CS101/2014', 'i4x://OrgX/CS101/problem/q1');
    expect(translateEdxEvent(event(old), { ...OPTIONS, courseIds: new Set(['course-v1:OrgX+CS101+2014']) })).toHaveProperty('statements');
  });

  it('selects a CCX by its own id or by its master course, and by no other course', async () => {
    const ccx = event(await fixture('video', 'play_video.ccx'));
    const only = (...ids: string[]) => ({ ...OPTIONS, courseIds: new Set(ids) });
    expect(translateEdxEvent(ccx, only('ccx-v1:OrgX+CS101+2017_T2+ccx@7'))).toHaveProperty('statements');
    expect(translateEdxEvent(ccx, only('course-v1:OrgX+CS101+2017_T2'))).toHaveProperty('statements');
    expect(translateEdxEvent(ccx, only('ccx-v1:OrgX+CS101+2017_T2+ccx@8'))).toEqual({ ignored: 'course not selected' });
    // The master course alone is not one of its CCXs.
    const master = event(await fixture('video', 'play_video'));
    expect(translateEdxEvent(master, only('ccx-v1:OrgX+CS101+2026+ccx@1'))).toEqual({ ignored: 'course not selected' });
  });

  it('keeps a CCX as its own course run, grouped under its master course', async () => {
    const [s] = statementsOf(translateRaw(await fixture('navigation', 'seq_goto.ccx')));
    expect(parentIds(s!)).toEqual(['https://lms.example.org/courses/ccx-v1:OrgX+CS101+2017_T2+ccx@7']);
    expect(s!.context?.contextActivities?.grouping?.map((g) => g.id)).toEqual(['https://lms.example.org/courses/course-v1:OrgX+CS101+2017_T2']);
    expect(objectId(s!)).toBe('https://lms.example.org/xblock/ccx-block-v1:OrgX+CS101+2017_T2+ccx@7+type@sequential+block@0f8e7d6c5b4a39281716151413121110');
  });

  it('ignores an event type it has no rule for as not learning activity', async () => {
    const raw = await fixture('video', 'play_video');
    for (const type of ['edx.bi.user.account.updated', 'edx.user.settings.changed', 'play_video_extra']) {
      expect(translateRaw({ ...raw, event_type: type, name: type })).toEqual({ ignored: 'not learning activity' });
    }
  });

  it('rejects a bad value of a field the rule needs, naming the field', async () => {
    const video = await fixture('video', 'play_video');
    expect(translateRaw({ ...video, event: JSON.stringify({ id: '0b9e39477cf34507a7a48f74be381fdd', currentTime: 'abc', code: 'html5' }) })).toEqual({
      rejection: { code: 'bad_value', field: 'event.currentTime', detail: 'must be a number' },
    });
    expect(translateRaw({ ...video, event: JSON.stringify({ id: 'v1/../x', currentTime: 1 }) })).toEqual({
      rejection: { code: 'bad_value', field: 'event.id', detail: 'is not an edX block id' },
    });
  });

  it('rejects a missing field the rule needs, naming the field', async () => {
    const subsection = await fixture('grades', 'edx.grades.subsection.grade_calculated');
    const { block_id: _block, ...withoutBlock } = subsection.event as RawEvent;
    expect(translateRaw({ ...subsection, event: withoutBlock })).toEqual({ rejection: { code: 'missing_field', field: 'event.block_id', detail: '' } });
    const seq = await fixture('navigation', 'seq_goto');
    expect(translateRaw({ ...seq, event: JSON.stringify({ old: 1, new: 2 }) })).toEqual({ rejection: { code: 'missing_field', field: 'event.id', detail: '' } });
  });

  it('rejects a bad or missing course id, naming context.course_id', async () => {
    const video = await fixture('video', 'play_video');
    expect(translateRaw({ ...video, context: { user_id: 42, course_id: 'not a course' } })).toEqual({
      rejection: { code: 'bad_value', field: 'context.course_id', detail: 'is not an edX course id' },
    });
    const { context: _context, page: _page, ...withoutContext } = video;
    expect(translateRaw(withoutContext)).toEqual({ rejection: { code: 'missing_field', field: 'context.course_id', detail: '' } });
  });

  it('ignores what Studio and the preview LMS log, by host or the cms source, and nothing of the LMS itself', async () => {
    const video = await fixture('video', 'play_video');
    expect(translateRaw({ ...video, event_source: 'cms' })).toEqual({ ignored: 'Studio (course authoring)' });
    expect(translateRaw({ ...video, host: 'studio.lms.example.org' })).toEqual({ ignored: 'Studio (course authoring)' });
    expect(translateRaw({ ...video, host: 'preview.lms.example.org' })).toEqual({ ignored: 'preview LMS (staff preview)' });
    for (const host of ['lms.example.org', 'localhost', 'studiox.example.org', 'courses.preview-edx.org']) expect(translateRaw({ ...video, host })).toHaveProperty('statements');
  });

  it('takes the course from the page URL where the event has no context, as 2013 browser events', async () => {
    const { context: _context, ...withoutContext } = await fixture('video', 'play_video');
    const t = translateRaw({ ...withoutContext, username: 'learner42', page: 'https://lms.example.org/courses/MITx/6.00x/2013_Spring/courseware/Week_1/Lecture_1/' });
    expect(t).toMatchObject({ statements: [{ context: { contextActivities: { parent: [{ id: 'https://lms.example.org/courses/course-v1:MITx+6.00x+2013_Spring' }] } } }] });
  });

  it('rejects what is not an event: not an object, no type, no time or a bad time', () => {
    expect(translateRaw([1, 2])).toEqual({ rejection: { code: 'bad_value', field: '(event)', detail: 'an event must be a JSON object' } });
    expect(translateRaw({ time: '2026-03-02T09:00:00Z' })).toMatchObject({ rejection: { code: 'missing_field', field: 'event_type' } });
    expect(translateRaw({ event_type: 'play_video' })).toMatchObject({ rejection: { code: 'missing_field', field: 'time' } });
    expect(translateRaw({ event_type: 'play_video', time: 'yesterday' })).toMatchObject({ rejection: { code: 'bad_value', field: 'time' } });
  });

  it('reads every time zone offset to one UTC instant, so both shapes give one id', () => {
    const at = (time: string) => event({ event_type: 'x', time }).time;
    expect(at('2026-03-02T10:15:22.123456+01:00')).toBe('2026-03-02T09:15:22.123456Z');
    expect(at('2026-03-02T09:15:22.1234+00:00')).toBe('2026-03-02T09:15:22.123400Z');
    expect(at('2026-03-02 09:15:22')).toBe('2026-03-02T09:15:22.000000Z');
  });
});
