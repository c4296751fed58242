/**
 * The Coursera indicators of every learner of a course as one table, written as CSV by
 * the one writer (table.ts): `learner` (the pseudonym), then for each indicator its value
 * named by what it measures (`reviewed_percent`, `time_spent_minutes`, ...), the count
 * and total behind a percentage, and the 0–10 scaled value; numbers rounded by
 * numbers.ts; empty cells where there is nothing. docs/reports/coursera.md lists them.
 */
import { once } from 'node:events';
import { rounded, type Measure } from '../numbers.js';
import { csvOf, type Cell, type Column, type ReportTable } from '../table.js';
import type { CourseIndicators, CourseIndicatorDeps } from './course-indicators.js';
import { CourseraIndicatorService } from './course-indicators.js';
import { INDICATOR_NAMES } from './indicators.js';
import type { ScaledIndicator } from './scaling.js';

/** Per indicator: what its value measures and means; `counts` names the count and total of a percentage. */
const INDICATORS: { n: number; measure: Measure; value: string; counts?: [count: string, total: string] }[] = [
  { n: 1, measure: 'percent', value: 'completed items viewed again after their completion, in percent of completed items', counts: ['completed items viewed again', 'items completed'] },
  { n: 2, measure: 'ratio', value: 'weighted forum questions and answers per forum visit (docs/coursera-indicators.md)' },
  { n: 3, measure: 'percent', value: 'items completed on the day they were started, in percent of completed items', counts: ['items completed on the day they were started', 'items completed'] },
  { n: 4, measure: 'minutes', value: 'minutes of study in sessions (split at 30-minute gaps)' },
  { n: 5, measure: 'days', value: 'mean days ahead of the module deadline at which the learner began a module (0 to 7)' },
  { n: 6, measure: 'days', value: 'mean days ahead of the module deadline at which items were completed (0 to 7)' },
  { n: 7, measure: 'percent', value: 'course items completed, in percent of the items open so far', counts: ['items completed', 'items open so far'] },
  { n: 8, measure: 'percent', value: 'discussion prompts completed, in percent of those open so far', counts: ['discussion prompts completed', 'discussion prompts open so far'] },
  { n: 9, measure: 'percent', value: 'peer assignments completed, in percent of those open so far', counts: ['peer assignments completed', 'peer assignments open so far'] },
  { n: 10, measure: 'percent', value: 'supplements completed, in percent of those open so far', counts: ['supplements completed', 'supplements open so far'] },
  { n: 11, measure: 'percent', value: 'lectures completed, in percent of those open so far', counts: ['lectures completed', 'lectures open so far'] },
  { n: 12, measure: 'percent', value: 'current grade: weighted best scores, in percent' },
];

// `_percent`, `_minutes`, ... after the name; a ratio is a score.
const SUFFIX: Record<Measure, string> = { percent: 'percent', ratio: 'score', minutes: 'minutes', days: 'days', scale: 'scaled' };

/** The columns of one indicator and how a learner's indicator fills them. */
const PARTS = INDICATORS.map(({ n, measure, value, counts }) => {
  const name = INDICATOR_NAMES[n]!;
  const columns: Column[] = [
    { name: `${name}_${SUFFIX[measure]}`, description: `indicator ${n}: ${value}; empty when the course cannot give it` },
    ...(counts === undefined ? [] : [
      { name: `${name}_count`, description: `indicator ${n}: ${counts[0]}` },
      { name: `${name}_total`, description: `indicator ${n}: ${counts[1]}` },
    ]),
    { name: `${name}_scaled`, description: `indicator ${n} on the widget's 0–10 scale` },
  ];
  const cells = (i: ScaledIndicator | undefined): Cell[] => [
    rounded(i?.value, measure),
    ...(counts === undefined ? [] : [i?.absolute_value ?? null, i?.total ?? null]),
    rounded(i?.scaled_value, 'scale'),
  ];
  return { n, columns, cells };
});

/** The header row. */
export const INDICATOR_CSV_COLUMNS = ['learner', ...PARTS.flatMap((p) => p.columns.map((c) => c.name))];

/** A course's indicators as a report table, one row per learner. */
export function courseraIndicatorsTable(result: CourseIndicators): ReportTable {
  return {
    name: 'indicators',
    description: 'the 12 learner indicators of the Coursera learning-tracker widget at the time asked for (`at`, default now), one row per learner',
    columns: [{ name: 'learner', description: 'pseudonym of the learner' }, ...PARTS.flatMap((p) => p.columns)],
    rows: result.learners.map(({ learner, indicators }) => {
      const byNumber = new Map(indicators.map((i) => [i.indicator, i]));
      return [learner, ...PARTS.flatMap((p) => p.cells(byNumber.get(p.n)))];
    }),
  };
}

/** The CSV text of a course's indicators. */
export function courseraIndicatorsCsv(result: CourseIndicators): string {
  return csvOf(courseraIndicatorsTable(result));
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
