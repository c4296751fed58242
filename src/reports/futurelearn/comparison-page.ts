/**
 * The comparison page of runs of one course: a table of figures with one column per
 * run, the figures as bar charts with a bar per run, and the funnel per week.
 */
import type { RunComparison } from './comparison.js';
import { renderPage } from './page.js';
import { barChart, escapeHtml } from './svg-chart.js';

const pct = (p: number | null): string => (p === null ? '–' : `${p}%`);

// The rows of the table and bars of the chart: a label and the run's number.
const ROWS: { key: string; label: string }[] = [
  { key: 'joiners', label: 'Joiners' },
  { key: 'learners', label: 'Learners' },
  { key: 'activeLearners', label: 'Active learners' },
  { key: 'fullyParticipating', label: 'Fully participating' },
  { key: 'leavers', label: 'Leavers' },
  { key: 'comments', label: 'Comments' },
  { key: 'replies', label: 'Replies' },
];

/** The comparison page; every text from data is escaped. */
export function renderComparison(c: RunComparison): string {
  const runs = c.runs;
  const value = (r: (typeof runs)[number], key: string) => (r as unknown as Record<string, number>)[key] ?? 0;
  const head = `<tr><th scope="col">Figure</th>${runs.map((r) => `<th scope="col"><a href="${escapeHtml(encodeURIComponent(r.run))}">Run ${escapeHtml(r.run)}</a></th>`).join('')}</tr>`;
  const body = [
    ...ROWS.map(({ key, label }) => `<tr data-figure="${key}"><th scope="row">${label}</th>${runs.map((r) => `<td class="n" data-run="${escapeHtml(r.run)}">${value(r, key)}</td>`).join('')}</tr>`),
    `<tr data-figure="quizPercentCorrect"><th scope="row">Quiz responses correct</th>${runs.map((r) => `<td class="n" data-run="${escapeHtml(r.run)}">${pct(r.quizPercentCorrect)} <span>(${r.quizCorrect} of ${r.quizResponses})</span></td>`).join('')}</tr>`,
  ].join('\n');
  const metrics = runs.map((r) => ({ metric: `run-${r.run}`, label: `run ${r.run}` }));
  const figures = barChart({
    id: 'compare-figures',
    caption: 'Figures per run',
    max: Math.max(0, ...runs.flatMap((r) => ROWS.map(({ key }) => value(r, key)))),
    metrics,
    groups: ROWS.map(({ key, label }) => ({ label, bars: runs.map((r) => ({ metric: `run-${r.run}`, value: value(r, key), title: `${label}, run ${r.run}: ${value(r, key)}` })) })),
  });
  const quiz = barChart({
    id: 'compare-quiz',
    caption: 'Quiz responses correct, in percent',
    max: 100,
    unit: '%',
    metrics,
    groups: [{ label: 'Correct', bars: runs.map((r) => ({ metric: `run-${r.run}`, value: r.quizPercentCorrect ?? 0, title: `Run ${r.run}: ${r.quizCorrect} of ${r.quizResponses} responses correct (${pct(r.quizPercentCorrect)})` })) }],
  });
  const weeks = [...new Set(runs.flatMap((r) => r.weekFunnel.map((w) => w.week)))].sort((a, b) => a - b);
  const funnel = barChart({
    id: 'compare-week-funnel',
    caption: 'Learners who visited a step of each week, in percent of the run\'s learners',
    max: 100,
    unit: '%',
    metrics,
    groups: weeks.map((week) => ({
      label: `Week ${week}`,
      // A run without the week (a shorter run) has no bar there, rather than a bar of 0.
      bars: runs.flatMap((r) => {
        const w = r.weekFunnel.find((f) => f.week === week);
        return w === undefined ? [] : [{ metric: `run-${r.run}`, value: w.visitedPercent ?? 0, title: `Week ${week}, run ${r.run}: ${w.visited} visited (${pct(w.visitedPercent)}), ${w.completed} completed a step (${pct(w.completedPercent)})` }];
      }),
    })),
  });
  const header = `<p>Course <code>${escapeHtml(c.course)}</code>: ${runs.length} runs side by side. <a href="compare.json?runs=${runs.map((r) => encodeURIComponent(r.run)).join(',')}">As JSON</a>, <a href="compare.csv?runs=${runs.map((r) => encodeURIComponent(r.run)).join(',')}">as CSV</a>. <a href="../courses">All courses and runs</a>.</p>`;
  const main = `<section aria-labelledby="compare-h"><h2 id="compare-h">Figures</h2>
<div class="scroll"><table data-table="comparison"><thead>${head}</thead>\n<tbody>${body}</tbody></table></div>
${figures}
${quiz}</section>
<section aria-labelledby="compare-funnel-h"><h2 id="compare-funnel-h">Funnel per week</h2>
${funnel}</section>`;
  return renderPage(`${c.course}: runs compared`, header, main);
}
