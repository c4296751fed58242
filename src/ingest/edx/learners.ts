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

  /**
   * Learns the pair of an event that names both: the request's user, or, in 2013 logs
   * that have no context, the `event.user_id` of the learner's own enrollment (the only
   * id those logs hold). A context's user id always wins: staff enrolling a learner name
   * themselves there and the learner in the payload.
   */
  learn(e: EdxEvent): void {
    if (e.username === undefined || this.ids.has(e.username)) return;
    const id = e.userId ?? (e.type.startsWith('edx.course.enrollment.') ? payloadId(e.data.user_id) : undefined);
    if (id !== undefined) this.ids.set(e.username, id);
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

function payloadId(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' && value !== '' ? value : undefined;
}
