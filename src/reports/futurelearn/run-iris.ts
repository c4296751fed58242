/**
 * Reading a FutureLearn statement back: which learner, which step, question or comment.
 * The reports recognise things by the IRIs of `src/translators/futurelearn/iris.ts`
 * (docs/futurelearn.md), never by display names, so they agree with the translator on
 * one id per thing.
 */
import { futurelearnIri, type RunKey } from '../../translators/futurelearn/iris.js';
import type { Statement } from '../../xapi/types.js';

/** A step by its position in the run. */
export interface StepPosition {
  week: number;
  step: number;
}

/** A quiz question: its step and its number within the step. */
export interface QuestionPosition extends StepPosition {
  question: number;
}

/** The learner's account name (a pseudonym), or '' for an actor without an account. */
export const learnerOf = (s: Statement): string => (s.actor as { account?: { name?: string } }).account?.name ?? '';

/** The object's id, or '' when the object is not an activity. */
export const objectIdOf = (s: Statement): string => (s.object as { id?: string }).id ?? '';

/** Orders steps by week, then step within the week (1.2 before 1.10). */
export const compareSteps = (a: StepPosition, b: StepPosition): number => a.week - b.week || a.step - b.step;

/** `week.step`, the form FutureLearn writes a step position in. */
export const stepKey = (p: StepPosition): string => `${p.week}.${p.step}`;

/** The IRIs of one run and how to parse its step, question and comment IRIs. */
export class RunIris {
  /** The run's activity id. */
  readonly run: string;
  /** The run's statement of participation. */
  readonly certificate: string;
  private readonly steps: string;
  private readonly comments: string;

  constructor(key: RunKey) {
    this.run = futurelearnIri.run(key);
    this.certificate = futurelearnIri.statementOfParticipation(key);
    this.steps = `${this.run}/steps/`;
    this.comments = `${this.run}/comments/`;
  }

  /** The step an IRI names (a step, or a question of a step), or undefined. */
  stepOf(iri: string): StepPosition | undefined {
    if (!iri.startsWith(this.steps)) return undefined;
    const m = /^(\d+)\.(\d+)(?:\/questions\/\d+)?$/.exec(iri.slice(this.steps.length));
    return m === null ? undefined : { week: Number(m[1]), step: Number(m[2]) };
  }

  /** The quiz question an IRI names, or undefined. */
  questionOf(iri: string): QuestionPosition | undefined {
    if (!iri.startsWith(this.steps)) return undefined;
    const m = /^(\d+)\.(\d+)\/questions\/(\d+)$/.exec(iri.slice(this.steps.length));
    return m === null ? undefined : { week: Number(m[1]), step: Number(m[2]), question: Number(m[3]) };
  }

  /** Whether the IRI is a comment of this run. */
  isComment(iri: string): boolean {
    return iri.startsWith(this.comments);
  }

  /** The step a statement is about: its object, else the step among its parents (comments, reviews). */
  stepOfStatement(s: Statement): StepPosition | undefined {
    const own = this.stepOf(objectIdOf(s));
    if (own !== undefined) return own;
    for (const parent of s.context?.contextActivities?.parent ?? []) {
      const step = this.stepOf(parent.id);
      if (step !== undefined) return step;
    }
    return undefined;
  }

  /** The run's display name where a statement gives one (object or parent), in any language. */
  runNameIn(s: Statement): string | undefined {
    const activities = [s.object as { id?: string; definition?: { name?: Record<string, string> } }, ...(s.context?.contextActivities?.parent ?? [])];
    const run = activities.find((a) => a.id === this.run && a.definition?.name !== undefined);
    const names = run?.definition?.name ?? {};
    return names['en'] ?? names['en-GB'] ?? names['en-US'] ?? Object.values(names)[0];
  }
}
