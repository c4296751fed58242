/**
 * Typed reads of an event's payload for rules. A missing required field or a value of
 * the wrong kind throws `FieldError`, which the engine turns into a rejection that
 * names the field (`event.currentTime`), so bad input is data, never a crash.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Rejection } from '../../xapi/run-summary.js';

/** A field of an event that a rule needs is missing or bad. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
  constructor(readonly rejection: Rejection) {
    super(rejection.detail);
  }
}

/** The payload value at a dotted `path` (`discussion.id`), or undefined. */
export function at(e: EdxEvent, path: string): unknown {
  let value: unknown = e.data;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A number at `path` (numeric strings too), undefined when absent; throws when not a number. */
export function num(e: EdxEvent, path: string): number | undefined {
  const value = at(e, path);
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new FieldError({ code: 'bad_value', field: `event.${path}`, detail: 'must be a number' });
  return n;
}

/** A number that must be there. */
export function reqNum(e: EdxEvent, path: string): number {
  const n = num(e, path);
  if (n === undefined) throw new FieldError({ code: 'missing_field', field: `event.${path}`, detail: '' });
  return n;
}

/** Text at `path` (numbers become text), undefined when absent or empty; throws for objects. */
export function str(e: EdxEvent, path: string): string | undefined {
  const value = at(e, path);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new FieldError({ code: 'bad_value', field: `event.${path}`, detail: 'must be text' });
}

/** Text that must be there. */
export function reqStr(e: EdxEvent, path: string): string {
  const s = str(e, path);
  if (s === undefined) throw new FieldError({ code: 'missing_field', field: `event.${path}`, detail: '' });
  return s;
}

/** A required value that comes from outside the payload (e.g. `context.module.usage_key`). */
export function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new FieldError({ code: 'missing_field', field, detail: '' });
  return value;
}
