/**
 * Drag and Drop v2 (`xblock-drag-and-drop-v2`) events. The block is a matching
 * interaction: items dropped on zones. A drop is one move within the problem, graded
 * as it happens in standard mode (`is_correct`), so it is `interacted` with its success,
 * not `answered`: reports count `answered` as attempts, and the block's answer is its
 * grade event. Feedback texts are course content; only their display is recorded.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Activity, Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { moduleBlock } from './activities.js';
import { str } from './fields.js';
import type { EdxRule, EdxRuleTable, RuleContext } from './rule.js';

/** The drag-and-drop block of `context.module`, as a matching interaction. */
function dragAndDrop(e: EdxEvent, c: RuleContext): Activity {
  const found = moduleBlock(e, c, ACTIVITY_TYPE.cmiInteraction);
  return { ...found, definition: { ...found.definition, interactionType: 'matching' } };
}

/** An item moved or a feedback shown: `interacted`, the action and the item named. */
const move = (name: string, result?: (e: EdxEvent) => Result): EdxRule => ({
  verb: VERB.interacted,
  object: dragAndDrop,
  result: (e) => {
    const item = str(e, 'item_id');
    const extra = result?.(e) ?? {};
    return { ...extra, extensions: { [EXT.action]: name, ...(item === undefined ? {} : { [EXT.item]: item }), ...extra.extensions } };
  },
});

/** The drop as a matching response `item[.]zone`, with its correctness where the block told it. */
function dropped(e: EdxEvent): Result {
  const item = str(e, 'item_id');
  const zone = str(e, 'location_id') ?? str(e, 'location');
  const result: Result = item === undefined || zone === undefined ? {} : { response: `${item}[.]${zone}` };
  if (typeof e.data.is_correct === 'boolean') result.success = e.data.is_correct;
  return result;
}

/** Drag-and-drop v2 rules. */
export const dragAndDropRules = {
  'edx.drag_and_drop_v2.loaded': { verb: VERB.viewed, object: dragAndDrop },
  'edx.drag_and_drop_v2.item.picked_up': move('picked_up'),
  'edx.drag_and_drop_v2.item.dropped': move('dropped', dropped),
  'edx.drag_and_drop_v2.feedback.opened': move('feedback_opened'),
  'edx.drag_and_drop_v2.feedback.closed': move('feedback_closed', (e) => (typeof e.data.manually === 'boolean' ? { extensions: { [EXT.manually]: e.data.manually } } : {})),
} satisfies EdxRuleTable;
