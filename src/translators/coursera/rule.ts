/**
 * The shape of a Coursera rule: what one table or clickstream page type becomes. Rules
 * read the typed record and the context (course, the item's place in the structure);
 * the engine (`../coursera.ts`) adds id, actor, timestamp, platform, the parents
 * [course, module, lesson], the source type and the item extensions, once for all.
 */
import type { CourseraRecord } from '../../ingest/coursera/records.js';
import type { StructureItem } from '../../ingest/coursera/structure.js';
import type { Activity, Result, Verb } from '../../xapi/types.js';
import { ACTIVITY_TYPE } from '../../xapi/vocabulary.js';
import { activity, type RecordOfType } from '../rule-table.js';
import { courseraIri, itemActivityType } from './iris.js';

/** What a rule may read besides the record: the course, and the structure's item when the rule names one. */
export interface CourseraRuleContext {
  courseId: string;
  /** The structure's entry of `rule.item(r)`, when the structure has it. */
  item?: StructureItem;
}

/** How one source type becomes a statement. */
export interface CourseraRule<R> {
  /** The verb; a function may return undefined for rows that are no learning activity. */
  verb: Verb | ((r: R) => Verb | undefined);
  object: (r: R, c: CourseraRuleContext) => Activity;
  /** The row's stable key after its type: the same row always gives the same statement id. */
  key: (r: R) => string;
  /** The item the statement is about, for the module and lesson parents and the item extensions. */
  item?: (r: R) => string | undefined;
  /** Parents after [course, module, lesson]: the thread of an answer, the prompt of a question. */
  parents?: (r: R, c: CourseraRuleContext) => Activity[];
  /** `contextActivities.other`: the answer an answer replies to. */
  other?: (r: R, c: CourseraRuleContext) => Activity[];
  result?: (r: R) => Result | undefined;
}

/** A rule (or `'ignore'`) for every record type, keyed by the exact table name or `clickstream:<page type>`. */
export type CourseraRuleTable<U extends { type: string } = CourseraRecord> = {
  [K in U['type']]: CourseraRule<RecordOfType<U, K>> | 'ignore';
};

/** The course as an Activity. */
export const courseActivity = (courseId: string) => activity(courseraIri.course(courseId), ACTIVITY_TYPE.course);

/** An item as an Activity, typed by its category in the structure, else by `fallbackCategory` (the URL's). */
export function itemActivity(c: CourseraRuleContext, itemId: string, fallbackCategory?: string): Activity {
  return activity(courseraIri.item(c.courseId, itemId), itemActivityType(c.item?.category ?? fallbackCategory));
}
