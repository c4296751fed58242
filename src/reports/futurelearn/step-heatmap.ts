/**
 * The step-by-date activity heat map: per step of the run (rows, in course order) and per
 * UTC day (columns, every day from the first visit to the last), the learners who first
 * visited the step that day (`viewed`, FutureLearn's `first_visited_at`). A learner
 * counts once per step, on the day of their earliest visit statement.
 */
import { VERB } from '../../xapi/vocabulary.js';
import type { ReportTable } from '../table.js';
import { dayOf, daysBetween, spanOf } from './days.js';
import type { RunAccumulator } from './learner-activity.js';
import { compareSteps, learnerOf, objectIdOf, stepKey, type RunIris, type StepPosition } from './run-iris.js';

/** One step's row: learners per day, in the order of `days`. */
export interface HeatmapRow extends StepPosition {
  learners: number[];
}

/** The heat map: its columns (days) and its rows (steps). */
export interface StepHeatmap {
  days: string[];
  steps: HeatmapRow[];
  /** The most learners in one cell: the darkest shade. */
  max: number;
}

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
      const column = new Map(days.map((d, i) => [d, i]));
      const rows = new Map([...steps].map(([key, p]) => [key, { ...p, learners: days.map(() => 0) }]));
      for (const v of firstVisit.values()) rows.get(v.step)!.learners[column.get(v.day)!]! += 1;
      const sorted = [...rows.values()].sort(compareSteps);
      return { days, steps: sorted, max: Math.max(0, ...sorted.flatMap((r) => r.learners)) };
    },
  };
}

/** The heat map as a report table, one row per step and day with a first visit. */
export function stepHeatmapTable(h: StepHeatmap): ReportTable {
  return {
    name: 'step_first_visits',
    description: 'per step and UTC day: learners who first visited the step that day (days without a first visit are left out)',
    columns: [
      { name: 'week', description: 'week number' },
      { name: 'step', description: 'step number within the week' },
      { name: 'day', description: 'the day, YYYY-MM-DD (UTC)' },
      { name: 'learners', description: 'learners whose first visit of the step was that day' },
    ],
    rows: h.steps.flatMap((r) => r.learners.flatMap((n, i) => (n === 0 ? [] : [[r.week, r.step, h.days[i]!, n]]))),
  };
}
