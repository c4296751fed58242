/**
 * Which user id a username stands for, as the stream teaches it. Most edX events carry
 * both `username` and `context.user_id`; some older ones (enrollments of 2013-2014 logs)
 * name the learner by username only. Learning the pairs from the first lets the second
 * get the same pseudonym as the learner's other events. Usernames stay in memory only:
 * never in a log, a statement or the database.
 */
import type { EdxEvent } from './event.js';

/** Username -> user id, learned from events that carry both. */
export class UsernameIds {
  private readonly ids = new Map<string, string>();

  /** Learns the pair of an event that names both (the request's user). */
  learn(e: EdxEvent): void {
    if (e.userId !== undefined && e.username !== undefined && !this.ids.has(e.username)) this.ids.set(e.username, e.userId);
  }

  /** The user id of `username`, when an event tied them. */
  idOf(username: string): string | undefined {
    return this.ids.get(username);
  }

  /** Whether `e` names its learner by a username no event has tied to an id yet. */
  waitsForId(e: EdxEvent): boolean {
    return e.userId === undefined && e.username !== undefined && e.data.user_id === undefined && !this.ids.has(e.username);
  }
}
