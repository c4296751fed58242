/**
 * The course an event belongs to. Since autumn 2013 edX names it in `context.course_id`;
 * server page views name it in their URL path; the browser events of 2013 logs, which
 * have no context, name it only in their page URL; and 2013 server events (a graded
 * `problem_check`, `showanswer`) only in an old block id, `i4x://org/course/...`,
 * which has no run: the run is the one the stream knows (`courseRunOf`), if any.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import { pageCourseId, pathCourseId } from './pages.js';

/** The run of an organisation's course that the stream knows, if exactly one. */
export type CourseRunOf = (org: string, course: string) => string | undefined;

const OLD_BLOCK = /^i4x:\/\/([^/]+)\/([^/]+)\//;

/** The course id of `e` as written, or undefined when nothing in the event names it. */
export function courseOf(e: EdxEvent, courseRunOf?: CourseRunOf): string | undefined {
  return e.courseId ?? pathCourseId(e.type) ?? pageCourseId(e.page) ?? oldBlockCourse(e, courseRunOf);
}

function oldBlockCourse(e: EdxEvent, courseRunOf: CourseRunOf | undefined): string | undefined {
  if (courseRunOf === undefined) return undefined;
  for (const id of [e.data.problem_id, e.data.id, e.module?.usageKey]) {
    const m = typeof id === 'string' ? OLD_BLOCK.exec(id) : null;
    if (m !== null) return courseRunOf(m[1]!, m[2]!);
  }
  return undefined;
}
