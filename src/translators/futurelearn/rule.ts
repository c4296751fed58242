/**
 * The shape of a FutureLearn rule: what one dataset's row becomes. A row may give
 * several statements, one per event it records (an enrolment row up to four), each
 * only when its time is there. Rules read the typed record only; the engine
 * (`../futurelearn.ts`) adds id, actor, timestamp, platform, the parents
 * [run, week?, step?], the source type and the week and step extensions, once for all.
 */
import type { FutureLearnRecord, StepPlace } from '../../ingest/futurelearn/records.js';
import type { Activity, Extensions, Result, Verb } from '../../xapi/types.js';
import { ACTIVITY_TYPE } from '../../xapi/vocabulary.js';
import { activity, type RecordOfType } from '../rule-table.js';
import { futurelearnIri, type RunKey } from './iris.js';

/** One statement a row may give. */
export interface FutureLearnStatementRule<R> {
  /** Which event of the row this is (`enrolled`, `completed`): the last part of the id key. */
  what: string;
  /** When it happened; undefined when the row says it did not happen: then no statement. */
  time: (r: R) => string | undefined;
  verb: Verb;
  object: (r: R) => Activity;
  /** `contextActivities.other`: the comment a reply answers. */
  other?: (r: R) => Activity[];
  result?: (r: R) => Result | undefined;
}

/** How one dataset's row becomes statements. */
export interface FutureLearnRule<R> {
  /** The row's learner id (`learner_id`, `author_id`, `reviewer_id`), pseudonymized by the engine. */
  learner: (r: R) => string;
  /** The row's stable key within its dataset and run: the same row always gives the same ids. */
  key: (r: R) => string;
  /** Whether the row gives statements at all; rows that do not are counted as ignored. */
  applies?: (r: R) => boolean;
  /** The step the row names, for the week and step parents and the index extensions. */
  place?: (r: R) => StepPlace;
  /** Context extensions of the row besides those the engine adds. */
  extensions?: (r: R) => Extensions;
  statements: FutureLearnStatementRule<R>[];
}

/** A rule (or `'ignore'`) for every record type, keyed by the exact dataset name. */
export type FutureLearnRuleTable<U extends { type: string } = FutureLearnRecord> = {
  [K in U['type']]: FutureLearnRule<RecordOfType<U, K>> | 'ignore';
};

/** The course run, week and step Activities of the docs' IRI table. */
export const runActivity = (run: RunKey) => activity(futurelearnIri.run(run), ACTIVITY_TYPE.course);
/** A week of a run. */
export const weekActivity = (run: RunKey, week: number) => activity(futurelearnIri.week(run, week), ACTIVITY_TYPE.module);
/** A step of a run, by its place. */
export const stepActivity = (run: RunKey, p: StepPlace) => activity(futurelearnIri.step(run, p.week, p.step), ACTIVITY_TYPE.page);
