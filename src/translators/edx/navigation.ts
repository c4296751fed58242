/**
 * Navigation events: moves within a sequence (`seq_*` and `edx.ui.lms.sequence.*`),
 * outline and link clicks, and leaving a page. Page views that the server logs under
 * their URL path are in `pages.ts`.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Activity, Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB, type ActivityType } from '../../xapi/vocabulary.js';
import { activity, block } from './activities.js';
import { num, reqStr, required, str } from './fields.js';
import type { EdxRule, EdxRuleTable, RuleContext } from './rule.js';

/** The sequence (a subsection) named by `event.id`. */
const sequence = (e: EdxEvent, c: RuleContext): Activity => block(c, reqStr(e, 'id'), 'event.id', ACTIVITY_TYPE.lesson, { category: 'sequential' });

/** From which position to which, as the event names them. */
function move(from: string, to: string) {
  return (e: EdxEvent): Result | undefined => {
    const a = num(e, from);
    const b = num(e, to);
    if (a === undefined && b === undefined) return undefined;
    return { extensions: { ...(a === undefined ? {} : { [EXT.positionFrom]: a }), ...(b === undefined ? {} : { [EXT.positionTo]: b }) } };
  };
}

const seqMove: EdxRule = { verb: VERB.navigated, object: sequence, result: move('old', 'new') };
const tabMove: EdxRule = { verb: VERB.navigated, object: sequence, result: move('current_tab', 'target_tab') };

/** A page or link target, by its URL. */
const target = (type: ActivityType) => (e: EdxEvent, c: RuleContext) =>
  activity(c.iris.page(reqStr(e, 'target_url')), type, str(e, 'target_name'));

/** Navigation rules. */
export const navigationRules = {
  seq_goto: seqMove,
  seq_next: seqMove,
  seq_prev: seqMove,
  'edx.ui.lms.sequence.next_selected': tabMove,
  'edx.ui.lms.sequence.previous_selected': tabMove,
  'edx.ui.lms.sequence.tab_selected': tabMove,
  'edx.ui.lms.outline.selected': { verb: VERB.navigated, object: target(ACTIVITY_TYPE.page) },
  'edx.ui.lms.link_clicked': { verb: VERB.navigated, object: target(ACTIVITY_TYPE.link) },
  page_close: {
    verb: VERB.exited,
    outsideCourse: 'ignore',
    object: (e, c) => activity(c.iris.page(required(e.page, 'page')), ACTIVITY_TYPE.page),
  },
} satisfies EdxRuleTable;
