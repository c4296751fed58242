/**
 * Parsers of the FutureLearn facilitator admin pages: pure functions from HTML to typed
 * records. FutureLearn has no API for course teams, so these pages are the interface,
 * and they change without notice. A page that lacks what is expected is a
 * `FutureLearnPageError` naming the page and the element, never an empty result: the
 * old tool re-fetched such a page forever waiting for the element to appear.
 */
import { load } from 'cheerio';

/** A page no longer has the structure this parser knows. */
export class FutureLearnPageError extends Error {
  override readonly name = 'FutureLearnPageError';
  readonly code = 'page_changed';
  constructor(readonly path: string, missing: string) {
    super(`${path}: ${missing}`);
  }
}

/** The statuses of a run as the course list shows them; others are kept as written. */
export type RunStatus = 'in progress' | 'finished' | 'upcoming' | (string & {});

/** One run of a course, a row of the course list. */
export interface CourseRun {
  run: number;
  /** First day, YYYY-MM-DD; absent only on upcoming runs without a date yet. */
  start?: string;
  /** Length in weeks; absent only on upcoming runs. */
  weeks?: number;
  status: RunStatus;
  /** Path of the run details page, when linked. */
  detailsPath?: string;
  /** Path of the stats dashboard; absent only on upcoming runs. */
  statsPath?: string;
}

/** A course of the organisation, a `<tbody>` of the course list. */
export interface CourseListing {
  slug: string;
  title: string;
  runs: CourseRun[];
}

/** A dataset download offered by a run's stats dashboard. */
export interface DatasetLink {
  /** The dataset, e.g. `step-activity`: also the file name. */
  name: string;
  path: string;
}

// Slugs and dataset names become folder and file names: only plain names pass.
const NAME = '[A-Za-z0-9][A-Za-z0-9_.-]*';
const COURSE_LINK = new RegExp(`^/admin/courses/(${NAME})/?$`);
const RUN_LINK = new RegExp(`^/admin/courses/(${NAME})/(\\d+)/?$`);
const STATS_LINK = new RegExp(`^/admin/courses/(${NAME})/(\\d+)/stats-dashboard/?$`);
const DATASET_LINK = new RegExp(`^/admin/courses/(${NAME})/(\\d+)/stats-dashboard/data/(${NAME})/?$`);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The courses and runs of `/admin/organisations/<org>/courses`: one `<tbody>` per course
 * (a heading row with the course link, then one `<tr>` per run), columns found by their
 * `<thead>` titles so that a reordering does not break the parse.
 * @example parseCourseList(html, '/admin/organisations/uni/courses') // [{ slug: 'intro', title: 'Intro', runs: [...] }]
 */
export function parseCourseList(html: string, pagePath: string): CourseListing[] {
  const $ = load(html);
  const bodies = $('table tbody');
  if (bodies.length === 0) throw new FutureLearnPageError(pagePath, 'no course table (tbody) found');
  const headers = $(bodies.first().closest('table')).find('thead th').toArray().map((th) => $(th).text().trim().toLowerCase());
  const column = (label: RegExp, title: string) => {
    const index = headers.findIndex((h) => label.test(h));
    if (index < 0) throw new FutureLearnPageError(pagePath, `no "${title}" column in the course table header`);
    return index;
  };
  const cols = { start: column(/start/, 'Start date'), duration: column(/duration|weeks/, 'Duration'), status: column(/status/, 'Status') };

  return bodies.toArray().map((body, n) => {
    const where = `course table body ${n + 1}`;
    const heading = $(body).find('tr').filter((_, tr) => $(tr).children('td').length === 0).first();
    const courseLink = heading.find('a[href]').toArray().map((a) => pathOf($(a).attr('href'))).find((p) => COURSE_LINK.test(p));
    const runs = $(body).find('tr').filter((_, tr) => $(tr).children('td').length > 0).toArray()
      .map((tr, i) => {
        const cells = $(tr).children('th, td').toArray().map((td) => ({
          text: $(td).text().trim().replace(/\s+/g, ' '),
          // A <time datetime> is the machine-readable date, when the page gives one.
          time: $(td).find('time[datetime]').attr('datetime'),
          links: $(td).find('a[href]').toArray().map((a) => pathOf($(a).attr('href'))),
        }));
        return parseRunRow(cells, cols, pagePath, `${where}, run row ${i + 1}`);
      });
    const slug = COURSE_LINK.exec(courseLink ?? '')?.[1] ?? runs.map((r) => slugOf(r.detailsPath ?? r.statsPath)).find(Boolean);
    if (!slug) throw new FutureLearnPageError(pagePath, `${where}: no course link (/admin/courses/<slug>)`);
    const title = (heading.text().trim() || slug).replace(/\s+/g, ' ');
    for (const r of runs) {
      const other = slugOf(r.statsPath ?? r.detailsPath);
      if (other && other !== slug) throw new FutureLearnPageError(pagePath, `${where}: run ${r.run} links to course ${other}, not ${slug}`);
    }
    return { slug, title, runs };
  });
}

/** The text, `<time datetime>` and link paths of one table cell. */
interface Cell {
  text: string;
  time: string | undefined;
  links: string[];
}

function parseRunRow(cells: Cell[], cols: { start: number; duration: number; status: number }, page: string, where: string): CourseRun {
  const links = cells.flatMap((c) => c.links);
  const detailsPath = links.find((p) => RUN_LINK.test(p));
  const statsPath = links.find((p) => STATS_LINK.test(p));
  const status = (cells[cols.status]?.text ?? '').toLowerCase();
  if (!status) throw new FutureLearnPageError(page, `${where}: no status`);
  const runText = RUN_LINK.exec(detailsPath ?? '')?.[2] ?? STATS_LINK.exec(statsPath ?? '')?.[2] ?? /\d+/.exec(cells[0]?.text ?? '')?.[0];
  if (!runText) throw new FutureLearnPageError(page, `${where}: no run number`);
  const startCell = cells[cols.start];
  const start = parseDay(startCell?.time ?? startCell?.text ?? '');
  const weeksText = /(\d+)\s*weeks?/i.exec(cells[cols.duration]?.text ?? '')?.[1];
  const run: CourseRun = {
    run: Number(runText), status,
    ...(start ? { start } : {}),
    ...(weeksText ? { weeks: Number(weeksText) } : {}),
    ...(detailsPath ? { detailsPath } : {}),
    ...(statsPath ? { statsPath } : {}),
  };
  // An upcoming run has no data yet, and may have no date or dashboard either.
  if (status === 'upcoming') return run;
  if (!statsPath) throw new FutureLearnPageError(page, `${where}: no stats dashboard link (…/stats-dashboard)`);
  if (!start) throw new FutureLearnPageError(page, `${where}: no start date`);
  if (!weeksText) throw new FutureLearnPageError(page, `${where}: no duration in weeks`);
  return run;
}

/**
 * The datasets of a run's stats dashboard: the links `…/stats-dashboard/data/<dataset>`,
 * once each, in page order.
 * @example parseStatsDashboard(html, '/admin/courses/intro/1/stats-dashboard') // [{ name: 'enrolments', path: '…/data/enrolments' }]
 */
export function parseStatsDashboard(html: string, pagePath: string): DatasetLink[] {
  const $ = load(html);
  const seen = new Map<string, DatasetLink>();
  for (const a of $('a[href]').toArray()) {
    const path = pathOf($(a).attr('href'));
    const name = DATASET_LINK.exec(path)?.[3];
    if (name && !seen.has(name)) seen.set(name, { name, path });
  }
  if (seen.size === 0) throw new FutureLearnPageError(pagePath, 'no dataset list (links to …/stats-dashboard/data/<dataset>) found');
  return [...seen.values()];
}

/** The path of a link, without query or fragment (links are site-absolute or full URLs). */
function pathOf(href: string | undefined): string {
  if (!href) return '';
  try {
    return decodeURI(new URL(href, 'http://site.invalid/').pathname);
  } catch {
    return '';
  }
}

function slugOf(path: string | undefined): string | undefined {
  return /^\/admin\/courses\/([^/]+)\//.exec(path ?? '')?.[1];
}

/** A day as YYYY-MM-DD from `2016-08-08`, `2016-08-08T…`, `8 Aug 2016` or `8 August 2016`. */
export function parseDay(text: string): string | undefined {
  const t = text.trim();
  const iso = /^(\d{4})-(\d\d)-(\d\d)/.exec(t);
  if (iso) return validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const written = /(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,})\.?,?\s+(\d{4})/.exec(t);
  if (!written) return undefined;
  const month = MONTHS.indexOf(written[2]!.slice(0, 3).toLowerCase()) + 1;
  return month > 0 ? validDay(Number(written[3]), month, Number(written[1])) : undefined;
}

function validDay(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}
