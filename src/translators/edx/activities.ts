/** Activities that edX rules share: blocks in either id form, pages, the event's module. */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Activity } from '../../xapi/types.js';
import { ACTIVITY_TYPE, type ActivityType } from '../../xapi/vocabulary.js';
import { FieldError } from '../../xapi/fields.js';
import { required } from './fields.js';
import { parseBlockId } from './ids.js';
import type { RuleContext } from './rule.js';

/** The activity type of each edX block category; others are resources. */
const BLOCK_TYPES: Record<string, ActivityType> = {
  course: ACTIVITY_TYPE.course,
  chapter: ACTIVITY_TYPE.module,
  sequential: ACTIVITY_TYPE.lesson,
  vertical: ACTIVITY_TYPE.lesson,
  problem: ACTIVITY_TYPE.cmiInteraction,
  video: ACTIVITY_TYPE.video,
  discussion: ACTIVITY_TYPE.discussion,
  openassessment: ACTIVITY_TYPE.assessment,
  html: ACTIVITY_TYPE.resource,
};

/** An Activity of `type` with an optional display name (edX does not say its language). */
export function activity(id: string, type: ActivityType, name?: string): Activity {
  const definition = name === undefined ? { type: type.id } : { type: type.id, name: { und: name } };
  return { objectType: 'Activity', id, definition };
}

/**
 * The block `raw` (either id form, or a bare name of `opts.category`) read from `field`;
 * its type follows its category unless `type` is given.
 * @example block(c, reqStr(e, 'problem_id'), 'event.problem_id')
 */
export function block(c: Pick<RuleContext, 'course' | 'iris'>, raw: string, field: string, type?: ActivityType, opts: { category?: string; name?: string } = {}): Activity {
  const key = parseBlockId(raw, c.course, opts.category);
  if (key === undefined) throw new FieldError({ code: 'bad_value', field, detail: 'is not an edX block id' });
  return activity(c.iris.block(key), type ?? BLOCK_TYPES[key.category] ?? ACTIVITY_TYPE.resource, opts.name);
}

/** The block of `context.module`, named as edX names it. */
export function moduleBlock(e: EdxEvent, c: RuleContext, type?: ActivityType): Activity {
  const usageKey = required(e.module?.usageKey, 'context.module.usage_key');
  return block(c, usageKey, 'context.module.usage_key', type, { name: e.module?.displayName });
}
