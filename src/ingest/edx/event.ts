/**
 * One edX tracking event, whichever shape it came in. Two shapes exist: the
 * tracking-log line (`event_type`, `event`, `time`, top-level `username`, `ip`, ...) and
 * event-tracking's native event that routing backends receive (`name`, `data`,
 * `timestamp`, and `context` holding `user_id`, `username`, `session`, ...). Both are
 * brought to `EdxEvent` here, so translators see one record (STYLE.md, connectors).
 */
import type { Rejection } from '../../xapi/run-summary.js';
import { isObject } from '../../xapi/fields.js';

/** A tracking event, normalized. Personal fields (ip, agent, referer) are not kept. */
export interface EdxEvent {
  /** `event_type`, or `name` where there is none: `play_video`, `/courses/<id>/info`, ... */
  type: string;
  /** `server`, `browser`, `mobile`, or undefined when the event does not say. */
  source: string | undefined;
  /** The event's instant in UTC to the microsecond, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  time: string;
  /** `context.user_id` as text, when the event has one. */
  userId: string | undefined;
  /** The username, used (pseudonymized) only when the user id is missing. */
  username: string | undefined;
  /** `context.course_id`, else the event's own `course_id`, when either is there. */
  courseId: string | undefined;
  /** The session key (already a hash in edX logs). */
  session: string | undefined;
  /** The URL of the page the event came from (browser events), else undefined. */
  page: string | undefined;
  /** `context.module`, the block the event is about, where edX names it. */
  module: { usageKey?: string; displayName?: string } | undefined;
  /** The host that logged the event (`lms.example.org`, `studio.…`, `preview.…`): which site, never who. */
  host?: string;
  /** The event's payload (`event` or `data`), parsed when it was a JSON or query string. */
  data: Record<string, unknown>;
}

/** The learner's user id of a decoded event (`context.user_id`, else `user_id`), read even where the rest is bad. */
export function edxUserIdOf(r: Record<string, unknown>): string | undefined {
  return idText(isObject(r.context) ? r.context.user_id : undefined) ?? idText(r.user_id);
}

/** Normalizes one decoded JSON value to an event, or says which field is missing or bad. */
export function normalizeEdxEvent(raw: unknown): EdxEvent | Rejection {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { code: 'bad_value', field: '(event)', detail: 'an event must be a JSON object' };
  }
  const r = raw as Record<string, unknown>;
  const type = text(r.event_type) ?? text(r.name);
  if (type === undefined) return { code: 'missing_field', field: 'event_type', detail: 'neither event_type nor name is set' };
  const context = isObject(r.context) ? r.context : {};
  const rawTime = r.time ?? r.timestamp;
  if (rawTime === undefined) return { code: 'missing_field', field: 'time', detail: '' };
  const time = typeof rawTime === 'string' ? utcMicros(rawTime) : undefined;
  if (time === undefined) return { code: 'bad_value', field: 'time', detail: 'must be an ISO 8601 date and time' };
  const data = payload(r.event ?? r.data);
  const module = isObject(context.module) ? context.module : undefined;
  return {
    type,
    source: text(r.event_source) ?? text(context.event_source),
    time,
    userId: edxUserIdOf(r),
    username: text(r.username) ?? text(context.username),
    courseId: text(context.course_id) ?? text(data.course_id),
    session: text(r.session) ?? text(context.session),
    page: text(r.page) ?? text(context.page),
    module: module === undefined ? undefined : { usageKey: text(module.usage_key), displayName: text(module.display_name) },
    host: text(r.host) ?? text(context.host),
    data,
  };
}

/** Whether `normalizeEdxEvent` returned a rejection. */
export function isRejection(value: EdxEvent | Rejection): value is Rejection {
  return 'code' in value;
}

/** A non-empty string, else undefined. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value);
}

/**
 * The payload as an object. Browser events carry it as a JSON string, some old events as
 * a query string (`input_<id>_2_1=choice_0&...`), and browser `problem_check` as that query
 * string inside a JSON string (`"\"input_...=choice_0\""`): a JSON string that holds a
 * string is read again, once. Anything else is kept under `value`.
 */
function payload(value: unknown, nested = false): Record<string, unknown> {
  if (isObject(value)) return value;
  if (typeof value !== 'string') return value === undefined || value === null ? {} : { value };
  const trimmed = value.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || (!nested && trimmed.startsWith('"'))) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === 'string' && !nested) return payload(parsed, true);
      return isObject(parsed) ? parsed : { value: parsed };
    } catch {
      return { value };
    }
  }
  if (/^[^=&\s]+=/.test(trimmed)) return { ...queryObject(trimmed), value: trimmed };
  return trimmed === '' ? {} : { value };
}

/** A query string as an object; repeated keys (`a[]=1&a[]=2`) become arrays. */
function queryObject(query: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, val] of new URLSearchParams(query)) {
    const name = key.endsWith('[]') ? key.slice(0, -2) : key;
    const prior = out[name];
    out[name] = prior === undefined ? (key.endsWith('[]') ? [val] : val) : Array.isArray(prior) ? [...prior, val] : [prior, val];
  }
  return out;
}

const ISO = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/;

/**
 * An ISO 8601 instant in UTC with six fraction digits, so that the tracking log's
 * `2026-03-01T10:00:00.123456+00:00` and the same event's native timestamp give one key.
 * A time without an offset is UTC, as edX writes it.
 */
export function utcMicros(value: string): string | undefined {
  const m = ISO.exec(value);
  if (m === null) return undefined;
  const fraction = (m[3] ?? '').padEnd(6, '0').slice(0, 6);
  const offset = m[4];
  if (offset === undefined || offset === 'Z' || offset === '+00:00' || offset === '+0000' || offset === '-00:00') {
    if (Number.isNaN(Date.parse(`${m[1]}T${m[2]}Z`))) return undefined;
    return `${m[1]}T${m[2]}.${fraction}Z`;
  }
  const ms = Date.parse(`${m[1]}T${m[2]}${offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`}`);
  if (Number.isNaN(ms)) return undefined;
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}
