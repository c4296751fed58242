/**
 * Comments per week, two ways: per course week (the week of the step commented on) and
 * per calendar week (the ISO week, Monday first, of the comment's time, UTC). Comments
 * and replies are counted apart, each once by its IRI however many exports name it;
 * every author counts, as in the comment activity per step.
 */
import { VERB } from '../../xapi/vocabulary.js';
import type { ReportTable } from '../table.js';
import { dayOf, daysBetween, mondayOf, spanOf } from './days.js';
import type { RunAccumulator } from './learner-activity.js';
import { objectIdOf, type RunIris } from './run-iris.js';

/** Comments and replies of one week. */
export interface WeekCount {
  comments: number;
  replies: number;
}

/** Both views of the weeks. */
export interface CommentWeeks {
  /** Per course week, in order; `week` null for comments that name no step. */
  courseWeeks: (WeekCount & { week: number | null })[];
  /** Per calendar week from the first comment's to the last's, by its Monday. */
  calendarWeeks: (WeekCount & { weekOf: string })[];
}

const count = (rows: Map<string, WeekCount>, key: string, reply: boolean) => {
  const row = rows.get(key) ?? { comments: 0, replies: 0 };
  rows.set(key, row);
  if (reply) row.replies += 1;
  else row.comments += 1;
};

/** Gathers each comment's course week and calendar week. */
export function commentWeeks(iris: RunIris): RunAccumulator<CommentWeeks> {
  const seen = new Map<string, { week: number | null; day: string | undefined; reply: boolean }>();
  return {
    add(s) {
      const verb = s.verb.id;
      const id = objectIdOf(s);
      if ((verb !== VERB.posted.id && verb !== VERB.replied.id) || !iris.isComment(id) || seen.has(id)) return;
      seen.set(id, { week: iris.stepOfStatement(s)?.week ?? null, day: dayOf(s.timestamp), reply: verb === VERB.replied.id });
    },
    result() {
      const byWeek = new Map<string, WeekCount>();
      const byMonday = new Map<string, WeekCount>();
      for (const c of seen.values()) {
        count(byWeek, c.week === null ? '' : String(c.week), c.reply);
        if (c.day !== undefined) count(byMonday, mondayOf(c.day), c.reply);
      }
      const courseWeeks = [...byWeek].map(([k, n]) => ({ week: k === '' ? null : Number(k), ...n }))
        // Comments without a step go last.
        .sort((a, b) => (a.week ?? Number.MAX_SAFE_INTEGER) - (b.week ?? Number.MAX_SAFE_INTEGER));
      const span = spanOf(byMonday.keys());
      const calendarWeeks = span === undefined ? [] : daysBetween(span.first, span.last, 7).map((weekOf) => ({ weekOf, ...(byMonday.get(weekOf) ?? { comments: 0, replies: 0 }) }));
      return { courseWeeks, calendarWeeks };
    },
  };
}

/** Both views as report tables. */
export function commentWeeksTables(c: CommentWeeks): ReportTable[] {
  const counts = [
    { name: 'comments', description: 'comments that start a thread' },
    { name: 'replies', description: 'replies to a comment' },
  ];
  return [
    {
      name: 'comments_per_course_week',
      description: 'per course week (the week of the step commented on): comments and replies, every author',
      columns: [{ name: 'week', description: 'course week (empty for comments that name no step)' }, ...counts],
      rows: c.courseWeeks.map((w) => [w.week, w.comments, w.replies]),
    },
    {
      name: 'comments_per_calendar_week',
      description: 'per calendar week (ISO, Monday first, UTC) from the first comment to the last: comments and replies, every author',
      columns: [{ name: 'week_of', description: 'the Monday of the week, YYYY-MM-DD' }, ...counts],
      rows: c.calendarWeeks.map((w) => [w.weekOf, w.comments, w.replies]),
    },
  ];
}
