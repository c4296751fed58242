/**
 * Server page views, logged with the URL path as their event type
 * (`/courses/<course id>/courseware/<chapter>/<sequential>/`). Learning pages become
 * `viewed` (wiki pages posted to `_create` or `_edit` become `created` or `updated`,
 * a problem's `problem_get` handler request `viewed` the problem);
 * every other path (static assets, `/jsi18n/`, login, AJAX handlers) is ignored.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Activity } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB, type ActivityType } from '../../xapi/vocabulary.js';
import { activity, block } from './activities.js';
import { at } from './fields.js';
import { blockOf, pathSegment } from './ids.js';
import type { EdxRule, RuleContext } from './rule.js';

/** The course of a `/courses/<course id>/...` path, as written. */
export function pathCourseId(path: string): string | undefined {
  const m = /^\/courses\/((?:course|ccx)-v1:[^/]+|[^/]+\/[^/]+\/[^/]+)\//.exec(path);
  return m?.[1];
}

/** The course of a page URL (`https://lms/courses/<id>/...`), as written: 2013 browser events name it nowhere else. */
export function pageCourseId(page: string | undefined): string | undefined {
  const m = page === undefined ? null : /^https?:\/\/[^/]+(\/courses\/.*)$/.exec(page);
  return m === null ? undefined : pathCourseId(m[1]!);
}

/** A kind of course page and the path after `/courses/<id>/` that is one. */
interface PageKind {
  kind: string;
  pattern: RegExp;
  /** Parents the path names (courseware's chapter and sequential). */
  parents?: (m: RegExpExecArray, c: RuleContext) => Activity[];
  /** The object, when the path names a block rather than a page. */
  object?: (m: RegExpExecArray, c: RuleContext) => Activity;
}

/** A block named in a path: decoded, and `i4x:/` (a path collapses `//`) made `i4x://` again; a problem unless `type` says. */
function pathBlock(raw: string, c: RuleContext, type: ActivityType = ACTIVITY_TYPE.cmiInteraction): Activity {
  let id = raw;
  try {
    id = decodeURIComponent(raw);
  } catch {
    // A stray `%` is part of the id as written.
  }
  return block(c, id.replace(/^i4x:\/(?!\/)/, 'i4x://'), 'event_type', type, { category: 'problem' });
}

const PAGE_KINDS: PageKind[] = [
  { kind: 'info', pattern: /^info\/?$/ },
  { kind: 'about', pattern: /^about\/?$/ },
  { kind: 'home', pattern: /^course\/?$/ },
  { kind: 'progress', pattern: /^progress\/?$/ },
  {
    kind: 'courseware',
    pattern: /^courseware(?:\/([^/]+)(?:\/([^/]+)(?:\/\d+)?)?)?\/?$/,
    parents: (m, c) => [
      ...(m[1] === undefined ? [] : [activity(c.iris.block(blockOf(c.course, 'chapter', m[1])), ACTIVITY_TYPE.module)]),
      ...(m[2] === undefined ? [] : [activity(c.iris.block(blockOf(c.course, 'sequential', m[2])), ACTIVITY_TYPE.lesson)]),
    ],
  },
  { kind: 'discussion', pattern: /^discussion\/forum(?:\/[^/]+(?:\/threads\/[^/]+)?)?\/?$/ },
  { kind: 'wiki', pattern: /^(?:course_)?wiki(?:\/.*)?$/ },
  { kind: 'textbook', pattern: /^(?:pdf|html)?book\/\d+(?:\/.*)?$/ },
  { kind: 'syllabus', pattern: /^syllabus\/?$/ },
  // The learning MFE (since 2020) shows each unit in an iframe of `/xblock/<vertical>`:
  // that request is the learner opening the unit, the page view of today's courseware.
  {
    kind: 'unit',
    pattern: /^xblock\/((?:ccx-)?block-v1:[^/]+\+type@vertical\+block@[^/]+)\/?$/,
    object: (m, c) => pathBlock(m[1]!, c, ACTIVITY_TYPE.lesson),
  },
  // The problem's own request for its markup: the learner opened it. The other
  // handler requests (problem_check, problem_show, problem_reset, problem_save,
  // input_ajax, goto_position, save_user_state, ...) are the request twins of events
  // that say more, or no learning act, and fall through to ignored.
  {
    kind: 'problem',
    pattern: /^(?:xblock\/([^/]+)\/handler\/xmodule_handler|modx\/(i4x:\/\/?[^/]+\/[^/]+\/problem\/[^/]+))\/problem_get\/?$/,
    object: (m, c) => pathBlock((m[1] ?? m[2])!, c),
  },
];

/** The page kind of `e`'s path within its course, with the match, or undefined (not a learning page). */
function pageOf(e: EdxEvent): { kind: PageKind; match: RegExpExecArray; path: string } | undefined {
  const path = e.type.split('?')[0]!;
  const inCourse = pathCourseId(path);
  const rest = inCourse !== undefined ? path.slice(`/courses/${inCourse}/`.length) : path.startsWith('/wiki/') || path.startsWith('/xblock/') ? path.slice(1) : undefined;
  if (rest === undefined) return undefined;
  for (const kind of PAGE_KINDS) {
    const match = kind.pattern.exec(rest);
    if (match !== null) return { kind, match, path };
  }
  return undefined;
}

/** Whether the server logged a form post with fields (the tracking log's `event.POST`). */
function posted(e: EdxEvent): boolean {
  const post = at(e, 'POST');
  return typeof post === 'object' && post !== null && Object.keys(post).length > 0;
}

/** The rule of a page view, or 'ignore' when the path is no learning page. */
export function pageViewRule(e: EdxEvent): EdxRule | 'ignore' {
  const page = pageOf(e);
  if (page === undefined) return 'ignore';
  const wikiWrite = page.kind.kind === 'wiki' && posted(e) ? (/\/_create\/?$/.test(page.path) ? VERB.created : /\/_edit\/?$/.test(page.path) ? VERB.updated : undefined) : undefined;
  return {
    verb: wikiWrite ?? VERB.viewed,
    object: (_e, c) => page.kind.object?.(page.match, c) ?? activity(c.iris.page(wikiWrite === undefined ? page.path : articlePath(e, page.path)), ACTIVITY_TYPE.page),
    parents: page.kind.parents === undefined ? undefined : (_e, c) => page.kind.parents!(page.match, c),
    extensions: () => ({ [EXT.pageKind]: page.kind.kind }),
  };
}

/** The article a wiki form wrote: `<article>/_edit/`, or `<parent>/_create/` with the posted slug. */
function articlePath(e: EdxEvent, path: string): string {
  const parent = path.replace(/_(?:create|edit)\/?$/, '');
  if (!/\/_create\/?$/.test(path)) return parent;
  const slug = at(e, 'POST.slug');
  const name = Array.isArray(slug) ? slug[0] : slug;
  return typeof name === 'string' && name !== '' ? `${parent}${pathSegment(name)}/` : parent;
}
