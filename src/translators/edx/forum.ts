/**
 * Discussion forum events. The post (thread, response or comment) is the object; its
 * thread, the response it answers and its topic are parents, so that a report can
 * rebuild who answered whom. Bodies and titles stay out: they are the learners' words.
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
const flagged = (kind: PostKind, flag: boolean): EdxRule => ({
  ...posted(kind, VERB.reported),
  result: () => ({ extensions: { [EXT.flagged]: flag } }),
});

const voted = (kind: PostKind): EdxRule => ({
  verb: (e) => (str(e, 'vote_value') === 'down' ? VERB.votedDown : VERB.votedUp),
  object: post(kind),
  parents: threadOf,
  result: (e) => (e.data.undo_vote === true ? { extensions: { [EXT.action]: 'undo' } } : undefined),
});

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
  'edx.forum.thread.reported': flagged('thread', true),
  'edx.forum.response.reported': flagged('response', true),
  'edx.forum.comment.reported': flagged('comment', true),
  'edx.forum.thread.unreported': flagged('thread', false),
  'edx.forum.response.unreported': flagged('response', false),
  'edx.forum.comment.unreported': flagged('comment', false),
  'edx.forum.thread.viewed': { verb: VERB.viewed, object: post('thread'), parents: threadOf },
  'edx.forum.thread.voted': voted('thread'),
  'edx.forum.response.voted': voted('response'),
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
