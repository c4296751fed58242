/**
 * FutureLearn's stats overview of a run, from statements. Every figure counts joiners
 * only (learners with a `registered` statement of the run), so that each is a share of
 * the joiners; docs/futurelearn-reports.md defines each one.
 */
import type { LearnerActivity, LearnerRecord } from './learner-activity.js';

/** One figure of the overview. */
export interface OverviewFigure {
  /** Stable name, e.g. `active_learners`. */
  figure: string;
  description: string;
  learners: number;
  /** Share of the joiners in percent, one decimal; null without joiners. */
  percentOfJoiners: number | null;
}

/** `100·n/d` rounded to one decimal, or null when `d` is 0. */
export const percentOf = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n * 1000) / d) / 10);

// Each rule sees one joiner and the number of steps the run has.
const FIGURES: { figure: string; description: string; counts: (r: LearnerRecord, steps: number) => boolean }[] = [
  { figure: 'joiners', description: 'learners who registered (joined the run)', counts: () => true },
  { figure: 'leavers', description: 'joiners who unregistered or answered the leaving survey', counts: (r) => r.left },
  { figure: 'learners', description: 'joiners who visited at least one step', counts: (r) => r.viewed.size > 0 },
  { figure: 'active_learners', description: 'joiners who completed at least one step', counts: (r) => r.completed.size > 0 },
  { figure: 'returning_learners', description: 'joiners who completed steps in at least two distinct weeks', counts: (r) => r.completedWeeks.size >= 2 },
  { figure: 'social_learners', description: 'joiners who posted or replied to at least one comment', counts: (r) => r.commented },
  { figure: 'fully_participating_learners', description: 'joiners who completed the run (FutureLearn\'s "fully participated")', counts: (r) => r.fullyParticipated },
  // Integer comparisons: 2·completed ≥ steps is exactly "at least half", with no rounding.
  { figure: 'completed_50_percent', description: 'joiners who completed at least 50% of the run\'s steps', counts: (r, steps) => steps > 0 && r.completed.size * 2 >= steps },
  { figure: 'completed_90_percent', description: 'joiners who completed at least 90% of the run\'s steps', counts: (r, steps) => steps > 0 && r.completed.size * 10 >= steps * 9 },
  { figure: 'statements_bought', description: 'joiners who bought a statement of participation', counts: (r) => r.boughtStatement },
];

/** The overview of a run from its learners' activity. */
export function overviewOf(activity: LearnerActivity): OverviewFigure[] {
  const joiners = [...activity.learners.values()].filter((r) => r.joined);
  const steps = activity.steps.size;
  return FIGURES.map(({ figure, description, counts }) => {
    const learners = joiners.filter((r) => counts(r, steps)).length;
    return { figure, description, learners, percentOfJoiners: percentOf(learners, joiners.length) };
  });
}
