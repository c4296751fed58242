/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, read as milliseconds
 * from `now`. The one reader of the header for every outgoing call.
 */

/**
 * Milliseconds to wait that `value` asks for, or undefined when absent or unreadable.
 * @example parseRetryAfter('120', Date.now()) // 120000
 * @example parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 07:27:00 GMT')) // 60000
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
