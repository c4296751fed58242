/**
 * The funnel per week: per course week, how many joiners visited at least one of its
 * steps and completed at least one, and that in percent of the run's learners (joiners
 * who visited any step). The comparison of runs lines these up week by week.
 */
import type { LearnerActivity } from './learner-activity.js';
import { percentOf } from './overview.js';

/** One week of the funnel. */
export interface WeekFunnelRow {
  week: number;
  visited: number;
  completed: number;
  visitedPercent: number | null;
  completedPercent: number | null;
}

/** The weeks of the run's steps, in order. */
export function weekFunnelOf(activity: LearnerActivity): WeekFunnelRow[] {
  const weekOf = new Map([...activity.steps].map(([key, p]) => [key, p.week]));
  const weeks = [...new Set(weekOf.values())].sort((a, b) => a - b);
  const joiners = [...activity.learners.values()].filter((r) => r.joined);
  const learners = joiners.filter((r) => r.viewed.size > 0).length;
  const weeksIn = (steps: Set<string>) => new Set([...steps].map((k) => weekOf.get(k)));
  const visitedWeeks = joiners.map((r) => weeksIn(r.viewed));
  const completedWeeks = joiners.map((r) => weeksIn(r.completed));
  return weeks.map((week) => {
    const visited = visitedWeeks.filter((w) => w.has(week)).length;
    const completed = completedWeeks.filter((w) => w.has(week)).length;
    return { week, visited, completed, visitedPercent: percentOf(visited, learners), completedPercent: percentOf(completed, learners) };
  });
}
