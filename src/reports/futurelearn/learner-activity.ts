/**
 * What each learner of a run did, gathered from the run's statements: the one pass the
 * overview and the step funnel are both computed from. Also the steps the run has, as
 * far as its statements show them (the datasets never list a run's steps).
 */
import type { Statement } from '../../xapi/types.js';
import { VERB } from '../../xapi/vocabulary.js';
import { learnerOf, objectIdOf, stepKey, type RunIris, type StepPosition } from './run-iris.js';

/** One learner's activity in the run. */
export interface LearnerRecord {
  joined: boolean;
  left: boolean;
  /** Steps visited and completed, by `week.step`. */
  viewed: Set<string>;
  completed: Set<string>;
  /** Weeks in which the learner completed a step. */
  completedWeeks: Set<number>;
  commented: boolean;
  fullyParticipated: boolean;
  boughtStatement: boolean;
}

/** Every learner's record and every step seen, by `week.step`. */
export interface LearnerActivity {
  learners: Map<string, LearnerRecord>;
  steps: Map<string, StepPosition>;
}

/** An accumulator of one report: fed every statement of the run once, then asked for its result. */
export interface RunAccumulator<T> {
  add(s: Statement): void;
  result(): T;
}

const newRecord = (): LearnerRecord => ({
  joined: false,
  left: false,
  viewed: new Set(),
  completed: new Set(),
  completedWeeks: new Set(),
  commented: false,
  fullyParticipated: false,
  boughtStatement: false,
});

/** Gathers each learner's activity and the run's steps. */
export function learnerActivity(iris: RunIris): RunAccumulator<LearnerActivity> {
  const learners = new Map<string, LearnerRecord>();
  const steps = new Map<string, StepPosition>();
  const recordOf = (learner: string) => {
    const found = learners.get(learner);
    if (found !== undefined) return found;
    const created = newRecord();
    learners.set(learner, created);
    return created;
  };
  return {
    add(s) {
      const object = objectIdOf(s);
      const verb = s.verb.id;
      // A step counts as the run's whether a learner visited it, commented on it or answered its quiz.
      const step = iris.stepOfStatement(s);
      if (step !== undefined) steps.set(stepKey(step), step);
      const r = recordOf(learnerOf(s));
      if (object === iris.run) {
        if (verb === VERB.registered.id) r.joined = true;
        else if (verb === VERB.unregistered.id || verb === VERB.left.id) r.left = true;
        else if (verb === VERB.completed.id) r.fullyParticipated = true;
      } else if (object === iris.certificate && verb === VERB.earned.id) {
        r.boughtStatement = true;
      } else if (iris.isComment(object) && (verb === VERB.posted.id || verb === VERB.replied.id)) {
        r.commented = true;
      } else if (step !== undefined && iris.stepOf(object) !== undefined && iris.questionOf(object) === undefined) {
        if (verb === VERB.viewed.id) r.viewed.add(stepKey(step));
        else if (verb === VERB.completed.id) {
          r.completed.add(stepKey(step));
          r.completedWeeks.add(step.week);
        }
      }
    },
    result: () => ({ learners, steps }),
  };
}
