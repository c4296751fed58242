/**
 * Bookmarks of course blocks. The object is the bookmarked block; `bookmark_id`
 * stays out, since edX builds it from the username (`<username>,<usage id>`).
 * Listing is a view of the course's bookmarks page; a listing across all courses
 * names no course and is no learning activity of one.
 */
import { ACTIVITY_TYPE, VERB } from '../../xapi/vocabulary.js';
import { activity, block } from './activities.js';
import { reqStr } from './fields.js';
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { EdxRule, EdxRuleTable, RuleContext } from './rule.js';

const bookmarked = (e: EdxEvent, c: RuleContext) => block(c, reqStr(e, 'component_usage_id'), 'event.component_usage_id');

const onBlock = (verb: EdxRule['verb']): EdxRule => ({ verb, object: bookmarked });

/** Bookmark rules. */
export const bookmarkRules = {
  'edx.bookmark.added': onBlock(VERB.bookmarked),
  'edx.bookmark.removed': onBlock(VERB.unbookmarked),
  'edx.bookmark.accessed': onBlock(VERB.navigated),
  'edx.bookmark.listed': {
    verb: VERB.viewed,
    object: (_e, c) => activity(c.iris.page(`courses/${c.course.id}/bookmarks/`), ACTIVITY_TYPE.page),
    outsideCourse: 'ignore',
  },
} satisfies EdxRuleTable;
