/**
 * Typed reads of an event's payload for rules, through the one field reader
 * (`xapi/fields.ts`): values at dotted paths, numbers read from text too. A missing
 * required field or a value of the wrong kind throws `FieldError`, which the engine turns
 * into a rejection that names the field (`event.currentTime`), so bad input is data,
 * never a crash.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import { FieldError, isoTime, jsonFields, valueAt, type FieldDialect } from '../../xapi/fields.js';

/** edX payloads: numbers may come as text and text as numbers; a missing field needs no detail. */
const EDX_FIELDS: FieldDialect = {
  text: true,
  time: isoTime,
  words: { missing: '', text: 'must be text', number: 'must be a number', count: 'must be a whole number from 0', bool: 'must be true or false', time: 'must be an ISO 8601 time' },
};

const payload = (e: EdxEvent) => jsonFields(e.data, EDX_FIELDS, 'event.');

/** The payload value at a dotted `path` (`discussion.id`), or undefined. */
export const at = (e: EdxEvent, path: string): unknown => valueAt(e.data, path);

/** A number at `path` (numeric strings too), undefined when absent; throws when not a number. */
export const num = (e: EdxEvent, path: string): number | undefined => payload(e).num(path);

/** A number that must be there. */
export const reqNum = (e: EdxEvent, path: string): number => payload(e).reqNum(path);

/** Text at `path` (numbers become text), undefined when absent or empty; throws for objects. */
export const str = (e: EdxEvent, path: string): string | undefined => payload(e).opt(path);

/** Text that must be there. */
export const reqStr = (e: EdxEvent, path: string): string => payload(e).req(path);

/** A required value that comes from outside the payload (e.g. `context.module.usage_key`). */
export function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new FieldError({ code: 'missing_field', field, detail: '' });
  return value;
}
