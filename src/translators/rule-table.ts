/**
 * What the rule-table translators (Coursera, FutureLearn, Khan Academy) share: the
 * record of one type out of a source's record union, and activities without names
 * (course, item and badge titles are not carried into statements).
 */
import type { ActivityType } from '../xapi/vocabulary.js';
import type { Activity } from '../xapi/types.js';

/** The member of the record union `U` whose `type` is `K`: the record a rule of type `K` reads. */
export type RecordOfType<U, K> = U extends { type: infer T } ? (K extends T ? U : never) : never;

/** An Activity of `type`, without a name. */
export function activity(id: string, type: ActivityType): Activity {
  return { objectType: 'Activity', id, definition: { type: type.id } };
}
