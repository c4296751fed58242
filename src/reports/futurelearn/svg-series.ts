/**
 * A daily series as an inline SVG line chart, rendered on the server like the bar charts
 * (svg-chart.ts): one line per metric over the same days, every point a `<circle>` with
 * its numbers in `data-*` attributes and a `<title>` (its tooltip).
 */
import { escapeHtml } from './svg-chart.js';

/** One line: what it measures (also its colour) and a value per label of the chart. */
export interface Series {
  metric: string;
  label: string;
  values: number[];
}

/** A chart: the x labels (days, in order) and the lines over them. */
export interface LineChartSpec {
  /** Names the chart in `data-chart`. */
  id: string;
  caption: string;
  labels: string[];
  series: Series[];
}

const LEFT = 40;
const TOP = 10;
const PLOT_WIDTH = 620;
const PLOT_HEIGHT = 200;
const BOTTOM = 30;
// Colour-blind-safe (Okabe–Ito), the bar charts' order.
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7'];

/** A `<figure>` with the chart's caption, a legend and the SVG. */
export function lineChart(spec: LineChartSpec): string {
  const n = spec.labels.length;
  const max = Math.max(1, ...spec.series.flatMap((s) => s.values));
  const x = (i: number) => LEFT + (n < 2 ? PLOT_WIDTH / 2 : (i * PLOT_WIDTH) / (n - 1));
  const y = (v: number) => TOP + PLOT_HEIGHT - (v / max) * PLOT_HEIGHT;
  const parts: string[] = [
    `<line x1="${LEFT}" y1="${TOP + PLOT_HEIGHT}" x2="${LEFT + PLOT_WIDTH}" y2="${TOP + PLOT_HEIGHT}" stroke="#888"/>`,
    `<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + PLOT_HEIGHT}" stroke="#888"/>`,
    `<text x="${LEFT - 4}" y="${TOP + 4}" text-anchor="end">${max}</text>`,
    `<text x="${LEFT - 4}" y="${TOP + PLOT_HEIGHT}" text-anchor="end">0</text>`,
  ];
  // The first and last day, and a tick a week apart between them.
  spec.labels.forEach((label, i) => {
    if (i % 7 === 0 || i === n - 1) parts.push(`<text x="${x(i)}" y="${TOP + PLOT_HEIGHT + 18}" text-anchor="middle">${escapeHtml(label.slice(5))}</text>`);
  });
  spec.series.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length]!;
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`);
    s.values.forEach((v, i) => {
      const label = spec.labels[i] ?? '';
      parts.push(`<circle class="point" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${colour}" data-label="${escapeHtml(label)}" data-metric="${escapeHtml(s.metric)}" data-value="${v}"><title>${escapeHtml(`${label}: ${v} ${s.label}`)}</title></circle>`);
    });
  });
  const width = LEFT + PLOT_WIDTH + 20;
  const height = TOP + PLOT_HEIGHT + BOTTOM;
  const legend = `<ul class="legend">${spec.series
    .map((s, k) => `<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${COLOURS[k % COLOURS.length]}"/></svg> ${escapeHtml(s.label)}</li>`)
    .join('')}</ul>`;
  const captionId = `${spec.id}-caption`;
  return [
    `<figure data-chart="${escapeHtml(spec.id)}" data-max="${max}">`,
    `<figcaption id="${escapeHtml(captionId)}">${escapeHtml(spec.caption)}${legend}</figcaption>`,
    n === 0
      ? '<p class="empty">No data.</p>'
      : `<svg role="img" aria-labelledby="${escapeHtml(captionId)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`,
    '</figure>',
  ].join('\n');
}
