/**
 * The step-by-date activity heat map: per step of the run (rows, in course order) and per
 * UTC day (columns, every day from the first visit to the last), the learners who first
 * visited the step that day (`viewed`, FutureLearn's `first_visited_at`). A learner
 * counts once per step, on the day of their earliest visit statement. Visits spread over
 * more than `MAX_DAY_COLUMNS` days (learners keep joining long after a run) are put in
 * calendar weeks instead, so the page stays a readable size.
 */
import { VERB } from '../../xapi/vocabulary.js';
import type { ReportTable } from '../table.js';
import { dayOf, daysBetween, mondayOf, spanOf } from './days.js';
import type { RunAccumulator } from './learner-activity.js';
import { compareSteps, learnerOf, objectIdOf, stepKey, type RunIris, type StepPosition } from './run-iris.js';

/** One step's row: learners per column, in the order of `columns`. */
export interface HeatmapRow extends StepPosition {
  learners: number[];
}

/** The heat map: its columns (days, or the Mondays of weeks) and its rows (steps). */
export interface StepHeatmap {
  /** `day`: a column per day; `week`: a column per calendar week (Monday first), named by its Monday. */
  unit: 'day' | 'week';
  columns: string[];
  steps: HeatmapRow[];
  /** The most learners in one cell: the darkest shade. */
  max: number;
}

/** The most day columns; a longer span is shown in weeks. */
export const MAX_DAY_COLUMNS = 92;

/** Gathers each learner's first visit of each step. */
export function stepHeatmap(iris: RunIris): RunAccumulator<StepHeatmap> {
  const steps = new Map<string, StepPosition>();
  // `<learner>\n<week.step>` → day of the earliest visit.
  const firstVisit = new Map<string, { step: string; day: string }>();
  return {
    add(s) {
      if (s.verb.id !== VERB.viewed.id) return;
      const step = iris.stepOf(objectIdOf(s));
      const day = dayOf(s.timestamp);
      if (step === undefined || day === undefined || iris.questionOf(objectIdOf(s)) !== undefined) return;
      const key = stepKey(step);
      steps.set(key, step);
      const id = `${learnerOf(s)}\n${key}`;
      const known = firstVisit.get(id);
      if (known === undefined || day < known.day) firstVisit.set(id, { step: key, day });
    },
    result() {
      const span = spanOf([...firstVisit.values()].map((v) => v.day));
      const days = span === undefined ? [] : daysBetween(span.first, span.last);
      const unit = days.length > MAX_DAY_COLUMNS ? 'week' : 'day';
      const columnOf = unit === 'day' ? (day: string) => day : mondayOf;
      const columns = unit === 'day' || span === undefined ? days : daysBetween(mondayOf(span.first), mondayOf(span.last), 7);
      const index = new Map(columns.map((c, i) => [c, i]));
      const rows = new Map([...steps].map(([key, p]) => [key, { ...p, learners: columns.map(() => 0) }]));
      for (const v of firstVisit.values()) rows.get(v.step)!.learners[index.get(columnOf(v.day))!]! += 1;
      const sorted = [...rows.values()].sort(compareSteps);
      return { unit, columns, steps: sorted, max: Math.max(0, ...sorted.flatMap((r) => r.learners)) };
    },
  };
}

/** The heat map as a report table, one row per step and day with a first visit. */
export function stepHeatmapTable(h: StepHeatmap): ReportTable {
  return {
    name: 'step_first_visits',
    description: `per step and UTC day: learners who first visited the step that day (days without a first visit are left out); when the visits span more than ${MAX_DAY_COLUMNS} days, per calendar week instead`,
    columns: [
      { name: 'week', description: 'week number' },
      { name: 'step', description: 'step number within the week' },
      { name: 'day', description: 'the day, YYYY-MM-DD (UTC); the Monday of the calendar week when counted per week' },
      { name: 'per', description: 'day, or week: what the row counts' },
      { name: 'learners', description: 'learners whose first visit of the step was that day (or week)' },
    ],
    rows: h.steps.flatMap((r) => r.learners.flatMap((n, i) => (n === 0 ? [] : [[r.week, r.step, h.columns[i]!, h.unit, n]]))),
  };
}
