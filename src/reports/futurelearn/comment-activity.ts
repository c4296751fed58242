/**
 * Comment activity per step: comments started, replies, likes and distinct commenters.
 * Every author counts, educators and mentors too: the table describes the discussion,
 * not the joiners. A comment is counted once by its IRI however many statements name it.
 */
import type { Statement } from '../../xapi/types.js';
import { EXT, VERB } from '../../xapi/vocabulary.js';
import type { RunAccumulator } from './learner-activity.js';
import { compareSteps, learnerOf, objectIdOf, stepKey, type RunIris, type StepPosition } from './run-iris.js';

/** One step's comment activity; `week` and `step` are null for comments that name no step. */
export interface CommentRow {
  week: number | null;
  step: number | null;
  comments: number;
  replies: number;
  likes: number;
  commenters: number;
}

interface Comment {
  step: StepPosition | undefined;
  reply: boolean;
  likes: number;
  /** The order of the statement the likes come from: `stored`, then `timestamp` (ms). */
  seen: [number, number];
}

const likesOf = (s: Statement): number => {
  const likes = s.result?.extensions?.[EXT.likes];
  return typeof likes === 'number' && Number.isFinite(likes) && likes >= 0 ? likes : 0;
};

const msOf = (time: string | undefined): number => {
  const ms = Date.parse(time ?? '');
  return Number.isNaN(ms) ? -Infinity : ms;
};

/** Gathers comments and their authors per step. */
export function commentActivity(iris: RunIris): RunAccumulator<CommentRow[]> {
  const comments = new Map<string, Comment>();
  const authors = new Map<string, Set<string>>();
  return {
    add(s) {
      const verb = s.verb.id;
      if (verb !== VERB.posted.id && verb !== VERB.replied.id) return;
      const id = objectIdOf(s);
      if (!iris.isComment(id)) return;
      const step = iris.stepOfStatement(s);
      const key = step === undefined ? '' : stepKey(step);
      const set = authors.get(key) ?? new Set<string>();
      authors.set(key, set);
      set.add(learnerOf(s));
      // Likes are a count at export time: a later export of the same comment supersedes
      // the earlier one, so the most recently stored statement wins.
      const seen: [number, number] = [msOf(s.stored), msOf(s.timestamp)];
      const known = comments.get(id);
      if (known === undefined || seen[0] > known.seen[0] || (seen[0] === known.seen[0] && seen[1] >= known.seen[1])) comments.set(id, { step, reply: verb === VERB.replied.id, likes: likesOf(s), seen });
    },
    result() {
      const rows = new Map<string, CommentRow & { position: StepPosition | undefined }>();
      for (const c of comments.values()) {
        const key = c.step === undefined ? '' : stepKey(c.step);
        const row = rows.get(key) ?? { week: c.step?.week ?? null, step: c.step?.step ?? null, comments: 0, replies: 0, likes: 0, commenters: authors.get(key)?.size ?? 0, position: c.step };
        rows.set(key, row);
        if (c.reply) row.replies += 1;
        else row.comments += 1;
        row.likes += c.likes;
      }
      // Comments without a step go last.
      const last = { week: Number.MAX_SAFE_INTEGER, step: Number.MAX_SAFE_INTEGER };
      return [...rows.values()].sort((a, b) => compareSteps(a.position ?? last, b.position ?? last)).map(({ position: _position, ...row }) => row);
    },
  };
}
