/**
 * The point in time of an xAPI Timestamp (Data §4.5). Statements and the `since` and
 * `until` parameters carry ISO 8601 timestamps with a zone in any offset and with any
 * number of fraction digits; the LRS compares them as instants (Data §2.3.1.b4) at the
 * millisecond precision the spec requires (Data §4.5.s1.b3, b7).
 */
import { timestampMillis } from '../../xapi/formats.js';

// One parser for the validator and the LRS, so both agree on what a timestamp is.
export { timestampMillis };

/** The timestamp as UTC ISO 8601 with milliseconds (`2024-05-01T10:00:00.500Z`), or undefined when not one. */
export function toUtcIso(value: string): string | undefined {
  const ms = timestampMillis(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
