/**
 * The one reader of a report's course id, for every report route: `:course` of the path
 * or `?course=` of the query, checked against the platform's id form (one table). Course
 * ids are typed as they are: `course=course-v1:OrgX+CS101+2026` reads the same as
 * `%2B`. The app's 'simple' query parser follows HTML forms and turns `+` into a space,
 * which no course id holds, so the query is read again from the raw URL here.
 */
import type { Request } from 'express';
import { CodedError } from '../errors.js';
import { newFormCourseId } from './edx/scope.js';

/** The platforms whose reports name a course. */
export type ReportPlatform = 'edx' | 'coursera' | 'futurelearn';

/** What a course id of each platform looks like, and how an error says it. */
const COURSE_IDS: Record<ReportPlatform, { valid: (id: string) => boolean; expected: string }> = {
  // Both id forms and CCX ids: scope.ts gives every one the activity ids of its statements.
  edx: { valid: (id) => newFormCourseId(id) !== undefined, expected: 'an edX course id: course-v1:Org+Course+Run, Org/Course/Run or ccx-v1:Org+Course+Run+ccx@N' },
  coursera: { valid: (id) => /^[^\s/?#]{1,300}$/.test(id), expected: 'a Coursera course id' },
  // Lowercase words joined by hyphens; a little wider, but never a slash, a dot or an escape.
  futurelearn: { valid: (id) => /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(id), expected: 'a FutureLearn course slug (letters, digits, - and _)' },
};

/**
 * A query parameter as the client typed it: percent escapes decoded, `+` kept; undefined when absent.
 * @example rawQueryParam(req, 'course') // 'course-v1:OrgX+CS101+2026' for ?course=course-v1:OrgX+CS101+2026
 */
export function rawQueryParam(req: Request, name: string): string | undefined {
  const query = req.originalUrl.split('?', 2)[1] ?? '';
  const values = query.split('&').filter((pair) => pair.split('=', 1)[0] === name).map((pair) => pair.slice(name.length + 1));
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new CodedError('invalid', `${name}: give it once`, { field: name });
  try {
    return decodeURIComponent(values[0]!);
  } catch {
    throw new CodedError('invalid', `${name}: not a valid percent-encoded value`, { field: name });
  }
}

/**
 * The course id of a report request, from the path (`:course`) or else the query (`?course=`).
 * @example courseIdOf(req, 'edx') // 'course-v1:OrgX+CS101+2026'
 */
export function courseIdOf(req: Request, platform: ReportPlatform): string {
  const id = (req.params as { course?: string }).course ?? rawQueryParam(req, 'course');
  if (id === undefined || id === '') throw new CodedError('invalid', 'course: required', { field: 'course' });
  const form = COURSE_IDS[platform];
  if (!form.valid(id)) throw new CodedError('invalid', `course: must be ${form.expected}`, { field: 'course' });
  return id;
}
