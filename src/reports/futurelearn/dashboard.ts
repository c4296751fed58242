/**
 * The course-run dashboard: one server-rendered HTML page of the run's reports with
 * inline SVG charts. It has no script at all, and its only stylesheet is allowed by
 * hash, so `DASHBOARD_CSP` can forbid everything else.
 */
import { createHash } from 'node:crypto';
import type { FutureLearnRunReports } from './run-stats.js';
import { barChart, escapeHtml } from './svg-chart.js';

const STYLE = `
body { font: 15px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 1rem 1.5rem; color: #1b1b1b; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: .6rem; }
.figures div { border: 1px solid #ddd; border-radius: 6px; padding: .5rem .7rem; }
.figures dt { font-size: .85rem; color: #444; } .figures dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
.figures dd span { font-size: .9rem; font-weight: 400; color: #555; }
figure { margin: 1rem 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
.legend { list-style: none; display: inline; margin: 0 0 0 1rem; padding: 0; font-weight: 400; }
.legend li { display: inline; margin-right: .8rem; }
table { border-collapse: collapse; } th, td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: left; }
td.n { text-align: right; } .empty { color: #666; }
/* A phone: charts shrink to the screen (their viewBox keeps them to scale), wide tables scroll in their box. */
svg[role="img"] { max-width: 100%; height: auto; }
.scroll { overflow-x: auto; }
@media (max-width: 480px) { body { padding: .75rem; } h1 { font-size: 1.3rem; } }
`;

/** The page's Content-Security-Policy: no scripts, nothing fetched, only its own stylesheet. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  // The empty data: favicon keeps browsers from asking the server for /favicon.ico.
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

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
  return `<section aria-labelledby="quiz-h"><h2 id="quiz-h">Quizzes</h2>\n${chart}</section>`;
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
  const title = `${r.title} – run ${r.run}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · FutureLearn reports</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1>
<p>Course <code>${escapeHtml(r.course)}</code>, run ${escapeHtml(r.run)}: ${r.statements} statements, ${r.steps} steps. <a href="${escapeHtml(encodeURIComponent(r.run))}.json">All reports as JSON</a>.</p></header>
<main>
${overviewSection(r)}
${funnelSection(r)}
${commentSection(r)}
${quizSection(r)}
${videoSection(r)}
</main>
</body>
</html>
`;
}
