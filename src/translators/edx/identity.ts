/**
 * The identity of an edX event, from which its statement ids derive (DESIGN.md,
 * invariant 1). Two different events must never share an id, or the outbox and the LRS
 * keep the first and silently drop the other; and one event must keep its id whichever
 * way it arrives: live at /ingest/edx in event-tracking's native shape, or later from
 * the archived tracking-log line. So the key is every normalized field that says what
 * happened, and none that differs between those two shapes (see docs/edx-events.md,
 * "Statement identity").
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import { statementId } from '../../xapi/ids.js';

/**
 * The stable key of an event: type, source, time, learner, course, page, block and the
 * whole payload, with the payload's keys sorted so their order does not matter.
 * @example eventKey(event, '42'); // '["play_video","browser","2026-03-02T09:15:22.123456Z","42",...]{"code":"html5",...}'
 */
export function eventKey(e: EdxEvent, userKey: string): string {
  const head = JSON.stringify([
    e.type,
    // event-tracking's legacy mapping writes `server` into the log line when the native event names no source.
    e.source ?? 'server',
    e.time,
    userKey,
    e.courseId ?? '',
    pageOf(e.page),
    e.module?.usageKey ?? '',
  ]);
  return head + canonicalJson(e.data);
}

/**
 * The id of statement `index` of an event with key `key`. The first keeps the plain key,
 * so an event that gives one statement has the id its key alone gives; the others get a
 * suffix. A key always ends with `}` (the payload), so no suffixed key equals another key.
 * @example statementIdAt(eventKey(event, '42'), 0);
 */
export function statementIdAt(key: string, index: number): string {
  return statementId('edx', index === 0 ? key : `${key}#${index}`);
}

/**
 * The page as identity: a URL only. Old server events write the marker `x_module` where
 * the native event has no page at all; it says nothing about what happened.
 */
function pageOf(page: string | undefined): string {
  return page !== undefined && (page.startsWith('https://') || page.startsWith('http://')) ? page : '';
}

/**
 * JSON with the keys of every object sorted (UTF-16 order), so that two payloads equal as
 * values give one text. A payload whose objects are already sorted (most are: edX writes
 * them from Python dicts, often sorted) is written by JSON.stringify in one native pass.
 * Recursion is bounded: events nested deeper than `MAX_DEPTH` are refused before this.
 */
export function canonicalJson(value: unknown): string {
  if (isSortedDeep(value)) return JSON.stringify(value);
  // A copy with sorted keys is written in one native pass too, unless a key is an array
  // index, which an object lists first whatever the order it was set in.
  const copy = sortedCopy(value);
  return copy === undefined ? sortedJson(value) : JSON.stringify(copy);
}

/**
 * `value` with the keys of every object set in sorted order; undefined where a key starts
 * with a digit, or is `__proto__`, which setting would not make a key.
 */
function sortedCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const copy = sortedCopy(item);
      if (copy === undefined) return undefined;
      out.push(copy);
    }
    return out;
  }
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const code = key.charCodeAt(0);
    if ((code >= 0x30 && code <= 0x39) || key === '__proto__') return undefined;
    const copy = sortedCopy(record[key]);
    if (copy === undefined) return undefined;
    out[key] = copy;
  }
  return out;
}

function isSortedDeep(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!isSortedDeep(item)) return false;
    return true;
  }
  let prior: string | undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (prior !== undefined && !(prior < key)) return false;
    if (!isSortedDeep(record[key])) return false;
    prior = key;
  }
  return true;
}

function sortedJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + sortedJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:${sortedJson(record[keys[i]!])}`;
  return `${out}}`;
}
