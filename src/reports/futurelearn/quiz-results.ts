/**
 * Quiz results per question: responses, correct responses, the share correct, distinct
 * learners and how many of them were right on their first response. "First" is by the
 * statement's timestamp (when the learner submitted), not by when the LRS stored it.
 */
import { VERB } from '../../xapi/vocabulary.js';
import type { RunAccumulator } from './learner-activity.js';
import { percentOf } from './overview.js';
import { compareSteps, learnerOf, objectIdOf, type QuestionPosition, type RunIris } from './run-iris.js';

/** One question's results. */
export interface QuizRow {
  week: number;
  step: number;
  question: number;
  responses: number;
  correct: number;
  /** Correct responses in percent of responses, one decimal. */
  percentCorrect: number | null;
  learners: number;
  learnersCorrectFirst: number;
  /** Responses of learners FutureLearn erased: in FutureLearn's own totals, not in these (run-stats.ts). */
  leftOut?: number;
}

interface Question {
  position: QuestionPosition;
  responses: number;
  correct: number;
  /** Per learner: the time and outcome of the earliest response. */
  first: Map<string, { time: number; id: string; correct: boolean }>;
}

/** Gathers the answers to the run's quiz questions. */
export function quizResults(iris: RunIris): RunAccumulator<QuizRow[]> {
  const questions = new Map<string, Question>();
  return {
    add(s) {
      if (s.verb.id !== VERB.answered.id) return;
      const id = objectIdOf(s);
      const position = iris.questionOf(id);
      if (position === undefined) return;
      const q = questions.get(id) ?? { position, responses: 0, correct: 0, first: new Map() };
      questions.set(id, q);
      const correct = s.result?.success === true;
      q.responses += 1;
      if (correct) q.correct += 1;
      const learner = learnerOf(s);
      const time = Date.parse(s.timestamp ?? '');
      const at = Number.isNaN(time) ? Infinity : time;
      const known = q.first.get(learner);
      // Equal times: the statement id decides, so the result does not depend on read order.
      if (known === undefined || at < known.time || (at === known.time && (s.id ?? '') < known.id)) q.first.set(learner, { time: at, id: s.id ?? '', correct });
    },
    result: () =>
      [...questions.values()]
        .sort((a, b) => compareSteps(a.position, b.position) || a.position.question - b.position.question)
        .map((q) => ({
          ...q.position,
          responses: q.responses,
          correct: q.correct,
          percentCorrect: percentOf(q.correct, q.responses),
          learners: q.first.size,
          learnersCorrectFirst: [...q.first.values()].filter((f) => f.correct).length,
        })),
  };
}
