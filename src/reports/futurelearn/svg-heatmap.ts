/**
 * A heat map as inline SVG: labelled rows × labelled columns of cells shaded by their
 * value against the largest, rendered on the server like the bar charts. Every cell
 * carries its numbers in `data-*` attributes and a `<title>` (its tooltip); an empty
 * cell is grey, so zero never looks like a light shade.
 */
import { escapeHtml } from './svg-chart.js';

/** One row: its label and a value per column. */
export interface HeatmapRowSpec {
  label: string;
  values: number[];
}

/** A heat map: column labels, rows, the unit named in tooltips, and how often a column is labelled. */
export interface HeatmapSpec {
  /** Names the chart in `data-chart`. */
  id: string;
  caption: string;
  columns: string[];
  rows: HeatmapRowSpec[];
  /** Tooltip text of a cell: `<row> <column>: <value> <unit>`. */
  unit: string;
  /** The text shown over a column, shorter than the column's name (e.g. `03-02` of a day); the name itself by default. */
  columnLabel?: (column: string) => string;
}

const CELL = 14;
const LABEL_WIDTH = 80;
const HEADER = 44;
const EMPTY = '#eeeeee';

// A light to a dark blue: the cell's share of the largest value picks the shade.
function shade(value: number, max: number): string {
  if (value <= 0 || max <= 0) return EMPTY;
  const t = 0.2 + (0.8 * value) / max;
  const mix = (from: number, to: number) => Math.round(from + (to - from) * t).toString(16).padStart(2, '0');
  return `#${mix(0xde, 0x08)}${mix(0xeb, 0x30)}${mix(0xf7, 0x6b)}`;
}

/** A `<figure>` with the caption and the SVG, in a box that scrolls sideways on a narrow screen. */
export function heatmap(spec: HeatmapSpec): string {
  const max = Math.max(0, ...spec.rows.flatMap((r) => r.values));
  const parts: string[] = [];
  // A label on the first column and every seventh: a week apart for days.
  spec.columns.forEach((column, j) => {
    if (j % 7 === 0) parts.push(`<text transform="translate(${LABEL_WIDTH + j * CELL + CELL / 2},${HEADER - 4}) rotate(-60)">${escapeHtml(spec.columnLabel?.(column) ?? column)}</text>`);
  });
  spec.rows.forEach((row, i) => {
    const y = HEADER + i * CELL;
    parts.push(`<text x="${LABEL_WIDTH - 6}" y="${y + CELL / 2}" text-anchor="end" dominant-baseline="middle">${escapeHtml(row.label)}</text>`);
    row.values.forEach((v, j) => {
      const column = spec.columns[j] ?? '';
      parts.push(
        `<rect class="cell" x="${LABEL_WIDTH + j * CELL}" y="${y}" width="${CELL - 1}" height="${CELL - 1}" fill="${shade(v, max)}"` +
          ` data-row="${escapeHtml(row.label)}" data-column="${escapeHtml(column)}" data-value="${v}"><title>${escapeHtml(`${row.label} ${column}: ${v} ${spec.unit}`)}</title></rect>`,
      );
    });
  });
  const width = LABEL_WIDTH + spec.columns.length * CELL + 10;
  const height = HEADER + spec.rows.length * CELL + 4;
  const captionId = `${spec.id}-caption`;
  const legend = `<ul class="legend"><li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${EMPTY}"/></svg> 0</li><li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${shade(max, max)}"/></svg> ${max}</li></ul>`;
  return [
    `<figure data-chart="${escapeHtml(spec.id)}" data-max="${max}">`,
    `<figcaption id="${escapeHtml(captionId)}">${escapeHtml(spec.caption)}${legend}</figcaption>`,
    spec.rows.length === 0 || spec.columns.length === 0
      ? '<p class="empty">No data.</p>'
      : `<div class="scroll"><svg class="heatmap" role="img" aria-labelledby="${escapeHtml(captionId)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg></div>`,
    '</figure>',
  ].join('\n');
}
