/** Realistic edX tracking events for tests, in the tracking-log shape. */
import type { EdxTranslateOptions } from '../../src/translators/edx.js';
import { EdxIris } from '../../src/translators/edx/ids.js';
import { pseudonym } from '../../src/xapi/ids.js';

/** The LMS of the test events. */
export const LMS = 'https://lms.example.org/';
export const COURSE = 'course-v1:OrgX+CS101+2026';
export const SECRET = 'test-pseudonym-secret-0123456789';

/** Translator options matching the test events. */
export const EDX_OPTIONS: EdxTranslateOptions = {
  iris: new EdxIris(LMS),
  homePage: LMS.replace(/\/$/, ''),
  actorName: (key) => pseudonym(SECRET, key),
};

/** A browser `play_video` of user `userId` at `second` of the day, with personal fields edX logs. */
export function playVideo(userId: number, second = 0, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const time = new Date(Date.UTC(2026, 2, 2, 9, 0, 0) + second * 1000).toISOString().replace('Z', '123+00:00');
  return {
    username: `learner${userId}`,
    event_source: 'browser',
    event_type: 'play_video',
    name: 'play_video',
    time,
    ip: '203.0.113.7',
    agent: 'Mozilla/5.0 (X11; Linux x86_64)',
    host: 'lms.example.org',
    referer: `${LMS}courses/${COURSE}/courseware/week1/video1/`,
    accept_language: 'en-US,en;q=0.9',
    page: `${LMS}courses/${COURSE}/courseware/week1/video1/`,
    session: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
    event: JSON.stringify({ id: '0b9e39477cf34507a7a48f74be381fdd', currentTime: 12.5 + second, code: 'html5' }),
    context: { course_id: COURSE, org_id: 'OrgX', user_id: userId, path: '/event' },
    ...overrides,
  };
}

/** A server `problem_check` of user `userId`, graded `grade` of 2. */
export function problemCheck(userId: number, grade = 1, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    username: `learner${userId}`,
    event_source: 'server',
    event_type: 'problem_check',
    time: '2026-03-02T10:15:22.654321+00:00',
    ip: '203.0.113.7',
    agent: 'Mozilla/5.0',
    host: 'lms.example.org',
    page: 'x_module',
    session: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
    event: {
      problem_id: 'block-v1:OrgX+CS101+2026+type@problem+block@q1',
      grade,
      max_grade: 2,
      success: grade === 2 ? 'correct' : 'incorrect',
      attempts: 1,
      answers: { 'q1_2_1': 'choice_1', 'q1_3_1': ['a', 'b'] },
    },
    context: {
      course_id: COURSE,
      org_id: 'OrgX',
      user_id: userId,
      path: `/courses/${COURSE}/xblock/block-v1:OrgX+CS101+2026+type@problem+block@q1/handler/xmodule_handler/problem_check`,
      module: { display_name: 'Question 1', usage_key: 'block-v1:OrgX+CS101+2026+type@problem+block@q1' },
    },
    ...overrides,
  };
}

/** NDJSON of `events`. */
export function ndjson(events: unknown[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}
