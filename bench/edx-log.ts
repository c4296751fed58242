/**
 * A generated edX tracking log of realistic events, as one gzip file: the mix of a
 * course run (video events from the browser with `event` as a JSON string, graded
 * problem checks, page views, navigation, forum, enrollment, and non-learning requests
 * such as static assets), with the personal fields edX writes.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';

const LMS = 'https://lms.example.org';
const COURSES = ['course-v1:OrgX+CS101+2026', 'course-v1:OrgX+DS200+2026', 'OrgY/HIST1/2014'];

function base(i: number, type: string, source: string, course: string) {
  const user = (i * 7919) % 20_000;
  return {
    username: `learner${user}`,
    event_source: source,
    event_type: type,
    name: type,
    time: new Date(Date.UTC(2026, 2, 1) + i * 250).toISOString().replace('Z', '456+00:00'),
    ip: `198.51.100.${user % 250}`,
    agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
    host: 'lms.example.org',
    referer: `${LMS}/courses/${course}/courseware/week${i % 8}/unit${i % 5}/`,
    accept_language: 'en-US,en;q=0.9',
    page: `${LMS}/courses/${course}/courseware/week${i % 8}/unit${i % 5}/`,
    session: `${(i % 50_000).toString(16).padStart(32, '0')}`,
    context: { course_id: course, org_id: course.includes('OrgY') ? 'OrgY' : 'OrgX', user_id: user, path: '/event' },
  };
}

/** Event `i` of the mix. */
export function edxEvent(i: number): Record<string, unknown> {
  const course = COURSES[i % COURSES.length]!;
  const video = `${(i % 300).toString(16).padStart(32, 'a')}`;
  switch (i % 20) {
    case 0: case 1: case 2: case 3:
      return { ...base(i, 'play_video', 'browser', course), event: JSON.stringify({ id: video, currentTime: (i % 600) + 0.25, code: 'html5' }) };
    case 4: case 5: case 6:
      return { ...base(i, 'pause_video', 'browser', course), event: JSON.stringify({ id: video, currentTime: (i % 600) + 3.5, code: 'html5' }) };
    case 7:
      return { ...base(i, 'seek_video', 'browser', course), event: JSON.stringify({ id: video, old_time: i % 600, new_time: (i % 600) + 30, type: 'onSlideSeek', code: 'html5' }) };
    case 8: case 9: {
      const problem = `block-v1:OrgX+CS101+2026+type@problem+block@q${i % 40}`;
      return {
        ...base(i, 'problem_check', 'server', COURSES[0]!),
        page: 'x_module',
        event: { problem_id: problem, grade: i % 3, max_grade: 2, success: i % 3 === 2 ? 'correct' : 'incorrect', attempts: 1 + (i % 3), answers: { [`q${i % 40}_2_1`]: `choice_${i % 4}` }, state: { seed: 1, done: true } },
        context: { ...base(i, '', '', COURSES[0]!).context, module: { display_name: `Question ${i % 40}`, usage_key: problem } },
      };
    }
    case 10: case 11:
      return { ...base(i, `/courses/${course}/courseware/week${i % 8}/unit${i % 5}/`, 'server', course), event: JSON.stringify({ POST: {}, GET: {} }) };
    case 12:
      return { ...base(i, 'seq_goto', 'browser', course), event: JSON.stringify({ old: 1, new: 2 + (i % 4), id: `block-v1:OrgX+CS101+2026+type@sequential+block@seq${i % 30}` }) };
    case 13:
      return { ...base(i, 'edx.ui.lms.sequence.next_selected', 'browser', course), event: { current_tab: 1, tab_count: 5, target_tab: 2, id: `block-v1:OrgX+CS101+2026+type@sequential+block@seq${i % 30}`, widget_placement: 'top' } };
    case 14:
      return { ...base(i, 'edx.forum.thread.viewed', 'server', course), event: { id: `5f${i % 1000}`, commentable_id: 'course', title: 'Week 1', url: `${LMS}/courses/${course}/discussion/forum/course/threads/5f${i % 1000}` } };
    case 15:
      return { ...base(i, 'edx.course.enrollment.activated', 'server', course), event: { course_id: course, user_id: (i * 7919) % 20_000, mode: 'audit' } };
    case 16:
      return { ...base(i, 'edx.video.loaded', 'browser', course), event: JSON.stringify({ id: video, code: 'html5', duration: 615.4 }) };
    case 17:
      return { ...base(i, 'page_close', 'browser', course), event: '' };
    case 18:
      return { ...base(i, '/static/js/lms-application.js', 'server', course), event: '{"POST": {}, "GET": {}}' };
    default:
      return { ...base(i, '/jsi18n/', 'server', course), event: '{"POST": {}, "GET": {}}' };
  }
}

// What a real LMS log holds between learning events: requests the tracker logs for
// every page, asset, AJAX poll and login, and browser noise; all ignored.
const NOISE = [
  '/static/bundles/commons.js',
  '/jsi18n/',
  '/dashboard',
  '/login_ajax',
  '/api/courseware/sequence/block-v1:OrgX+CS101+2026+type@sequential+block@seq1',
  '/courses/course-v1:OrgX+CS101+2026/xblock/block-v1:OrgX+CS101+2026+type@video+block@v1/handler/xmodule_handler/save_user_state',
  'page_close',
  'edx.bi.user.account.authenticated',
];

/**
 * Event `i` of a messier mix, as real logs are: 40% non-learning requests and browser
 * noise (ignored), the rest as `edxEvent`.
 */
export function messyEdxEvent(i: number): Record<string, unknown> {
  if (i % 5 > 1) return edxEvent(i);
  const type = NOISE[i % NOISE.length]!;
  const noise = base(i, type, type.startsWith('/') ? 'server' : 'browser', COURSES[i % COURSES.length]!);
  return { ...noise, event: type.startsWith('/') ? JSON.stringify({ POST: {}, GET: { _: String(1_700_000_000_000 + i) } }) : '{}' };
}

/** Writes `count` events (of `mix`) to a gzip file at `path`; returns its size in bytes, uncompressed. */
export async function writeEdxLog(path: string, count: number, mix: (i: number) => Record<string, unknown> = edxEvent): Promise<number> {
  const gzip = createGzip({ level: 1 });
  const out = gzip.pipe(createWriteStream(path));
  let bytes = 0;
  let chunk = '';
  for (let i = 0; i < count; i++) {
    chunk += `${JSON.stringify(mix(i))}\n`;
    if (chunk.length > 1 << 20) {
      bytes += chunk.length;
      if (!gzip.write(chunk)) await once(gzip, 'drain');
      chunk = '';
    }
  }
  bytes += chunk.length;
  gzip.end(chunk);
  await once(out, 'finish');
  return bytes;
}
