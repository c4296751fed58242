import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { courseIdOf, rawQueryParam } from '../../src/reports/course-id.js';

/** The two parts of a request the reader looks at. */
const req = (originalUrl: string, params: Record<string, string> = {}) => ({ originalUrl, params }) as unknown as Request;

describe('the course-id reader of every report route', () => {
  it('reads ?course= as typed: + stays +, %2B is +, every edX id form and CCX ids', () => {
    for (const [url, id] of [
      ['/reports/edx/summary?course=course-v1:OrgX+CS101+2026', 'course-v1:OrgX+CS101+2026'],
      ['/reports/edx/summary?limit=5&course=course-v1%3AOrgX%2BCS101%2B2026', 'course-v1:OrgX+CS101+2026'],
      ['/reports/edx/summary?course=OrgX/CS101/2026', 'OrgX/CS101/2026'],
      ['/reports/edx/summary?course=ccx-v1:OrgX+CS101+2026+ccx@3', 'ccx-v1:OrgX+CS101+2026+ccx@3'],
    ]) expect(courseIdOf(req(url!), 'edx'), url).toBe(id);
  });

  it('takes :course of the path before the query, checked by the platform\'s id form', () => {
    expect(courseIdOf(req('/reports/coursera/C1/indicators.csv', { course: 'C1' }), 'coursera')).toBe('C1');
    expect(courseIdOf(req('/reports/futurelearn/intro-to-x/3', { course: 'intro-to-x' }), 'futurelearn')).toBe('intro-to-x');
    expect(() => courseIdOf(req('/x', { course: 'intro.to.x' }), 'futurelearn')).toThrow('course: must be a FutureLearn course slug');
  });

  it('refuses a missing, repeated, badly escaped or foreign course id with a 400 naming the parameter', () => {
    for (const [url, message] of [
      ['/reports/edx/summary', 'course: required'],
      ['/reports/edx/summary?course=', 'course: required'],
      ['/reports/edx/summary?course=a/b/c&course=d/e/f', 'course: give it once'],
      ['/reports/edx/summary?course=%E0%A4%A', 'course: not a valid percent-encoded value'],
      ['/reports/edx/summary?course=CS101', 'course: must be an edX course id'],
    ]) {
      expect(() => courseIdOf(req(url!), 'edx'), url).toThrow(expect.objectContaining({ code: 'invalid', field: 'course', message: expect.stringContaining(message!) }));
    }
  });

  it('reads only the parameter named, not one that starts like it', () => {
    expect(rawQueryParam(req('/r?courses=x&course=y+z'), 'course')).toBe('y+z');
    expect(rawQueryParam(req('/r?courses=x'), 'course')).toBeUndefined();
  });
});
