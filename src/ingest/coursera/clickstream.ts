/**
 * Coursera clickstream files (`access-YYYY-MM-DD.csv`, or `.csv.gz`, of a
 * `RESEARCH_EVENTING` export) as page-view records, in constant memory. The files have
 * no header. A view's page type comes from its URL: an item page
 * (`/learn/<slug>/<category>/<item id>/...`), the forums (`/learn/<slug>/discussions/...`)
 * or another page of the course. Rows of other keys, and views outside `/learn/<slug>`,
 * are counted by key and never become records; IPs, user agents and places are not read.
 */
import type { ExportFile } from './export-files.js';
import { readCsvRows } from '../csv-rows.js';
import { ITEM_PAGE_SEGMENTS, type ClickstreamRecord, type CourseraRow, type ItemPageSegment } from './records.js';
import { FieldError, type Fields } from '../../xapi/fields.js';
import { courseraFields, parseCourseraEpochTime } from './row-fields.js';

/** The columns of a clickstream row, in file order. */
export const CLICKSTREAM_COLUMNS = [
  'hashed_user_id', 'hashed_session_id', 'timestamp', 'hashed_ip', 'user_agent', 'url', 'referrer', 'lang',
  'course_branch_id', 'country', 'region', 'timezone', 'OS', 'browser', 'key', 'json_event',
] as const;

/** The keys of rows that are page views. */
export const PAGE_VIEW_KEYS: ReadonlySet<string> = new Set(['pageview']);

/** The summary type of rows of a key that is not a page view. */
export const otherKeyType = (key: string) => `clickstream:key:${key}`;

/** The summary type of page views outside a course (`/browse`, `/search`, the home page). */
export const OUTSIDE_COURSE_TYPE = 'clickstream:outside-course';

/** The summary type of rows that cannot be read far enough to know their page type. */
export const UNREADABLE_CLICKSTREAM_TYPE = 'clickstream';

const COLUMNS = new Map<string, number>(CLICKSTREAM_COLUMNS.map((c, i) => [c, i]));
const ITEM_SEGMENTS: ReadonlySet<string> = new Set(ITEM_PAGE_SEGMENTS);

/** Where a URL leads within a course: an item page, the forums, another page; undefined outside `/learn/<slug>`. */
export type CoursePage =
  | { kind: 'item'; segment: ItemPageSegment; itemId: string; path: string }
  | { kind: 'forums'; path: string }
  | { kind: 'page'; path: string };

/**
 * The course page of a clickstream URL (absolute, or a path).
 * @example coursePage('https://www.coursera.org/learn/ml/lecture/AbC12/intro') // { kind: 'item', segment: 'lecture', itemId: 'AbC12', ... }
 */
export function coursePage(url: string): CoursePage | undefined {
  // A regular expression, not `new URL`: this runs on every row of million-row files.
  const pathname = PATHNAME.exec(url)?.[1];
  if (pathname === undefined) return undefined;
  const parts = pathname.split('/').filter((p) => p !== '').map(decode);
  if (parts[0] !== 'learn' || parts[1] === undefined) return undefined;
  const rest = parts.slice(2);
  const path = rest.join('/');
  const [segment, id] = rest;
  if (segment !== undefined && id !== undefined && ITEM_SEGMENTS.has(segment)) return { kind: 'item', segment: segment as ItemPageSegment, itemId: id, path };
  if (segment === 'discussions') return { kind: 'forums', path };
  return { kind: 'page', path };
}

// The path of an absolute URL (scheme and host dropped) or of a bare path; no query or fragment.
const PATHNAME = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/?#]*)?(\/[^?#]*)/i;

function decode(part: string): string {
  if (!part.includes('%')) return part;
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * The rows of clickstream files in order: page views of a course as records, other rows
 * as skipped (counted by key), malformed ones as rejections at `file:line`.
 * @example for await (const row of readClickstream(files.clickstream)) ...
 */
export async function* readClickstream(files: readonly ExportFile[]): AsyncGenerator<CourseraRow> {
  for (const file of files) {
    for await (const row of readCsvRows(file)) {
      const at = `${file.at}:${row.line ?? '?'}`;
      if (!row.ok) {
        const field = row.column === undefined ? undefined : CLICKSTREAM_COLUMNS[row.column];
        yield { ok: false, at, source: UNREADABLE_CLICKSTREAM_TYPE, rejection: { code: 'unreadable', ...(field === undefined ? {} : { field }), detail: row.detail } };
        continue;
      }
      if (row.cells.length !== CLICKSTREAM_COLUMNS.length) {
        yield { ok: false, at, source: UNREADABLE_CLICKSTREAM_TYPE, rejection: { code: 'unreadable', detail: `${row.cells.length} cells where a clickstream row has ${CLICKSTREAM_COLUMNS.length}` } };
        continue;
      }
      yield clickstreamRow(courseraFields(COLUMNS, row.cells), at);
    }
  }
}

/** One well-formed row as a record, a skipped row or a rejection. */
function clickstreamRow(f: Fields, at: string): CourseraRow {
  const key = f.opt('key') ?? '';
  const page = PAGE_VIEW_KEYS.has(key) ? coursePage(f.opt('url') ?? '') : undefined;
  const type: string = !PAGE_VIEW_KEYS.has(key) ? otherKeyType(key) : page === undefined ? OUTSIDE_COURSE_TYPE : page.kind === 'item' ? `clickstream:${page.segment}` : page.kind === 'forums' ? 'clickstream:discussions' : 'clickstream:page';
  if (!isJson(f.opt('json_event'))) return { ok: false, at, source: type, rejection: { code: 'unreadable', field: 'json_event', detail: 'not JSON' } };
  if (page === undefined) return { ok: 'skipped', at, source: type };
  try {
    const sessionId = f.opt('hashed_session_id');
    const base = { userId: f.req('hashed_user_id'), time: f.reqTime('timestamp', parseCourseraEpochTime), path: page.path, ...(sessionId === undefined ? {} : { sessionId }) };
    const record: ClickstreamRecord =
      page.kind === 'item' ? { type: `clickstream:${page.segment}`, segment: page.segment, itemId: page.itemId, ...base } : page.kind === 'forums' ? { type: 'clickstream:discussions', ...base } : { type: 'clickstream:page', ...base };
    return { ok: true, at, source: type, record };
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    return { ok: false, at, source: type, rejection: err.rejection };
  }
}

/** Whether a `json_event` cell is empty or JSON: the event's payload, checked though not used. */
function isJson(value: string | undefined): boolean {
  if (value === undefined) return true;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}
