/**
 * Tracking logs of 2013 and 2014 through the edX pipeline: events with no context (the
 * course only in the page URL or an `i4x://` block id without a run, the learner only
 * by username), and forum actions known only from their request.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { edxItems, edxTranslateOptions } from '../../../src/pipelines/edx.js';
import { parseEdxLine } from '../../../src/ingest/edx/tracking-log.js';
import type { ImportItem } from '../../../src/lrs/import-run.js';
import type { Statement } from '../../../src/xapi/types.js';
import { LMS, SECRET } from '../../support/edx-events.js';

const COURSE_PAGE = 'https://courses.edx.org/courses/MITx/6.00x/2013_Spring/courseware/Week_1/Lecture_1/';
const COURSE_IRI = 'https://lms.example.org/courses/course-v1:MITx+6.00x+2013_Spring';

/** A 2013 line: no context, no session, the learner by username. */
const line2013 = (type: string, source: string, second: number, event: unknown, page: string | null) => ({
  username: 'maria_2013', event_source: source, time: `2013-03-12T14:00:0${second}.000000+00:00`,
  agent: 'Mozilla/5.0', host: 'courses.edx.org', page, ip: '203.0.113.9', event, event_type: type,
});

const enrollment = line2013('edx.course.enrollment.activated', 'server', 1, { course_id: 'MITx/6.00x/2013_Spring', user_id: 3100, mode: 'honor' }, null);
const play = line2013('play_video', 'browser', 2, JSON.stringify({ id: 'i4x-MITx-6_00x-video-Lecture_1', code: 'abc', currentTime: 3 }), COURSE_PAGE);
const graded = line2013('problem_check', 'server', 3, { problem_id: 'i4x://MITx/6.00x/problem/Problem_1', answers: { 'i4x-MITx-6_00x-problem-Problem_1_2_1': 'choice_1' }, success: 'correct', grade: 1, max_grade: 1, attempts: 1 }, 'x_module');

async function items(lines: unknown[]): Promise<ImportItem[]> {
  const opts = edxTranslateOptions(loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS }), SECRET);
  const out: ImportItem[] = [];
  for await (const item of edxItems(lines.map((l, i) => parseEdxLine(`f:${i + 1}`, JSON.stringify(l))), opts)) out.push(item);
  return out.sort((a, b) => (a.at < b.at ? -1 : 1));
}

const statementsOf = (item: ImportItem | undefined): Statement[] => (item !== undefined && 'statements' in item ? (item.statements as Statement[]) : []);
const parentIds = (s: Statement) => (s.context?.contextActivities?.parent ?? []).map((p) => p.id);

describe('2013 and 2014 tracking logs', () => {
  it('gives context-less events the course of their page, or the one run the stream knows of their i4x block', async () => {
    const [, video, check] = await items([enrollment, play, graded]);
    expect(parentIds(statementsOf(video)[0]!)).toEqual([COURSE_IRI]);
    const answer = statementsOf(check)[0]!;
    expect(parentIds(answer)).toEqual([COURSE_IRI]);
    expect((answer.object as { id: string }).id).toBe('https://lms.example.org/xblock/block-v1:MITx+6.00x+2013_Spring+type@problem+block@Problem_1');
  });

  it('rejects an i4x block of a course whose run is not known for sure, rather than guess between runs', async () => {
    const otherRun = line2013('play_video', 'browser', 4, play.event, COURSE_PAGE.replace('2013_Spring', '2013_Fall'));
    const [, , , check] = await items([enrollment, play, otherRun, graded]);
    expect(check).toMatchObject({ rejection: { code: 'missing_field', field: 'context.course_id' } });
  });

  it('gives the learner named by username only the actor of the user id their enrollment holds', async () => {
    const [enrolled, video, check] = await items([play, enrollment, graded]);
    const actors = new Set([enrolled, video, check].map((i) => JSON.stringify(statementsOf(i)[0]!.actor)));
    expect(actors.size).toBe(1);
    expect(video).not.toHaveProperty('unresolved');
  });

  it('does not take the learner of a staff enrollment for the staff member', async () => {
    const byStaff = { ...enrollment, username: 'course_staff', context: { course_id: 'MITx/6.00x/2013_Spring', user_id: 7, path: '/instructor' } };
    const staffView = { ...play, username: 'course_staff' };
    const [, view] = await items([byStaff, staffView]);
    const [learnerItem] = await items([enrollment]);
    expect(statementsOf(view)[0]!.actor).not.toEqual(statementsOf(learnerItem)[0]!.actor);
  });

  it('translates forum requests of logs before edx.forum events, and ignores them as twins after', async () => {
    const request = (time: string, action: string) => ({
      username: 'maria_2014', event_source: 'server', time, host: 'courses.edx.org', page: null, event: '{"POST":{},"GET":{}}',
      context: { course_id: 'HarvardX/PH207x/2014_Fall', user_id: 55, path: '/x' }, event_type: `/courses/HarvardX/PH207x/2014_Fall/discussion/threads/8f7d31990f2d81d660dad405/${action}`,
    });
    const [vote, unvote, twin, follow] = await items([request('2014-10-15T10:00:00Z', 'upvote'), request('2014-10-15T10:00:01Z', 'unvote'), request('2017-02-07T10:00:00Z', 'upvote'), request('2017-02-07T10:00:01Z', 'follow')]);
    expect(statementsOf(vote)[0]!.verb.id).toBe('http://id.tincanapi.com/verb/voted-up');
    expect(statementsOf(unvote)[0]!.verb.id).toBe('https://w3id.org/xapi-gateway/verbs/unvoted');
    expect(twin).toMatchObject({ ignored: true, reason: 'request twin of an event' });
    expect(statementsOf(follow)[0]!.verb.id).toBe('http://activitystrea.ms/schema/1.0/follow');
  });
});
