/**
 * edX tracking events to xAPI statements: the rule tables of every event family, and
 * the engine that applies them. The engine adds what every statement has, once: the
 * deterministic id, the pseudonymous actor, the timestamp, the course as parent, the
 * platform and the source event type. Pure: no I/O, settings or clock (DESIGN.md).
 */
import type { EdxEvent } from '../ingest/edx/event.js';
import { accountActor } from '../xapi/ids.js';
import type { Rejection } from '../xapi/run-summary.js';
import type { ContextActivities, Extensions, Statement } from '../xapi/types.js';
import { ACTIVITY_TYPE, EXT } from '../xapi/vocabulary.js';
import { activity } from './edx/activities.js';
import { bookmarkRules } from './edx/bookmarks.js';
import { dragAndDropRules } from './edx/drag-and-drop.js';
import { courseOf, type CourseRunOf } from './edx/course-of.js';
import { enrollmentRules } from './edx/enrollment.js';
import { examRules } from './edx/exams.js';
import { FieldError } from '../xapi/fields.js';
import { forumRequestRule } from './edx/forum-requests.js';
import { forumRules } from './edx/forum.js';
import { gradeRules } from './edx/grades.js';
import { eventKey, statementIdAt } from './edx/identity.js';
import { masterCourse, parseCourseId, type EdxIris } from './edx/ids.js';
import { navigationRules } from './edx/navigation.js';
import { oraRules } from './edx/ora.js';
import { pageViewRule } from './edx/pages.js';
import { pollRules } from './edx/polls.js';
import { problemRules } from './edx/problems.js';
import type { EdxRule, EdxRuleEntry, EdxRuleTable, FreeText, Ignored, IgnoredReason } from './edx/rule.js';
import { textbookRules } from './edx/textbook.js';
import { videoRules } from './edx/video.js';

/** Every rule, keyed by the exact edX event type. Event types not here (and not page paths) are ignored. */
export const EDX_RULES: EdxRuleTable = {
  ...enrollmentRules,
  ...gradeRules,
  ...problemRules,
  ...videoRules,
  ...navigationRules,
  ...forumRules,
  ...textbookRules,
  ...examRules,
  ...oraRules,
  ...dragAndDropRules,
  ...bookmarkRules,
  ...pollRules,
};

/** What the engine needs besides the event. */
export interface EdxTranslateOptions {
  iris: EdxIris;
  /** The actor's account `homePage`: the LMS. */
  homePage: string;
  /** The account name for a user key (`<user id>` or `username:<name>`): a pseudonym, or a linked ECO user id. */
  actorName: (userKey: string) => string;
  /** The user id a username stands for, where the stream tied them; else the username's own pseudonym is used. */
  userIdOf?: (username: string) => string | undefined;
  /** The one run of an old course (`i4x://org/course/...` blocks name none) that the stream knows. */
  courseRunOf?: CourseRunOf;
  /** Only these courses (new id form) are translated, with their CCXs; others are ignored. Unset: all. */
  courseIds?: ReadonlySet<string>;
  /** Learner-typed text (typed answers, search queries) as statements hold it. Unset: kept. */
  freeText?: FreeText;
}

/** What became of one event. */
export type EdxTranslation =
  /** `unresolved`: the learner is named by a username no event tied to a user id. */
  | { statements: (Statement & { id: string })[]; unresolved?: true }
  | { ignored: IgnoredReason }
  | { rejection: Rejection };

export type { IgnoredReason } from './edx/rule.js';

/** The `context.platform` of every edX statement. */
export const EDX_PLATFORM = 'Open edX';

/**
 * Translates one normalized event.
 * @example const t = translateEdxEvent(event, { iris, homePage, actorName: (k) => pseudonym(secret, k) });
 */
export function translateEdxEvent(e: EdxEvent, opts: EdxTranslateOptions): EdxTranslation {
  const site = siteOf(e);
  if (site !== undefined) return { ignored: site };
  const rule = ruleOf(e);
  if ('ignore' in rule) return { ignored: rule.ignore };
  // Every rule function may throw FieldError, the learner's too: a bad field is a rejection, never a crash.
  try {
    return translateWith(rule, e, opts);
  } catch (err) {
    if (err instanceof FieldError) return { rejection: err.rejection };
    throw err;
  }
}

/** The statements of an event whose rule is known; rule functions throw FieldError. */
function translateWith(rule: EdxRule, e: EdxEvent, opts: EdxTranslateOptions): EdxTranslation {
  const ownKey = rule.learner?.(e) ?? e.userId ?? (e.username === undefined ? undefined : `username:${e.username}`);
  const byId = rule.learner?.(e) ?? e.userId ?? (e.username === undefined ? undefined : opts.userIdOf?.(e.username));
  const userKey = byId ?? ownKey;
  if (userKey === undefined) return { ignored: 'no learner' };
  const rawCourse = courseOf(e, opts.courseRunOf);
  if (rawCourse === undefined) return rule.outsideCourse === 'ignore' ? { ignored: 'not learning activity' } : { rejection: { code: 'missing_field', field: 'context.course_id', detail: '' } };
  const course = parseCourseId(rawCourse);
  if (course === undefined) return { rejection: { code: 'bad_value', field: 'context.course_id', detail: 'is not an edX course id' } };
  const master = masterCourse(course);
  if (opts.courseIds !== undefined && !opts.courseIds.has(course.id) && !(master !== undefined && opts.courseIds.has(master.id))) return { ignored: 'course not selected' };
  const c = { course, iris: opts.iris, freeText: opts.freeText ?? ((text: string) => text) };
  const courseActivity = activity(opts.iris.course(course), ACTIVITY_TYPE.course);
  const object = rule.object(e, c);
  const parents = [courseActivity, ...(rule.parents?.(e, c) ?? [])].filter((p) => p.id !== object.id);
  const contextActivities: ContextActivities = { parent: parents };
  if (rule.category !== undefined) contextActivities.category = rule.category;
  // A CCX is its own course run; its master course groups the CCXs run from one content.
  if (master !== undefined) contextActivities.grouping = [activity(opts.iris.course(master), ACTIVITY_TYPE.course)];
  const extensions: Extensions = { [EXT.sourceType]: e.type, ...rule.extensions?.(e, c) };
  if (e.session !== undefined) extensions[EXT.sessionId] = e.session;
  const statement: Statement & { id: string } = {
    // Statement i of the event gets id i of its key (identity.ts): none is shared. The key
    // names the learner as the event does, so resolving a username later keeps the id.
    id: statementIdAt(eventKey(e, ownKey!), 0),
    actor: accountActor(opts.homePage, opts.actorName(userKey)),
    verb: typeof rule.verb === 'function' ? rule.verb(e) : rule.verb,
    object,
    context: { platform: EDX_PLATFORM, contextActivities, extensions },
    timestamp: e.time,
  };
  const result = rule.result?.(e, c);
  if (result !== undefined && Object.keys(result).length > 0) statement.result = result;
  return byId === undefined ? { statements: [statement], unresolved: true } : { statements: [statement] };
}

/**
 * Sites of an Open edX install where no learner learns, by the first label of the host
 * that logged the event (the install's convention: `studio.<lms>`, `preview.<lms>`), or
 * Studio's `cms` event source: their events are staff at work, not learning.
 */
const STAFF_SITES: Record<string, IgnoredReason> = { studio: 'Studio (course authoring)', preview: 'preview LMS (staff preview)' };

function siteOf(e: EdxEvent): IgnoredReason | undefined {
  if (e.source === 'cms') return STAFF_SITES.studio;
  if (e.host === undefined) return undefined;
  const dot = e.host.indexOf('.');
  const label = dot === -1 ? e.host : e.host.slice(0, dot);
  return Object.hasOwn(STAFF_SITES, label) ? STAFF_SITES[label] : undefined;
}

const NOT_LEARNING: Ignored = { ignore: 'not learning activity' };
const REQUEST_TWIN: Ignored = { ignore: 'request twin of an event' };

/** The rule of a server request, logged under its URL path: a forum action, else a page view. */
function requestRule(e: EdxEvent): EdxRule | Ignored | 'ignore' {
  const forum = forumRequestRule(e);
  return forum === 'twin' ? REQUEST_TWIN : (forum ?? pageViewRule(e));
}

/** The rule of an event: by exact type, by source where edX emits it from both sides, or as a request. */
function ruleOf(e: EdxEvent): EdxRule | Ignored {
  const entry: EdxRuleEntry | undefined = Object.hasOwn(EDX_RULES, e.type) ? EDX_RULES[e.type] : undefined;
  const found = entry === undefined ? (e.type.startsWith('/') ? requestRule(e) : 'ignore') : entry !== 'ignore' && 'bySource' in entry ? entry.bySource[(e.source ?? 'server') as 'server'] : entry;
  return found === undefined || found === 'ignore' ? NOT_LEARNING : found;
}

