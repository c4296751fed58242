import { describe, expect, it } from 'vitest';
import { isRejection, normalizeEdxEvent, type EdxEvent } from '../../../src/ingest/edx/event.js';
import { canonicalJson, eventKey, statementIdAt } from '../../../src/translators/edx/identity.js';
import { statementId } from '../../../src/xapi/ids.js';
import { translateRaw, type RawEvent } from './fixtures.js';

const COURSE = 'course-v1:OrgX+CS101+2026';
const PAGE = `https://lms.example.org/courses/${COURSE}/courseware/week_1/unit_2/`;
const PROBLEM = 'block-v1:OrgX+CS101+2026+type@problem+block@q7';
const TIME = '2026-03-02T09:15:22.123456+00:00';

/** The personal fields edX puts on every log line; never part of an identity. */
const PERSONAL = {
  ip: '203.0.113.42',
  agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0',
  host: 'lms.example.org',
  referer: PAGE,
  accept_language: 'de-CH,de;q=0.9,en;q=0.5',
};

/** A browser event as the tracking log writes it: `event` is a JSON string. */
const browserLine = (type: string, data: object, over: RawEvent = {}): RawEvent => ({
  username: 'grace_h',
  event_source: 'browser',
  name: type,
  event_type: type,
  event: JSON.stringify(data),
  time: TIME,
  page: PAGE,
  session: '9e107d9d372bb6826bd81d3542a419d6',
  context: { course_id: COURSE, org_id: 'OrgX', user_id: 1207, path: '/event' },
  ...PERSONAL,
  ...over,
});

/** The same browser event in event-tracking's native shape: `data` an object, the rest in `context`. */
const browserNative = (type: string, data: object): RawEvent => ({
  name: type,
  timestamp: TIME,
  data,
  context: { course_id: COURSE, org_id: 'OrgX', user_id: 1207, username: 'grace_h', path: '/event', event_source: 'browser', page: PAGE, ...PERSONAL },
});

/** A graded server `problem_check` as an older tracking log writes it: `page` is `x_module`. */
const problemCheckLine = (answers: Record<string, unknown>, over: RawEvent = {}): RawEvent => ({
  username: 'grace_h',
  event_source: 'server',
  event_type: 'problem_check',
  name: 'problem_check',
  page: 'x_module',
  time: TIME,
  event: { problem_id: PROBLEM, answers, grade: 1, max_grade: 2, attempts: 1, success: 'incorrect', state: { seed: 1, done: null } },
  context: { course_id: COURSE, org_id: 'OrgX', user_id: 1207, path: `/courses/${COURSE}/xblock/${PROBLEM}/handler/xmodule_handler/problem_check`, module: { usage_key: PROBLEM, display_name: 'Loops' } },
  ...PERSONAL,
  ...over,
});

function idOf(raw: RawEvent): string {
  const t = translateRaw(raw);
  if (!('statements' in t)) throw new Error(`no statement: ${JSON.stringify(t)}`);
  return t.statements[0]!.id;
}

function normalized(raw: RawEvent): EdxEvent {
  const e = normalizeEdxEvent(raw);
  if (isRejection(e)) throw new Error('does not normalize');
  return e;
}

const video = { id: '0b9e39477cf34507a7a48f74be381fdd', currentTime: 132.52, code: 'html5' };

describe('the identity of an edX event', () => {
  it('gives different ids to events that differ in one field only', () => {
    const pairs: [string, RawEvent, RawEvent][] = [
      ['page', browserLine('play_video', video), browserLine('play_video', video, { page: PAGE.replace('unit_2', 'unit_3') })],
      ['video position', browserLine('pause_video', video), browserLine('pause_video', { ...video, currentTime: 133.02 })],
      ['answer', problemCheckLine({ q7_2_1: 'choice_1' }), problemCheckLine({ q7_2_1: 'choice_2' })],
      ['problem part', problemCheckLine({ q7_2_1: 'choice_1' }), problemCheckLine({ q7_3_1: 'choice_1' })],
      ['browser vs mobile source', browserLine('play_video', video), browserLine('play_video', video, { event_source: 'mobile' })],
      ['course', browserLine('play_video', video), browserLine('play_video', video, { context: { course_id: 'OrgX/CS101/2014_T1', user_id: 1207 } })],
    ];
    for (const [field, a, b] of pairs) expect(idOf(a), `events differing in ${field}`).not.toBe(idOf(b));
    // A browser event and its server twin of one instant: told apart by source, whatever the rules make of them.
    const twin = (source: string) => eventKey(normalized(browserLine('problem_check', {}, { event: 'input_q7_2_1=choice_1', event_source: source })), '1207');
    expect(twin('browser')).not.toBe(twin('server'));
  });

  it('gives the same id to an event whether it came live in the native shape or from the tracking log', () => {
    for (const [type, data] of [['play_video', video], ['seq_goto', { old: 1, new: 3, id: 'block-v1:OrgX+CS101+2026+type@sequential+block@week1' }]] as const) {
      expect(idOf(browserNative(type, data)), type).toBe(idOf(browserLine(type, data)));
    }
    // The legacy mapping writes `event_source: server` and a page (`x_module`, or null) into
    // the log line of a server event whose native shape names neither.
    const line = problemCheckLine({ q7_2_1: 'choice_1' });
    const { username: _u, event_source: _s, page: _p, event_type: _t, time, event, context, ip: _i, agent: _a, host: _h, referer: _r, accept_language: _l, ...rest } = line;
    const native = { ...rest, timestamp: time, data: event, context: { ...(context as object), username: 'grace_h', ...PERSONAL } };
    expect(idOf(native)).toBe(idOf(line));
    expect(idOf({ ...line, page: null })).toBe(idOf(line));
  });

  it('does not depend on the order of the payload keys, at any depth', () => {
    const a = problemCheckLine({ q7_2_1: ['choice_0', 'choice_3'], q7_3_1: 'x' });
    const reordered = structuredClone(a);
    const ev = a.event as Record<string, unknown>;
    reordered.event = Object.fromEntries(Object.entries(ev).reverse().map(([k, v]) => [k, k === 'answers' ? { q7_3_1: 'x', q7_2_1: ['choice_0', 'choice_3'] } : v]));
    expect(idOf(reordered)).toBe(idOf(a));
    // ...but the order of an array is part of what happened.
    expect(idOf(problemCheckLine({ q7_2_1: ['choice_3', 'choice_0'], q7_3_1: 'x' }))).not.toBe(idOf(a));
  });

  it('leaves out the personal fields and the session', () => {
    const line = browserLine('play_video', video);
    const other = { ...line, ip: '198.51.100.7', agent: 'curl/8.5', host: 'lms2.example.org', referer: '', accept_language: 'en', session: 'f'.repeat(32) };
    expect(idOf(other)).toBe(idOf(line));
  });

  it('keeps the plain key for the first statement of an event and gives the others their own', () => {
    const key = eventKey(normalized(problemCheckLine({ q7_2_1: 'choice_1' })), '1207');
    expect(statementIdAt(key, 0)).toBe(statementId('edx', key));
    const ids = [0, 1, 2, 10].map((i) => statementIdAt(key, i));
    expect(new Set(ids).size).toBe(4);
  });

  it('writes values equal as JSON as one text', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 'x' }], a: null, '10': true, '9': false })).toBe('{"10":true,"9":false,"a":null,"b":[{"c":"x","d":1}]}');
    expect(canonicalJson({ a: 1, b: { c: [1, 2] } })).toBe(JSON.stringify({ a: 1, b: { c: [1, 2] } }));
    expect(canonicalJson({ 'é': 1, e: '\u0000"' })).toBe(canonicalJson({ e: '\u0000"', 'é': 1 }));
  });

  it('writes unsorted payloads with array-index-like or __proto__ keys in key order, as before', () => {
    expect(canonicalJson({ id: 'v1', currentTime: 3.5, code: 'html5' })).toBe('{"code":"html5","currentTime":3.5,"id":"v1"}');
    expect(canonicalJson({ b: { z: 1, '2': 'two', '10': 'ten' }, a: 0 })).toBe('{"a":0,"b":{"10":"ten","2":"two","z":1}}');
    expect(canonicalJson(JSON.parse('{"z":1,"__proto__":{"y":2,"x":1}}'))).toBe('{"__proto__":{"x":1,"y":2},"z":1}');
  });
});
