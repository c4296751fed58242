/**
 * The index of FutureLearn courses and runs: what has been imported, with each run's
 * days and learners, a link to each run's dashboard and one to the course's comparison.
 */
import { renderPage } from './page.js';
import { escapeHtml } from './svg-chart.js';

/** A run as the import recorded it. */
export interface ListedRun {
  course: string;
  run: string;
  startDate: string | null;
  endDate: string | null;
  learners: number | null;
  importedAt: string;
}

/** The runs an import has read, by course then run. */
export type RunLister = () => Promise<ListedRun[]>;

/** One course and its runs, with the URLs of their pages. */
export interface IndexedCourse {
  course: string;
  compare: string;
  runs: (ListedRun & { dashboard: string })[];
}

const BASE = '/reports/futurelearn';

/** The runs grouped by course, in the lister's order, with their page URLs. */
export function courseIndexOf(runs: readonly ListedRun[]): IndexedCourse[] {
  const courses = new Map<string, IndexedCourse>();
  for (const r of runs) {
    const path = `${BASE}/${encodeURIComponent(r.course)}`;
    const course = courses.get(r.course) ?? { course: r.course, compare: `${path}/compare`, runs: [] };
    courses.set(r.course, course);
    course.runs.push({ ...r, dashboard: `${path}/${encodeURIComponent(r.run)}` });
  }
  return [...courses.values()];
}

/** The index page; every text from data is escaped. */
export function renderRunIndex(courses: readonly IndexedCourse[]): string {
  const sections = courses.map((c) => {
    const rows = c.runs
      .map((r) => `<tr data-course="${escapeHtml(r.course)}" data-run="${escapeHtml(r.run)}"><td><a href="${escapeHtml(r.dashboard)}">Run ${escapeHtml(r.run)}</a></td><td>${escapeHtml(r.startDate ?? '–')}</td><td>${escapeHtml(r.endDate ?? '–')}</td><td class="n">${r.learners ?? '–'}</td><td>${escapeHtml(r.importedAt.slice(0, 16).replace('T', ' '))} UTC</td></tr>`)
      .join('\n');
    return `<section data-course="${escapeHtml(c.course)}"><h2>${escapeHtml(c.course)}</h2>
<p><a href="${escapeHtml(c.compare)}">Compare its runs</a></p>
<div class="scroll"><table><thead><tr><th scope="col">Run</th><th scope="col">Starts</th><th scope="col">Ends</th><th scope="col">Learners</th><th scope="col">Last imported</th></tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
  });
  const main = sections.length === 0 ? '<p class="empty">No FutureLearn run has been imported yet.</p>' : sections.join('\n');
  return renderPage('FutureLearn courses and runs', `<p>Every run imported, with the days its folder names and the learners of its enrolments file. <a href="${BASE}/courses.json">As JSON</a>.</p>`, main);
}
