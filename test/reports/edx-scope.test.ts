import { describe, expect, it } from 'vitest';
import { edxCourseScope, newFormCourseId } from '../../src/reports/edx/scope.js';

describe('the course scope of edX reports', () => {
  it('names a course in its new form, whichever form is given', () => {
    expect(newFormCourseId('OrgX/CS101/2014')).toBe('course-v1:OrgX+CS101+2014');
    expect(newFormCourseId('course-v1:OrgX+CS101+2014')).toBe('course-v1:OrgX+CS101+2014');
    expect(newFormCourseId('not a course')).toBeUndefined();
  });

  it('reports on a CCX by its own id, as the translator names it', () => {
    expect(newFormCourseId('ccx-v1:OrgX+CS101+2017_T2+ccx@7')).toBe('ccx-v1:OrgX+CS101+2017_T2+ccx@7');
    expect(edxCourseScope('https://lms.example.org/', 'eco.example.org', 'ccx-v1:OrgX+CS101+2017_T2+ccx@7').courseIris).toEqual([
      'https://lms.example.org/courses/ccx-v1:OrgX+CS101+2017_T2+ccx@7',
      'oai:eco.example.org:ccx-v1:OrgX+CS101+2017_T2+ccx@7',
    ]);
  });
});
