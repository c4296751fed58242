/**
 * edX course and block ids in both of their forms, and the activity IRIs built from them.
 * A course is `org/course/run` (old) or `course-v1:org+course+run`; a block is
 * `i4x://org/course/category/name` (old) or `block-v1:org+course+run+type@category+block@name`.
 * Old and new forms name the same locator, so both become the new form here: a course
 * imported from 2014 logs and the live endpoint then agree on one activity id.
 *
 * A CCX (custom course, `ccx-v1:org+course+run+ccx@N`, blocks `ccx-block-v1:...+ccx@N+type@...`)
 * is a course run of its own, with its own learners, coach and schedule: it keeps its
 * id, and its master course (`course-v1:org+course+run`) is known from it.
 */

/** A course id in its new form, with its parts; `ccx` is the CCX number of a custom course. */
export interface CourseKey {
  id: string;
  org: string;
  course: string;
  run: string;
  ccx?: string;
}

const NEW_COURSE = /^course-v1:([^+/]+)\+([^+/]+)\+([^+/]+)$/;
const OLD_COURSE = /^([^/+:\s]+)\/([^/+:\s]+)\/([^/+:\s]+)$/;
const CCX_COURSE = /^ccx-v1:([^+/]+)\+([^+/]+)\+([^+/]+)\+ccx@(\d+)$/;
const NEW_BLOCK = /^block-v1:([^+]+)\+([^+]+)\+([^+]+)\+type@([^+]+)\+block@(.+)$/;
const CCX_BLOCK = /^ccx-block-v1:([^+]+)\+([^+]+)\+([^+]+)\+ccx@(\d+)\+type@([^+]+)\+block@(.+)$/;
const OLD_BLOCK = /^i4x:\/\/([^/]+)\/([^/]+)\/([^/]+)\/([^/@]+)(?:@.*)?$/;

/** The course key of any form, or undefined when `id` is none. */
export function parseCourseId(id: string): CourseKey | undefined {
  const ccx = CCX_COURSE.exec(id);
  if (ccx !== null) {
    const [, org, course, run, n] = ccx as unknown as [string, string, string, string, string];
    return { id, org, course, run, ccx: n };
  }
  const m = NEW_COURSE.exec(id) ?? OLD_COURSE.exec(id);
  if (m === null) return undefined;
  const [, org, course, run] = m as unknown as [string, string, string, string];
  return { id: `course-v1:${org}+${course}+${run}`, org, course, run };
}

/** The master course of a CCX, or undefined for a course that is none. */
export function masterCourse(course: CourseKey): CourseKey | undefined {
  if (course.ccx === undefined) return undefined;
  const { org, course: crs, run } = course;
  return { id: `course-v1:${org}+${crs}+${run}`, org, course: crs, run };
}

/** A block in its new form, with its category and name. */
export interface BlockKey {
  id: string;
  category: string;
  name: string;
}

/**
 * The block key of either form; an old id takes its run from `course`, since the i4x
 * form has none. A bare block name (as video events give) becomes a block of `category`.
 */
export function parseBlockId(id: string, course: CourseKey, category?: string): BlockKey | undefined {
  const modern = NEW_BLOCK.exec(id);
  if (modern !== null) {
    const [, org, crs, run, cat, name] = modern as unknown as [string, string, string, string, string, string];
    return { id: `block-v1:${org}+${crs}+${run}+type@${cat}+block@${name}`, category: cat, name };
  }
  const ccx = CCX_BLOCK.exec(id);
  if (ccx !== null) {
    const [, org, crs, run, n, cat, name] = ccx as unknown as [string, string, string, string, string, string, string];
    return blockOf({ id: '', org, course: crs, run, ccx: n }, cat, name);
  }
  const old = OLD_BLOCK.exec(id);
  if (old !== null) {
    const [, org, crs, cat, name] = old as unknown as [string, string, string, string, string];
    return { id: `block-v1:${org}+${crs}+${course.run}+type@${cat}+block@${name}`, category: cat, name };
  }
  if (category === undefined || !/^[\w.-]+$/.test(id)) return undefined;
  // Legacy video events name the block `i4x-<org>-<course>-video-<name>`.
  const name = id.includes(`-${category}-`) ? id.slice(id.lastIndexOf(`-${category}-`) + category.length + 2) : id;
  return blockOf(course, category, name);
}

/** The block `name` of `category` in `course`: a `ccx-block-v1` id in a CCX, as the LMS names it there. */
export function blockOf(course: CourseKey, category: string, name: string): BlockKey {
  const { org, course: crs, run, ccx } = course;
  const prefix = ccx === undefined ? `block-v1:${org}+${crs}+${run}` : `ccx-block-v1:${org}+${crs}+${run}+ccx@${ccx}`;
  return { id: `${prefix}+type@${category}+block@${name}`, category, name };
}

/** How course activities are identified: by their LMS URL, or by ECO's OAI identifier. */
export type CourseIdForm = { kind: 'lms' } | { kind: 'oai'; repositoryId: string };

/** Builds activity IRIs from the LMS base URL (ending in `/`). */
export class EdxIris {
  constructor(
    readonly lmsUrl: string,
    private readonly courseForm: CourseIdForm = { kind: 'lms' },
  ) {}

  /** The course: `<lms>courses/<id>`, or `oai:<repository>:<id>` as the OAI provider and ECO name it. */
  course(course: CourseKey): string {
    return this.courseForm.kind === 'oai' ? `oai:${this.courseForm.repositoryId}:${course.id}` : `${this.lmsUrl}courses/${course.id}`;
  }

  /** A block, where the LMS serves it alone: `<lms>xblock/<block id>`. */
  block(block: BlockKey): string {
    return `${this.lmsUrl}xblock/${block.id}`;
  }

  /** A path of the LMS (`courses/<id>/info`, no leading slash), or an absolute URL kept as it is. */
  page(pathOrUrl: string): string {
    if (/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl;
    return `${this.lmsUrl}${pathOrUrl.replace(/^\/+/, '')}`;
  }

  /** A forum post (thread, response or comment) of a course. */
  forumPost(course: CourseKey, postId: string): string {
    return `${this.lmsUrl}courses/${course.id}/discussion/post/${pathSegment(postId)}`;
  }

  /** The forum of a course, or one topic of it. */
  forum(course: CourseKey, topicId?: string): string {
    const base = `${this.lmsUrl}courses/${course.id}/discussion/forum`;
    return topicId === undefined ? base : `${base}/${pathSegment(topicId)}`;
  }
}

/**
 * `value` as one IRI path segment. encodeURIComponent throws on a lone UTF-16 surrogate,
 * which a hostile event can hold: it becomes U+FFFD, so a bad id is a bad statement
 * (refused by the storable check where it is kept as text), never a crashed run.
 */
export function pathSegment(value: string): string {
  return encodeURIComponent(value.replace(/\p{Cs}/gu, '\ufffd'));
}
