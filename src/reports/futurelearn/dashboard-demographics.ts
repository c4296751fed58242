/**
 * The demographics section of the run dashboard: per question, a table of answers with
 * counts and percentages and a bar chart of them. A question the imported data do not
 * hold says so instead of showing zeros.
 */
import type { DemographicTable } from './demographics.js';
import { barChart, escapeHtml } from './svg-chart.js';

const pct = (p: number | null): string => (p === null ? '–' : `${p}%`);

function question(t: DemographicTable): string {
  const id = `demographics-${t.field}`;
  if (!t.inData) return `<h3>${escapeHtml(t.label)}</h3>\n<p class="empty" data-demographic="${escapeHtml(t.field)}">Not in the imported data: no joiner has an answer (the enrolments export lacks the column, or nobody answered).</p>`;
  const rows = t.answers
    .map((a) => `<tr data-answer="${escapeHtml(a.value)}"><td>${escapeHtml(a.value)}</td><td class="n">${a.learners}</td><td class="n">${pct(a.percent)}</td></tr>`)
    .join('\n');
  const table = `<div class="scroll"><table data-demographic="${escapeHtml(t.field)}" data-answered="${t.answered}" data-not-answered="${t.notAnswered}"><thead><tr><th scope="col">${escapeHtml(t.label)}</th><th scope="col">Learners</th><th scope="col">Share</th></tr></thead>\n<tbody>${rows}</tbody>\n<tfoot><tr><td>Answered</td><td class="n">${t.answered}</td><td></td></tr><tr><td>No answer</td><td class="n">${t.notAnswered}</td><td></td></tr></tfoot></table></div>`;
  const chart = barChart({
    id,
    caption: `${t.label}: joiners per answer (of ${t.answered} who answered)`,
    max: Math.max(0, ...t.answers.map((a) => a.learners)),
    metrics: [{ metric: 'learners', label: 'learners' }],
    groups: t.answers.map((a) => ({ label: a.value, bars: [{ metric: 'learners', value: a.learners, title: `${a.value}: ${a.learners} (${pct(a.percent)} of those who answered)` }] })),
  });
  return `<h3>${escapeHtml(t.label)}</h3>\n${table}\n${chart}`;
}

/** The section: the joiners' self-reported answers, one question after another. */
export function demographicsSection(tables: readonly DemographicTable[]): string {
  return `<section aria-labelledby="demographics-h"><h2 id="demographics-h">Demographics</h2>
<p>The joiners' own answers, as FutureLearn exports them with the enrolments; "Unknown" is an answer of its own. Shares are of the joiners who answered.</p>
${tables.map(question).join('\n')}</section>`;
}
