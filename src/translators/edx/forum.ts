/**
 * Discussion forum events. The post (thread, response or comment) is the object; its
 * thread, the response it answers and its topic are parents, so that a report can
 * rebuild who answered whom. Bodies and titles stay out: they are the learners' words.
 * A reversal (un-vote, un-report, un-follow, un-endorse, unlock) has its own verb, never
 * the verb of what it undoes, so that counting a verb counts only that action.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Activity } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { activity } from './activities.js';
import { num, reqStr, str } from './fields.js';
import type { EdxRule, EdxRuleTable, RuleContext } from './rule.js';

type PostKind = 'thread' | 'response' | 'comment';

const postType = (kind: PostKind) => (kind === 'thread' ? ACTIVITY_TYPE.discussion : ACTIVITY_TYPE.forumReply);

const post = (kind: PostKind) => (e: EdxEvent, c: RuleContext) => activity(c.iris.forumPost(c.course, reqStr(e, 'id')), postType(kind));

/** The thread, the response and the topic the post belongs to, where the event names them. */
function threadOf(e: EdxEvent, c: RuleContext): Activity[] {
  const parents: Activity[] = [];
  const thread = str(e, 'discussion.id');
  const response = str(e, 'response.id');
  const topic = str(e, 'commentable_id');
  if (thread !== undefined) parents.push(activity(c.iris.forumPost(c.course, thread), ACTIVITY_TYPE.discussion));
  if (response !== undefined) parents.push(activity(c.iris.forumPost(c.course, response), ACTIVITY_TYPE.forumReply));
  if (topic !== undefined) parents.push(activity(c.iris.forum(c.course, topic), ACTIVITY_TYPE.discussion));
  return parents;
}

const posted = (kind: PostKind, verb: EdxRule['verb']): EdxRule => ({ verb, object: post(kind), parents: threadOf });

/** A vote, or its withdrawal: edX logs both as `voted`, the withdrawal with `undo_vote: true`. */
const voted = (kind: PostKind): EdxRule =>
  posted(kind, (e) => (e.data.undo_vote === true || e.data.undo_vote === 'true' ? VERB.unvoted : str(e, 'vote_value') === 'down' ? VERB.votedDown : VERB.votedUp));

/** Forum rules. */
export const forumRules = {
  'edx.forum.thread.created': posted('thread', VERB.posted),
  'edx.forum.response.created': posted('response', VERB.replied),
  'edx.forum.comment.created': posted('comment', VERB.replied),
  'edx.forum.thread.edited': posted('thread', VERB.updated),
  'edx.forum.response.edited': posted('response', VERB.updated),
  'edx.forum.comment.edited': posted('comment', VERB.updated),
  'edx.forum.thread.deleted': posted('thread', VERB.deleted),
  'edx.forum.response.deleted': posted('response', VERB.deleted),
  'edx.forum.comment.deleted': posted('comment', VERB.deleted),
  'edx.forum.thread.reported': posted('thread', VERB.reported),
  'edx.forum.response.reported': posted('response', VERB.reported),
  'edx.forum.comment.reported': posted('comment', VERB.reported),
  'edx.forum.thread.unreported': posted('thread', VERB.unreported),
  'edx.forum.response.unreported': posted('response', VERB.unreported),
  'edx.forum.comment.unreported': posted('comment', VERB.unreported),
  'edx.forum.thread.viewed': { verb: VERB.viewed, object: post('thread'), parents: threadOf },
  'edx.forum.thread.voted': voted('thread'),
  'edx.forum.response.voted': voted('response'),
  'edx.forum.thread.followed': posted('thread', VERB.followed),
  'edx.forum.thread.unfollowed': posted('thread', VERB.unfollowed),
  'edx.forum.thread.locked': posted('thread', VERB.locked),
  'edx.forum.thread.unlocked': posted('thread', VERB.unlocked),
  // edX's "mark" of a response is its endorsement (as the answer, in a question thread).
  'edx.forum.response.mark': posted('response', VERB.endorsed),
  'edx.forum.response.unmark': posted('response', VERB.unendorsed),
  'edx.forum.searched': {
    verb: VERB.searched,
    object: (_e, c) => activity(c.iris.forum(c.course), ACTIVITY_TYPE.discussion),
    // The query is the learner's own words: kept, hashed or dropped by EDX_FREE_TEXT.
    result: (e, c) => {
      const typed = str(e, 'query');
      const query = typed === undefined ? undefined : c.freeText(typed);
      const total = num(e, 'total_results');
      return { ...(query === undefined ? {} : { response: query }), ...(total === undefined ? {} : { extensions: { [EXT.resultCount]: total } }) };
    },
  },
} satisfies EdxRuleTable;
