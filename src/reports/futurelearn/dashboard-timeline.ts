/**
 * The run dashboard's sections over time: sign-ups per day, the step-by-date heat map
 * of first visits, and comments per course week and per calendar week.
 */
import type { CommentWeeks } from './comment-weeks.js';
import type { EnrolmentDays } from './daily-enrolments.js';
import type { StepHeatmap } from './step-heatmap.js';
import { barChart } from './svg-chart.js';
import { heatmap } from './svg-heatmap.js';
import { lineChart, type Series } from './svg-series.js';

/** Sign-ups, and unenrolments and full participation where the data hold them, per day. */
export function signupsSection(e: EnrolmentDays): string {
  const series: Series[] = [{ metric: 'joined', label: 'joined', values: e.days.map((d) => d.joined) }];
  if (e.hasUnenrolments) series.push({ metric: 'unenrolled', label: 'unenrolled', values: e.days.map((d) => d.unenrolled) });
  if (e.hasFullParticipation) series.push({ metric: 'fully_participated', label: 'fully participated', values: e.days.map((d) => d.fullyParticipated) });
  const missing = [!e.hasUnenrolments && 'unenrolments', !e.hasFullParticipation && 'full participation'].filter((m): m is string => m !== false);
  const note = missing.length === 0 ? '' : `<p class="empty" data-missing="${missing.join(' ')}">No ${missing.join(' and no ')} in the imported data: not drawn.</p>`;
  const chart = lineChart({ id: 'signups', caption: 'Learners per day (UTC)', labels: e.days.map((d) => d.day), series });
  return `<section aria-labelledby="signups-h"><h2 id="signups-h">Sign-ups per day</h2>\n${chart}\n${note}</section>`;
}

/** The heat map of first visits: steps × days. */
export function heatmapSection(h: StepHeatmap): string {
  const chart = heatmap({
    id: 'step-heatmap',
    caption: h.unit === 'day' ? 'Learners who first visited each step, per day (UTC)' : 'Learners who first visited each step, per calendar week (from Monday, UTC): the visits span too many days for a column each',
    columns: h.columns,
    columnLabel: (day) => day.slice(5),
    rows: h.steps.map((r) => ({ label: `Step ${r.week}.${r.step}`, values: r.learners })),
    unit: h.unit === 'day' ? 'learners visited first' : 'learners visited first that week',
  });
  return `<section aria-labelledby="heatmap-h"><h2 id="heatmap-h">Step activity by date</h2>\n${chart}</section>`;
}

/** Comments and replies per course week and per calendar week. */
export function commentWeeksSection(c: CommentWeeks): string {
  const metrics = [{ metric: 'comments', label: 'comments' }, { metric: 'replies', label: 'replies' }];
  const max = Math.max(0, ...[...c.courseWeeks, ...c.calendarWeeks].flatMap((w) => [w.comments, w.replies]));
  const bars = (label: string, w: { comments: number; replies: number }) => ({
    label,
    bars: [
      { metric: 'comments', value: w.comments, title: `${label}: ${w.comments} comments` },
      { metric: 'replies', value: w.replies, title: `${label}: ${w.replies} replies` },
    ],
  });
  const course = barChart({ id: 'weekly-comments-course', caption: 'Comments and replies per course week', max, metrics, groups: c.courseWeeks.map((w) => bars(w.week === null ? 'No step' : `Week ${w.week}`, w)) });
  const calendar = barChart({ id: 'weekly-comments-calendar', caption: 'Comments and replies per calendar week (from Monday, UTC)', max, metrics, groups: c.calendarWeeks.map((w) => bars(`Week of ${w.weekOf}`, w)) });
  return `<section aria-labelledby="comment-weeks-h"><h2 id="comment-weeks-h">Comments per week</h2>\n${course}\n${calendar}</section>`;
}
