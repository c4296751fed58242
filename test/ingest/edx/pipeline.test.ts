import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { edxItem, edxTranslateOptions, summaryType } from '../../../src/ingest/edx/pipeline.js';
import { parseEdxLine } from '../../../src/ingest/edx/tracking-log.js';
import { LMS, playVideo, SECRET } from '../../support/edx-events.js';

const record = (event: Record<string, unknown>) => parseEdxLine('f:1', JSON.stringify(event));

describe('the edX pipeline', () => {
  it('counts page views by their first path parts, not one type per URL', () => {
    expect(summaryType('/courses/course-v1:OrgX+CS101+2026/courseware/week1/unit2/')).toBe('/courses/{course_id}/courseware/...');
    expect(summaryType('/courses/OrgX/CS101/2014/info')).toBe('/courses/{course_id}/info/...');
    expect(summaryType('/static/js/lms.js')).toBe('/static/...');
    expect(summaryType('play_video')).toBe('play_video');
  });

  it('selects courses named in either id form', () => {
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS, EDX_COURSE_IDS: 'OrgX/CS101/2026' });
    const opts = edxTranslateOptions(config, SECRET);
    expect(edxItem(record(playVideo(1)), opts)).toHaveProperty('statements');
    const other = playVideo(1, 0, { context: { course_id: 'course-v1:OrgX+OTHER+2026', user_id: 1 } });
    expect(edxItem(record(other), opts)).toMatchObject({ ignored: true, type: 'play_video' });
  });

  it('ignores events outside the day range, counted under their type', () => {
    const opts = edxTranslateOptions(loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS }), SECRET);
    expect(edxItem(record(playVideo(1)), opts, { from: '2026-03-03' })).toMatchObject({ ignored: true, type: 'play_video' });
    expect(edxItem(record(playVideo(1)), opts, { to: '2026-03-01' })).toMatchObject({ ignored: true });
    expect(edxItem(record(playVideo(1)), opts, { from: '2026-03-02', to: '2026-03-02' })).toHaveProperty('statements');
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
