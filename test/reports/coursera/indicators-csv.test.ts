import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { CourseIndicators } from '../../../src/reports/coursera/course-indicators.js';
import { INDICATOR_NAMES } from '../../../src/reports/coursera/indicators.js';
import { courseraIndicatorsCsv, INDICATOR_CSV_COLUMNS } from '../../../src/reports/coursera/indicators-csv.js';
import type { ScaledIndicator } from '../../../src/reports/coursera/scaling.js';

/** Indicator n of a learner, with the values a computation leaves unrounded. */
const indicator = (n: number, value: number | null, more: Partial<ScaledIndicator> = {}): ScaledIndicator => ({
  indicator: n, name: INDICATOR_NAMES[n]!, value, scaled_value: value === null ? null : value / 10, max_used: { value: 100, source: 'bound' }, ...more,
});

const RESULT: CourseIndicators = {
  courseId: 'C1',
  at: '2026-03-12T00:00:00.000Z',
  statements: 9,
  learners: [{
    learner: 'pseudonym-a',
    indicators: [
      indicator(1, 100 / 3, { absolute_value: 1, total: 3, scaled_value: 10 / 3 }),
      indicator(2, 0.123456, { scaled_value: 2.0000000000000004 }),
      indicator(3, 200 / 3, { absolute_value: 2, total: 3 }),
      indicator(4, 12.345678),
      indicator(5, null, { reason: 'no cohortStart' }),
      indicator(6, 1 / 3),
      ...[7, 8, 9, 10, 11].map((n) => indicator(n, 0, { absolute_value: 0, total: 4 })),
      indicator(12, 33.333333333333336),
    ],
  }],
};

describe('the Coursera indicators CSV', () => {
  it('names each column for what it holds, never i1..i12', () => {
    expect(INDICATOR_CSV_COLUMNS.slice(0, 9)).toEqual([
      'learner', 'reviewed_percent', 'reviewed_count', 'reviewed_total', 'reviewed_scaled', 'forum_score', 'forum_scaled', 'efficiency_percent', 'efficiency_count',
    ]);
    expect(INDICATOR_CSV_COLUMNS).toContain('time_spent_minutes');
    expect(INDICATOR_CSV_COLUMNS).toContain('early_start_days');
    expect(INDICATOR_CSV_COLUMNS).toContain('completion_lectures_total');
    expect(INDICATOR_CSV_COLUMNS.at(-2)).toBe('current_grade_percent');
    expect(INDICATOR_CSV_COLUMNS.filter((c) => /^i\d+_/.test(c))).toEqual([]);
    expect(new Set(INDICATOR_CSV_COLUMNS).size).toBe(INDICATOR_CSV_COLUMNS.length);
  });

  it('rounds percentages to 1 decimal, ratios to 3, minutes to 1, days and the 0–10 scale to 2; null is an empty cell', () => {
    const [row] = parse(courseraIndicatorsCsv(RESULT), { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({
      learner: 'pseudonym-a',
      reviewed_percent: '33.3', reviewed_count: '1', reviewed_total: '3', reviewed_scaled: '3.33',
      forum_score: '0.123', forum_scaled: '2',
      efficiency_percent: '66.7',
      time_spent_minutes: '12.3',
      early_start_days: '', early_start_scaled: '',
      timeliness_days: '0.33',
      completion_all_percent: '0', completion_all_count: '0', completion_all_total: '4',
      current_grade_percent: '33.3', current_grade_scaled: '3.33',
    });
    for (const cell of Object.values(row!)) expect(cell).not.toMatch(/\.\d{4,}/);
  });
});
