/**
 * Forum actions known only from the request that made them. Until mid-2015 edX logged
 * no `edx.forum.*` event: a post, a vote or a flag is a server request under its URL
 * path (`/courses/<id>/discussion/threads/<thread>/upvote`). Since then each has its
 * event, which says more (the new post's id, the topic), and the request is its twin:
 * so a request of an action that has an event is translated only before
 * `FORUM_EVENTS_SINCE`. Following a thread is a request in every era, with no event
 * beside it in LMS logs, and is always translated.
 *
 * A request does not know the id of the post it creates: a new thread's object is the
 * topic it was posted in, a reply's the post it answers. Reports that list posts by id
 * skip these statements by their source type (a URL path).
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import { ACTIVITY_TYPE, VERB } from '../../xapi/vocabulary.js';
import type { Verb } from '../../xapi/types.js';
import { activity } from './activities.js';
import type { EdxRule, RuleContext } from './rule.js';

/** The first day of edX logs with `edx.forum.*` events (release of mid-2015): requests after it are twins. */
export const FORUM_EVENTS_SINCE = '2015-07-01';

type Target = 'topic' | 'thread' | 'comment';

/** One forum action by the last part of its path, for threads (`threads/<id>/`) and responses or comments (`comments/<id>/`). */
interface ForumAction {
  verb: Verb;
  /** Whether an `edx.forum.*` event records this action since 2015. */
  twinned: boolean;
}

const ACTIONS: Record<string, ForumAction> = {
  create: { verb: VERB.posted, twinned: true },
  reply: { verb: VERB.replied, twinned: true },
  upvote: { verb: VERB.votedUp, twinned: true },
  downvote: { verb: VERB.votedDown, twinned: true },
  unvote: { verb: VERB.unvoted, twinned: true },
  flagAbuse: { verb: VERB.reported, twinned: true },
  unFlagAbuse: { verb: VERB.unreported, twinned: true },
  update: { verb: VERB.updated, twinned: true },
  delete: { verb: VERB.deleted, twinned: true },
  follow: { verb: VERB.followed, twinned: false },
  unfollow: { verb: VERB.unfollowed, twinned: false },
};

const COURSE = String.raw`\/courses\/(?:(?:course|ccx)-v1:[^/]+|[^/]+\/[^/]+\/[^/]+)\/discussion\/`;
const REQUEST = new RegExp(`^${COURSE}(?:(threads|comments)\\/([^/]+)|([^/]+)\\/threads)\\/([A-Za-z]+)\\/?$`);

/** The object of a forum request: the topic a thread is created in, or the post acted on. */
function target(kind: Target, id: string, c: RuleContext) {
  if (kind === 'topic') return activity(c.iris.forum(c.course, id), ACTIVITY_TYPE.discussion);
  return activity(c.iris.forumPost(c.course, id), kind === 'thread' ? ACTIVITY_TYPE.discussion : ACTIVITY_TYPE.forumReply);
}

/** The rule of a forum request path, 'twin' for one an event records, or undefined when the path is no forum action. */
export function forumRequestRule(e: EdxEvent): EdxRule | 'twin' | undefined {
  const m = REQUEST.exec(e.type.split('?')[0]!);
  if (m === null) return undefined;
  const [, posts, postId, topic, name] = m as unknown as [string, string | undefined, string | undefined, string | undefined, string];
  // `<topic>/threads/create` only: `threads/<id>/create` is no edX view.
  if ((topic !== undefined) !== (name === 'create')) return undefined;
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name]! : undefined;
  if (action === undefined) return undefined;
  if (action.twinned && e.time >= FORUM_EVENTS_SINCE) return 'twin';
  const kind: Target = topic !== undefined ? 'topic' : posts === 'threads' ? 'thread' : 'comment';
  return { verb: action.verb, object: (_e, c) => target(kind, (topic ?? postId)!, c) };
}
