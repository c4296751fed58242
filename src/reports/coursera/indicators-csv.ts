/**
 * The Coursera indicators of every learner of a course as one CSV (UTF-8, RFC 4180, a
 * header row): `learner` (the pseudonym), then for each indicator n
 * `i<n>_value,i<n>_absolute,i<n>_total,i<n>_scaled`; empty cells where there is nothing.
 */
import { once } from 'node:events';
import { csvText } from '../table.js';
import type { CourseIndicators, CourseIndicatorDeps } from './course-indicators.js';
import { CourseraIndicatorService } from './course-indicators.js';

const NUMBERS = Array.from({ length: 12 }, (_, i) => i + 1);

/** The header row. */
export const INDICATOR_CSV_COLUMNS = ['learner', ...NUMBERS.flatMap((n) => [`i${n}_value`, `i${n}_absolute`, `i${n}_total`, `i${n}_scaled`])];

/** The CSV text of a course's indicators. */
export function courseraIndicatorsCsv(result: CourseIndicators): string {
  const rows = result.learners.map(({ learner, indicators }) => {
    const byNumber = new Map(indicators.map((i) => [i.indicator, i]));
    return [
      learner,
      ...NUMBERS.flatMap((n) => {
        const i = byNumber.get(n);
        return [i?.value, i?.absolute_value, i?.total, i?.scaled_value].map((v) => (v === undefined || v === null ? '' : String(v)));
      }),
    ];
  });
  return csvText([INDICATOR_CSV_COLUMNS, ...rows]);
}

/**
 * Computes a course's indicators at `at` (default now) and writes them as CSV to `output`;
 * returns how many learners and statements there were.
 * @example await writeCourseraIndicatorsCsv({ database, statements }, 'C1', process.stdout);
 */
export async function writeCourseraIndicatorsCsv(
  deps: CourseIndicatorDeps,
  courseId: string,
  output: NodeJS.WritableStream,
  at?: Date,
): Promise<{ learners: number; statements: number }> {
  const result = await new CourseraIndicatorService(deps).courseIndicators(courseId, at);
  if (!output.write(courseraIndicatorsCsv(result))) await once(output, 'drain');
  return { learners: result.learners.length, statements: result.statements };
}
