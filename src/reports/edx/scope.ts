/** The activity ids an edX course has in statements, whichever id form names it. */
import type { ReportScope } from './run-reports.js';

/** `org/course/run` or `course-v1:org+course+run` in the new form (a CCX's `ccx-v1:...` as it is), or undefined. */
export function newFormCourseId(courseId: string): string | undefined {
  if (/^(?:course-v1:[^+/]+\+[^+/]+\+[^+/]+|ccx-v1:[^+/]+\+[^+/]+\+[^+/]+\+ccx@\d+)$/.test(courseId)) return courseId;
  const m = /^([^/+:\s]+)\/([^/+:\s]+)\/([^/+:\s]+)$/.exec(courseId);
  return m === null ? undefined : `course-v1:${m[1]}+${m[2]}+${m[3]}`;
}

/**
 * The course's LMS IRI (`<lms>courses/<id>`) and OAI identifier (`oai:<repository>:<id>`),
 * the two names the edX translator gives a course.
 */
export function edxCourseScope(lmsUrl: string, repositoryId: string, courseId: string, span: { from?: string; to?: string } = {}): ReportScope {
  const id = newFormCourseId(courseId);
  if (id === undefined) throw new RangeError(`${courseId} is not an edX course id`);
  return { courseIris: [`${lmsUrl}courses/${id}`, `oai:${repositoryId}:${id}`], ...(span.from && { from: span.from }), ...(span.to && { to: span.to }) };
}
