import { describe, expect, it } from 'vitest';
import { RunIris } from '../../../src/reports/futurelearn/run-iris.js';
import { MAX_DAY_COLUMNS, stepHeatmap } from '../../../src/reports/futurelearn/step-heatmap.js';
import type { Statement } from '../../../src/xapi/types.js';
import { futurelearnStatements } from '../../support/futurelearn-statements.js';

const RUN = { course: 'long-run', run: '4' };
const fl = futurelearnStatements(RUN);

/** The heat map of some first visits: [learner, week, step, ISO time]. */
function heatmapOf(visits: [string, number, number, string][]) {
  const map = stepHeatmap(new RunIris(RUN));
  for (const [learner, week, step, time] of visits) map.add(fl.visited(learner, week, step, time) as unknown as Statement);
  return map.result();
}

describe('the step-by-date heat map', () => {
  it(`has a column per day up to ${MAX_DAY_COLUMNS} days, counting each learner once per step on their earliest visit`, () => {
    // 5 January to 6 April 2026: 92 days.
    const h = heatmapOf([['a', 1, 1, '2026-01-05T09:00:00Z'], ['a', 1, 1, '2026-01-07T09:00:00Z'], ['b', 1, 1, '2026-04-06T23:59:00Z']]);
    expect(h.unit).toBe('day');
    expect(h.columns).toHaveLength(92);
    expect(h.steps).toEqual([{ week: 1, step: 1, learners: [1, ...Array(90).fill(0), 1] }]);
  });

  it('goes over to calendar weeks, by their Mondays, when the visits span more days', () => {
    // Monday 5 January to Tuesday 7 April 2026: 93 days, 14 weeks.
    const h = heatmapOf([['a', 1, 1, '2026-01-05T09:00:00Z'], ['b', 1, 1, '2026-01-11T09:00:00Z'], ['a', 1, 2, '2026-04-07T10:00:00Z'], ['c', 1, 2, '2026-04-06T10:00:00Z']]);
    expect(h.unit).toBe('week');
    expect(h.columns).toHaveLength(14);
    expect([h.columns[0], h.columns[13]]).toEqual(['2026-01-05', '2026-04-06']);
    expect(h.steps).toEqual([
      { week: 1, step: 1, learners: [2, ...Array(13).fill(0)] }, // a Monday, b Sunday: one week
      { week: 1, step: 2, learners: [...Array(13).fill(0), 2] },
    ]);
    expect(h.max).toBe(2);
  });
});
