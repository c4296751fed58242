/**
 * The shape of an edX rule: what one event type becomes. Rules read the normalized
 * event and the course it belongs to; the engine (`../edx.ts`) adds id, actor,
 * timestamp, the course as parent and the source type, once for all (STYLE.md).
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Activity, Extensions, Result, Verb } from '../../xapi/types.js';
import type { CourseKey, EdxIris } from './ids.js';

/** What a rule may read besides the event: the course, the IRI builder, the free-text policy. */
export interface RuleContext {
  course: CourseKey;
  iris: EdxIris;
  /** Learner-typed text as the statement may hold it: kept, a keyed digest, or undefined (dropped). */
  freeText: FreeText;
}

/** The policy for learner-typed text (`EDX_FREE_TEXT`): the text to keep, or undefined to drop it. */
export type FreeText = (text: string) => string | undefined;

/** How one event type becomes a statement. Functions throw `FieldError` for a missing or bad field. */
export interface EdxRule {
  verb: Verb | ((e: EdxEvent) => Verb);
  object: (e: EdxEvent, c: RuleContext) => Activity;
  result?: (e: EdxEvent, c: RuleContext) => Result | undefined;
  /** Parents besides the course: the section, unit or thread the event names. */
  parents?: (e: EdxEvent, c: RuleContext) => Activity[];
  /** Context extensions of this event type. */
  extensions?: (e: EdxEvent, c: RuleContext) => Extensions;
  /** Profiles the statement follows, for `contextActivities.category`. */
  category?: Activity[];
  /** The learner the event is about when the payload names one (`event.user_id`), else the request's user. */
  learner?: (e: EdxEvent) => string | undefined;
  /** Outside any course (no course id), the event is no learning activity rather than bad input. */
  outsideCourse?: 'ignore';
}

/**
 * Why an event gives no statement although nothing is wrong with it. Each is counted
 * under its own name in a run's summary, so an operator sees what was left out and why.
 */
export type IgnoredReason =
  | 'not learning activity'
  | 'no learner'
  | 'course not selected'
  /** The browser's copy of what the server logged too (`problem_graded` beside `problem_check`). */
  | 'browser echo of a server event'
  /** The request of an action that an event records too (a forum post since 2015): the event is the statement. */
  | 'request twin of an event'
  /** The server's record of what the learner's click recorded first (`reset_problem` beside `problem_reset`). */
  | 'server twin of a browser event'
  /** Logged by Studio, where staff author the course: no learner learns there. */
  | 'Studio (course authoring)'
  /** Logged by the preview LMS, where staff see the course as learners will. */
  | 'preview LMS (staff preview)';

/** A table entry for an event type that gives no statement for a reason other than "not learning activity". */
export interface Ignored {
  ignore: IgnoredReason;
}

/** A rule per event source, for event types that edX emits from server and browser alike. */
export interface BySource {
  bySource: Partial<Record<'server' | 'browser' | 'mobile', EdxRule | 'ignore' | Ignored>>;
}

/** An entry of the rule table: a rule, a rule per source, or no statement (`'ignore'`: not learning activity). */
export type EdxRuleEntry = EdxRule | BySource | Ignored | 'ignore';

/** A table of rules keyed by the exact edX event type, so a grep for an event finds its rule. */
export type EdxRuleTable = Record<string, EdxRuleEntry>;
