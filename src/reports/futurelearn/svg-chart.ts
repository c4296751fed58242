/**
 * Horizontal bar charts as inline SVG, rendered on the server: no script, no external
 * resource, so the dashboard works under a CSP that forbids both. Every bar carries its
 * number in `data-*` attributes and a `<title>` (the tooltip and its accessible name).
 */

/** Text made safe for HTML and SVG content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One bar: what it measures (`metric`, also its colour), its value and its tooltip text. */
export interface Bar {
  metric: string;
  value: number;
  title: string;
}

/** Bars drawn together under one label (e.g. a step's visited and completed). */
export interface BarGroup {
  label: string;
  bars: Bar[];
}

/** A chart: the value a full-width bar stands for, the metrics in legend order, the groups. */
export interface BarChartSpec {
  /** Names the chart in `data-chart`. */
  id: string;
  caption: string;
  max: number;
  metrics: { metric: string; label: string }[];
  groups: BarGroup[];
  /** Appended to the value shown after a bar, e.g. '%'. */
  unit?: string;
}

const LABEL_WIDTH = 190;
const BAR_AREA = 420;
const VALUE_WIDTH = 70;
const BAR_HEIGHT = 16;
const BAR_GAP = 3;
const GROUP_GAP = 10;
// Colour-blind-safe (Okabe–Ito); presentation attributes, which a CSP does not govern.
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** A `<figure>` with the chart's caption, a legend and the SVG. */
export function barChart(spec: BarChartSpec): string {
  const colour = new Map(spec.metrics.map((m, i) => [m.metric, COLOURS[i % COLOURS.length]!]));
  // A chart of zeros still draws: every bar is zero wide.
  const scale = spec.max > 0 ? BAR_AREA / spec.max : 0;
  const parts: string[] = [];
  let y = 0;
  for (const group of spec.groups) {
    const groupHeight = group.bars.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + groupHeight / 2}" text-anchor="end" dominant-baseline="middle">${escapeHtml(group.label)}</text>`);
    for (const bar of group.bars) {
      const width = Math.max(0, bar.value) * scale;
      parts.push(
        `<rect class="bar" x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(2)}" height="${BAR_HEIGHT}" fill="${colour.get(bar.metric) ?? COLOURS[0]}"` +
          ` data-group="${escapeHtml(group.label)}" data-metric="${escapeHtml(bar.metric)}" data-value="${bar.value}"><title>${escapeHtml(bar.title)}</title></rect>`,
        `<text x="${LABEL_WIDTH + width + 4}" y="${y + BAR_HEIGHT / 2}" dominant-baseline="middle" class="value">${fmt(bar.value)}${escapeHtml(spec.unit ?? '')}</text>`,
      );
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP - BAR_GAP;
  }
  const height = Math.max(y - GROUP_GAP + BAR_GAP, BAR_HEIGHT);
  const width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
  const legend = spec.metrics.length < 2 ? '' : `<ul class="legend">${spec.metrics
    .map((m) => `<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${colour.get(m.metric)}"/></svg> ${escapeHtml(m.label)}</li>`)
    .join('')}</ul>`;
  const captionId = `${spec.id}-caption`;
  return [
    `<figure data-chart="${escapeHtml(spec.id)}" data-max="${spec.max}">`,
    `<figcaption id="${escapeHtml(captionId)}">${escapeHtml(spec.caption)}${legend}</figcaption>`,
    spec.groups.length === 0
      ? '<p class="empty">No data.</p>'
      : `<svg role="img" aria-labelledby="${escapeHtml(captionId)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`,
    '</figure>',
  ].join('\n');
}
