import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { translateToNdjson } from '../../../src/pipelines/ndjson-sink.js';
import { loadConfig } from '../../../src/config/index.js';
import { edxItem, edxItems, edxTranslateOptions, summaryType } from '../../../src/pipelines/edx.js';
import { parseEdxLine, type EdxRecord } from '../../../src/ingest/edx/tracking-log.js';
import { LMS, playVideo, problemCheck, SECRET } from '../../support/edx-events.js';

const record = (event: Record<string, unknown>) => parseEdxLine('f:1', JSON.stringify(event));

describe('the edX pipeline', () => {
  it('counts page views by their first path parts, not one type per URL', () => {
    expect(summaryType('/courses/course-v1:OrgX+CS101+2026/courseware/week1/unit2/')).toBe('/courses/{course_id}/courseware/...');
    expect(summaryType('/courses/OrgX/CS101/2014/info')).toBe('/courses/{course_id}/info/...');
    expect(summaryType('/courses/ccx-v1:OrgX+CS101+2017_T2+ccx@7/courseware/ch/seq/')).toBe('/courses/{course_id}/courseware/...');
    expect(summaryType('/static/js/lms.js')).toBe('/static/...');
    expect(summaryType('play_video')).toBe('play_video');
  });

  it('selects courses named in either id form', () => {
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS, EDX_COURSE_IDS: 'OrgX/CS101/2026' });
    const opts = edxTranslateOptions(config, SECRET);
    expect(edxItem(record(playVideo(1)), opts)).toHaveProperty('statements');
    const other = playVideo(1, 0, { context: { course_id: 'course-v1:OrgX+OTHER+2026', user_id: 1 } });
    expect(edxItem(record(other), opts)).toMatchObject({ ignored: true, reason: 'course not selected', type: 'play_video' });
  });

  it('ignores events outside the day range, counted under their type', () => {
    const opts = edxTranslateOptions(loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS }), SECRET);
    expect(edxItem(record(playVideo(1)), opts, { from: '2026-03-03' })).toMatchObject({ ignored: true, reason: 'outside the days chosen', type: 'play_video' });
    expect(edxItem(record(playVideo(1)), opts, { to: '2026-03-01' })).toMatchObject({ ignored: true });
    expect(edxItem(record(playVideo(1)), opts, { from: '2026-03-02', to: '2026-03-02' })).toHaveProperty('statements');
  });

  it('counts ignored events by reason, in total and per type, never as rejected', async () => {
    const opts = edxTranslateOptions(loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS }), SECRET);
    const echo = (type: string, n: number) => ({ ...problemCheck(n), event_type: type, event_source: 'browser', event: JSON.stringify(['input_q1_2_1=choice_1', '<div/>']) });
    const { username: _u, ...anonymous } = playVideo(0, 3, { context: { course_id: 'course-v1:OrgX+CS101+2026', path: '/event' } });
    const lines = [problemCheck(1), echo('problem_graded', 1), echo('problem_show', 2), echo('problem_graded', 3), playVideo(4), anonymous, playVideo(5, 1, { event_type: '/static/app.js' })];
    async function* records(): AsyncGenerator<EdxRecord> {
      for (const [i, line] of lines.entries()) yield parseEdxLine(`f:${i + 1}`, JSON.stringify(line));
    }
    const summary = await translateToNdjson(edxItems(records(), opts), new PassThrough().resume());
    expect(summary).toMatchObject({ read: 7, translated: 2, ignored: 5, rejected: 0 });
    expect(summary.ignoredBy).toEqual({ 'browser echo of a server event': 3, 'no learner': 1, 'not learning activity': 1 });
    expect(summary.byType.problem_graded).toEqual({ translated: 0, ignored: 2, rejected: 0, ignoredBy: { 'browser echo of a server event': 2 } });
    expect(summary.byType.problem_check).toEqual({ translated: 1, ignored: 0, rejected: 0 });
  });

  it('gives an event naming its learner by username only the pseudonym of that learner, before or after the tying event', async () => {
    const opts = edxTranslateOptions(loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS }), SECRET);
    // A 2014 enrollment: the learner named by username only, no user id anywhere.
    const enrolled = (username: string, second: number) => ({
      username, event_source: 'server', event_type: 'edx.course.enrollment.activated', time: `2014-03-02T09:00:0${second}.000000+00:00`,
      ip: '203.0.113.7', host: 'lms.example.org', event: { course_id: 'OrgX/CS101/2014', mode: 'honor' },
      context: { course_id: 'OrgX/CS101/2014', org_id: 'OrgX', path: '/change_enrollment' },
    });
    const lines = [enrolled('learner7', 1), playVideo(7), playVideo(8), enrolled('learner8', 2), enrolled('nobody', 3)];
    async function* records(): AsyncGenerator<EdxRecord> {
      for (const [i, line] of lines.entries()) yield parseEdxLine(`f:${i + 1}`, JSON.stringify(line));
    }
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const summary = await translateToNdjson(edxItems(records(), opts), out);
    const statements = text.trim().split('\n').map((l) => JSON.parse(l) as { actor: { account: { name: string } }; timestamp: string });
    const actorAt = (time: string) => statements.find((s) => s.timestamp.startsWith(time))!.actor.account.name;
    const [video7, video8] = [actorAt('2026-03-02T09:00:00'), statements.filter((s) => s.timestamp.startsWith('2026-03-02T09:00:00'))[1]!.actor.account.name];
    expect(actorAt('2014-03-02T09:00:01')).toBe(video7); // enrolled before the tying event
    expect(actorAt('2014-03-02T09:00:02')).toBe(video8); // and after it
    expect(actorAt('2014-03-02T09:00:03')).not.toBe(video7);
    expect(summary).toMatchObject({ read: 5, translated: 5, unresolved: 1 });
    expect(text).not.toContain('learner7');
  });

  it('keeps a rejected line with its raw text and the type it names', () => {
    const opts = edxTranslateOptions(loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS }), SECRET);
    const raw = JSON.stringify({ event_type: 'play_video', event: {} });
    expect(edxItem(parseEdxLine('f:9', raw), opts)).toEqual({ at: 'f:9', type: 'play_video', payload: raw, rejection: { code: 'missing_field', field: 'time', detail: '' } });
  });

  it('refuses to run without the LMS URL', () => {
    expect(() => edxTranslateOptions(loadConfig({ PSEUDONYM_SECRET: SECRET }), SECRET)).toThrow(/EDX_LMS_URL/);
  });
});
