/**
 * The step funnel of a run: per step, in course order, how many joiners visited it and
 * completed it, and what share of the run's learners (joiners who visited any step)
 * that is. A step no one visited still has its row, so drop-off shows as zeros.
 */
import type { LearnerActivity } from './learner-activity.js';
import { percentOf } from './overview.js';
import { compareSteps, stepKey } from './run-iris.js';

/** One step of the funnel. */
export interface FunnelRow {
  week: number;
  step: number;
  visited: number;
  completed: number;
  /** Shares of the run's learners in percent, one decimal; null without learners. */
  visitedPercent: number | null;
  completedPercent: number | null;
}

/** The funnel, ordered by week then step. */
export function stepFunnelOf(activity: LearnerActivity): FunnelRow[] {
  const joiners = [...activity.learners.values()].filter((r) => r.joined);
  const learners = joiners.filter((r) => r.viewed.size > 0).length;
  return [...activity.steps.values()].sort(compareSteps).map((p) => {
    const key = stepKey(p);
    const visited = joiners.filter((r) => r.viewed.has(key)).length;
    const completed = joiners.filter((r) => r.completed.has(key)).length;
    return { week: p.week, step: p.step, visited, completed, visitedPercent: percentOf(visited, learners), completedPercent: percentOf(completed, learners) };
  });
}
