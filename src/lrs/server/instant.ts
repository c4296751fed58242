/**
 * The point in time of an xAPI Timestamp (Data §4.5). Statements and the `since` and
 * `until` parameters carry ISO 8601 timestamps with a zone in any offset and with any
 * number of fraction digits; the LRS compares them as instants (Data §2.3.1.b4) at the
 * millisecond precision the spec requires (Data §4.5.s1.b3, b7).
 */

// Extended format with a zone, as the statement validator accepts (src/xapi/formats.ts).
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * Milliseconds since the epoch of an ISO 8601 timestamp with a zone; NaN when `value` is
 * not one. Digits beyond milliseconds are truncated; a leap second counts as the next one.
 * @example timestampMillis('2024-05-01T12:00:00.5+02:00') === Date.UTC(2024, 4, 1, 10, 0, 0, 500)
 */
export function timestampMillis(value: string): number {
  const m = TIMESTAMP.exec(value);
  if (m === null) return NaN;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = Number(((m[7] ?? '') + '000').slice(0, 3));
  const sign = m[8] === '-' ? -1 : 1;
  const offsetHours = Number(m[9] ?? 0);
  const offsetMinutes = Number(m[10] ?? 0);
  if (m[8] === '-' && offsetHours === 0 && offsetMinutes === 0) return NaN; // "-00:00": offset unknown (RFC 3339 §4.3)
  if (month < 1 || month > 12 || day < 1 || day > utcDate(year, month, 0).getUTCDate()) return NaN;
  if (hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) return NaN;
  const local = utcDate(year, month - 1, day);
  local.setUTCHours(hour, minute, second, millis);
  return local.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

// Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear does not.
function utcDate(year: number, monthIndex: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date;
}

/** The timestamp as UTC ISO 8601 with milliseconds (`2024-05-01T10:00:00.500Z`), or undefined when not one. */
export function toUtcIso(value: string): string | undefined {
  const ms = timestampMillis(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
