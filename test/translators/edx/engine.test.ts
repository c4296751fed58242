import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isRejection, normalizeEdxEvent, type EdxEvent } from '../../../src/ingest/edx/event.js';
import { EDX_RULES, translateEdxEvent } from '../../../src/translators/edx.js';
import { EdxIris } from '../../../src/translators/edx/ids.js';
import { FIXTURE_OPTIONS, fixtureEvents, translateFixture } from './fixtures.js';

const FAMILIES = ['enrollment', 'grades', 'problems', 'video', 'navigation', 'pages', 'forum', 'textbook', 'exams', 'ora'];

function event(raw: unknown): EdxEvent {
  const e = normalizeEdxEvent(raw);
  if (isRejection(e)) throw new Error(`fixture does not normalize: ${JSON.stringify(e)}`);
  return e;
}

async function fixture(family: string, name: string): Promise<Record<string, unknown>> {
  return (await fixtureEvents(family)).get(name) as Record<string, unknown>;
}

const statementsOf = (t: unknown) => (t as { statements: Record<string, unknown>[] }).statements;

describe('the edX translator', () => {
  it('has a fixture for every event type of its rule table', async () => {
    const covered = new Set<string>();
    for (const family of FAMILIES) {
      for (const raw of (await fixtureEvents(family)).values()) {
        const r = raw as { event_type?: string; name?: string };
        covered.add(r.event_type ?? r.name!);
      }
    }
    expect(Object.keys(EDX_RULES).filter((type) => !covered.has(type))).toEqual([]);
    expect((await readdir(new URL('../../fixtures/edx/', import.meta.url))).sort()).toEqual([...FAMILIES].sort());
  });

  it('gives the same statement, id included, for the same event every time', async () => {
    const raw = await fixture('problems', 'problem_check');
    expect(translateFixture(raw)).toEqual(translateFixture(structuredClone(raw)));
  });

  it('gives the same statement for the tracking-log shape and the native shape of one event', async () => {
    for (const [family, name] of [['video', 'play_video'], ['enrollment', 'edx.course.enrollment.activated']] as const) {
      const log = statementsOf(translateFixture(await fixture(family, name)));
      const native = statementsOf(translateFixture(await fixture(family, `${name}.native`)));
      expect(native).toEqual(log);
    }
  });

  it('names one activity for the old and the new form of a course and a block', async () => {
    const oldForm = statementsOf(translateFixture(await fixture('problems', 'problem_check.old-ids')))[0]!;
    const newForm = statementsOf(translateFixture({ ...(await fixture('problems', 'problem_check.old-ids')), context: { course_id: 'course-v1:OrgX+CS101+2014', user_id: 42 }, event: { problem_id: 'block-v1:OrgX+CS101+2014+type@problem+block@q1', grade: 2, max_grade: 2 } }))[0]!;
    expect((oldForm.object as { id: string }).id).toBe('https://lms.example.org/xblock/block-v1:OrgX+CS101+2014+type@problem+block@q1');
    expect((newForm.object as { id: string }).id).toBe((oldForm.object as { id: string }).id);
  });

  it('puts no username, email, IP, user agent, host, referer or learner text in a statement', async () => {
    for (const family of FAMILIES) {
      for (const [name, raw] of await fixtureEvents(family)) {
        const json = JSON.stringify(translateFixture(raw));
        for (const secret of ['ada_lovelace', 'ada@example.org', '203.0.113.42', 'Mozilla', 'en-GB', 'My name is Ada', 'Recursion is when my name']) {
          expect(json, `${family}/${name}`).not.toContain(secret);
        }
      }
    }
  });

  it('names the course by its OAI identifier when asked, as ECO does', async () => {
    const opts = { ...FIXTURE_OPTIONS, iris: new EdxIris('https://lms.example.org/', { kind: 'oai', repositoryId: 'eco.example.org' }) };
    const [s] = statementsOf(translateEdxEvent(event(await fixture('video', 'play_video')), opts));
    expect(s!.context).toMatchObject({ contextActivities: { parent: [{ id: 'oai:eco.example.org:course-v1:OrgX+CS101+2026' }] } });
  });

  it('ignores an event without a learner, an unknown event type and a course not selected', async () => {
    const raw = await fixture('video', 'play_video');
    const anonymous = { ...raw, username: '', context: { ...(raw.context as object), user_id: null } };
    expect(translateFixture(anonymous)).toEqual({ ignored: 'no learner' });
    expect(translateFixture({ ...raw, event_type: 'edx.bi.user.account.updated', name: undefined })).toEqual({ ignored: 'not learning activity' });
    const selected = { ...FIXTURE_OPTIONS, courseIds: new Set(['course-v1:OrgX+OTHER+2026']) };
    expect(translateEdxEvent(event(raw), selected)).toEqual({ ignored: 'course not selected' });
  });

  it('rejects an event whose field is bad or missing, naming the field', async () => {
    const video = await fixture('video', 'play_video');
    expect(translateFixture({ ...video, event: JSON.stringify({ id: 'v1', currentTime: 'abc' }) })).toEqual({
      rejection: { code: 'bad_value', field: 'event.currentTime', detail: 'must be a number' },
    });
    const check = await fixture('problems', 'problem_check');
    const { grade: _grade, ...withoutGrade } = check.event as Record<string, unknown>;
    expect(translateFixture({ ...check, event: withoutGrade })).toEqual({ rejection: { code: 'missing_field', field: 'event.grade', detail: '' } });
    expect(translateFixture({ ...video, context: { user_id: 42, course_id: 'not a course' } })).toEqual({
      rejection: { code: 'bad_value', field: 'context.course_id', detail: 'is not an edX course id' },
    });
    expect(translateFixture({ ...video, event: JSON.stringify({ id: 'v1/../x', currentTime: 1 }) })).toEqual({
      rejection: { code: 'bad_value', field: 'event.id', detail: 'is not an edX block id' },
    });
  });

  it('rejects an event without context: no course to place it in', async () => {
    const { context: _context, ...raw } = await fixture('video', 'play_video');
    expect(translateFixture(raw)).toEqual({ rejection: { code: 'missing_field', field: 'context.course_id', detail: '' } });
  });

  it('rejects what is not an event: not an object, no type, no time or a bad time', () => {
    expect(normalizeEdxEvent([1, 2])).toEqual({ code: 'bad_value', field: '(event)', detail: 'an event must be a JSON object' });
    expect(normalizeEdxEvent({ time: '2026-03-02T09:00:00Z' })).toMatchObject({ code: 'missing_field', field: 'event_type' });
    expect(normalizeEdxEvent({ event_type: 'play_video' })).toMatchObject({ code: 'missing_field', field: 'time' });
    expect(normalizeEdxEvent({ event_type: 'play_video', time: 'yesterday' })).toMatchObject({ code: 'bad_value', field: 'time' });
  });

  it('reads every time zone offset to one UTC instant', () => {
    const at = (time: string) => (normalizeEdxEvent({ event_type: 'x', time }) as EdxEvent).time;
    expect(at('2026-03-02T10:15:22.123456+01:00')).toBe('2026-03-02T09:15:22.123456Z');
    expect(at('2026-03-02T09:15:22.1234+00:00')).toBe('2026-03-02T09:15:22.123400Z');
    expect(at('2026-03-02 09:15:22')).toBe('2026-03-02T09:15:22.000000Z');
  });
});
