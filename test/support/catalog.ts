/** Catalogue records for tests. */

/** A course ECO can show. */
export function fullCourse(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    platform: 'edx',
    platformCourseId: id,
    titles: { en: `Course ${id}`, es: `Curso ${id}` },
    descriptions: { en: 'Loops, functions and data.' },
    languages: ['en'],
    url: `https://lms.example.org/courses/${id}/about`,
    organisation: 'OrgX University',
    startDate: '2026-03-01',
    endDate: '2026-05-31',
    units: 6,
    studyLoadHours: 4,
    typicalLearningTime: 'PT24H',
    interestArea: 'ECO:TS',
    imageUrl: 'https://lms.example.org/static/cs101.png',
    ...overrides,
  };
}

/** A 1×1 PNG, for course image uploads. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
