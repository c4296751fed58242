/**
 * The run of a course, as the stream teaches it. Old block ids (`i4x://org/course/...`)
 * name an organisation and a course but no run, and 2013 server events have no
 * `context.course_id` at all: their course is known only from a block id. The other
 * events of the same log name the full course (in `context.course_id`, a URL path or the
 * page), so each course run seen is learned here, and an old block is given the run
 * only when the stream knows exactly one run of its course: a guess between two runs
 * would file a learner's answer under the wrong course.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import { parseCourseId } from './ids.js';
import { pageCourseId, pathCourseId } from './pages.js';

/** `org/course` -> the course ids (as written) of the runs seen. */
export class CourseRuns {
  private readonly runs = new Map<string, Set<string>>();
  /** The course id of the last event: a log repeats one course line after line, so it is parsed once. */
  private last: string | undefined;

  /** Learns the course an event names in its context, its URL path type or its page. */
  learn(e: EdxEvent): void {
    const id = e.courseId ?? pathCourseId(e.type) ?? pageCourseId(e.page);
    if (id === undefined || id === this.last) return;
    this.last = id;
    const course = parseCourseId(id);
    if (course === undefined || course.ccx !== undefined) return;
    const key = `${course.org}/${course.course}`;
    const known = this.runs.get(key);
    if (known === undefined) this.runs.set(key, new Set([course.id]));
    else if (known.size < 2) known.add(course.id);
  }

  /** The one run seen of `org`'s `course`, or undefined when none or several were. */
  runOf(org: string, course: string): string | undefined {
    const known = this.runs.get(`${org}/${course}`);
    return known?.size === 1 ? [...known][0] : undefined;
  }
}

