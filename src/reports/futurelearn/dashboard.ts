/**
 * The course-run dashboard: one server-rendered HTML page of the run's reports with
 * inline SVG charts, in the frame of page.ts (no script, a strict CSP). The sections of
 * what the run's learners are and did over time are in their own files.
 */
import { commentWeeksSection, heatmapSection, signupsSection } from './dashboard-timeline.js';
import { demographicsSection } from './dashboard-demographics.js';
import { renderPage } from './page.js';
import type { FutureLearnRunReports } from './run-stats.js';
import { barChart, escapeHtml } from './svg-chart.js';

const LABELS: Record<string, string> = {
  joiners: 'Joiners',
  leavers: 'Leavers',
  learners: 'Learners',
  active_learners: 'Active learners',
  returning_learners: 'Returning learners',
  social_learners: 'Social learners',
  fully_participating_learners: 'Fully participating',
  completed_50_percent: 'Completed ≥ 50% of steps',
  completed_90_percent: 'Completed ≥ 90% of steps',
  statements_bought: 'Statements bought',
};

const pct = (p: number | null): string => (p === null ? '–' : `${p}%`);

function overviewSection(r: FutureLearnRunReports): string {
  const joiners = r.overview.find((f) => f.figure === 'joiners')?.learners ?? 0;
  const figures = r.overview
    .map((f) => `<div data-figure="${escapeHtml(f.figure)}" data-learners="${f.learners}" data-percent="${f.percentOfJoiners ?? ''}"><dt title="${escapeHtml(f.description)}">${escapeHtml(LABELS[f.figure] ?? f.figure)}</dt><dd>${f.learners} <span>(${pct(f.percentOfJoiners)})</span></dd></div>`)
    .join('\n');
  const chart = barChart({
    id: 'overview',
    caption: 'Learners per figure, against the joiners',
    max: joiners,
    metrics: [{ metric: 'learners', label: 'learners' }],
    groups: r.overview.map((f) => ({ label: LABELS[f.figure] ?? f.figure, bars: [{ metric: 'learners', value: f.learners, title: `${LABELS[f.figure] ?? f.figure}: ${f.learners} (${pct(f.percentOfJoiners)} of joiners)` }] })),
  });
  return `<section aria-labelledby="overview-h"><h2 id="overview-h">Overview</h2>\n<dl class="figures">\n${figures}\n</dl>\n${chart}</section>`;
}

function funnelSection(r: FutureLearnRunReports): string {
  const learners = r.overview.find((f) => f.figure === 'learners')?.learners ?? 0;
  // One scale for every week, so weeks compare by bar length.
  const max = Math.max(learners, ...r.stepFunnel.map((f) => f.visited));
  const weeks = [...new Set(r.stepFunnel.map((f) => f.week))];
  const charts = weeks.map((week) =>
    barChart({
      id: `funnel-week-${week}`,
      caption: `Week ${week}: learners who visited and completed each step (of ${learners} learners)`,
      max,
      metrics: [{ metric: 'visited', label: 'visited' }, { metric: 'completed', label: 'completed' }],
      groups: r.stepFunnel.filter((f) => f.week === week).map((f) => ({
        label: `Step ${f.week}.${f.step}`,
        bars: [
          { metric: 'visited', value: f.visited, title: `Step ${f.week}.${f.step} visited: ${f.visited} (${pct(f.visitedPercent)} of learners)` },
          { metric: 'completed', value: f.completed, title: `Step ${f.week}.${f.step} completed: ${f.completed} (${pct(f.completedPercent)} of learners)` },
        ],
      })),
    }),
  );
  return `<section aria-labelledby="funnel-h"><h2 id="funnel-h">Step funnel</h2>\n${charts.join('\n') || '<p class="empty">No steps.</p>'}</section>`;
}

function commentSection(r: FutureLearnRunReports): string {
  const label = (c: { week: number | null; step: number | null }) => (c.week === null ? 'No step' : `Step ${c.week}.${c.step}`);
  const chart = barChart({
    id: 'comments',
    caption: 'Comments and replies per step',
    max: Math.max(0, ...r.comments.flatMap((c) => [c.comments, c.replies])),
    metrics: [{ metric: 'comments', label: 'comments' }, { metric: 'replies', label: 'replies' }],
    groups: r.comments.map((c) => ({
      label: label(c),
      bars: [
        { metric: 'comments', value: c.comments, title: `${label(c)}: ${c.comments} comments, ${c.likes} likes, ${c.commenters} commenters` },
        { metric: 'replies', value: c.replies, title: `${label(c)}: ${c.replies} replies` },
      ],
    })),
  });
  return `<section aria-labelledby="comments-h"><h2 id="comments-h">Comments</h2>\n${chart}</section>`;
}

function quizSection(r: FutureLearnRunReports): string {
  const chart = barChart({
    id: 'quiz',
    caption: 'Quiz questions: correct responses in percent',
    max: 100,
    unit: '%',
    metrics: [{ metric: 'percent_correct', label: '% correct' }],
    groups: r.quiz.map((q) => ({
      label: `Step ${q.week}.${q.step} Q${q.question}`,
      bars: [{ metric: 'percent_correct', value: q.percentCorrect ?? 0, title: `Step ${q.week}.${q.step} question ${q.question}: ${q.correct} of ${q.responses} responses correct (${pct(q.percentCorrect)}), ${q.learnersCorrectFirst} of ${q.learners} learners right first time` }],
    })),
  });
  const leftOut = r.quiz.reduce((sum, q) => sum + (q.leftOut ?? 0), 0);
  const note = leftOut === 0 ? '' : `\n<p class="note">${leftOut} responses of learners FutureLearn erased are left out of these figures; FutureLearn's own question totals count them (<code>responses_left_out</code> in quiz_results.csv).</p>`;
  return `<section aria-labelledby="quiz-h"><h2 id="quiz-h">Quizzes</h2>\n${chart}${note}</section>`;
}

function videoSection(r: FutureLearnRunReports): string {
  if (r.videos.length === 0) return '<section aria-labelledby="videos-h"><h2 id="videos-h">Videos</h2><p class="empty">No video figures imported.</p></section>';
  const rows = r.videos
    .map((v) => `<tr data-step="${escapeHtml(v.stepPosition)}"><td>${escapeHtml(v.stepPosition)}</td><td>${escapeHtml(v.title ?? '')}</td><td class="n">${v.durationSeconds ?? ''}</td><td class="n">${v.totalViews ?? ''}</td></tr>`)
    .join('\n');
  return `<section aria-labelledby="videos-h"><h2 id="videos-h">Videos</h2>\n<div class="scroll"><table><thead><tr><th scope="col">Step</th><th scope="col">Title</th><th scope="col">Length (s)</th><th scope="col">Views</th></tr></thead>\n<tbody>${rows}</tbody></table></div></section>`;
}

/** The dashboard page of a run's reports; every text from data is escaped. */
export function renderDashboard(r: FutureLearnRunReports): string {
  const header = `<p>Course <code>${escapeHtml(r.course)}</code>, run ${escapeHtml(r.run)}: ${r.statements} statements, ${r.steps} steps. <a href="${escapeHtml(encodeURIComponent(r.run))}.json">All reports as JSON</a>. <a href="compare">Compare the runs of the course</a>. <a href="../courses">All courses and runs</a>.</p>`;
  return renderPage(`${r.title} – run ${r.run}`, header, [
    overviewSection(r),
    funnelSection(r),
    commentSection(r),
    quizSection(r),
    videoSection(r),
    demographicsSection(r.demographics),
    signupsSection(r.signups),
    heatmapSection(r.stepHeatmap),
    commentWeeksSection(r.commentWeeks),
  ].join('\n'));
}
