/**
 * Study time as reports count it: a learner's statement times split into sessions at
 * pauses longer than 30 minutes, each session lasting from its first to its last statement.
 */

/** A pause longer than this ends a session. */
export const SESSION_GAP_MS = 30 * 60 * 1000;

/**
 * Milliseconds spent in sessions; sessions shorter than `minSessionMs` (page loads, not
 * study) count nothing. The times need not be sorted.
 * @example sessionMs([t, t + 60_000, t + 3 * 3_600_000]) === 60_000
 */
export function sessionMs(times: readonly number[], minSessionMs = 0): number {
  const sorted = [...times].sort((a, b) => a - b);
  let total = 0;
  let start = sorted[0]!;
  for (let i = 1; i <= sorted.length; i++) {
    const current = sorted[i];
    if (current !== undefined && current - sorted[i - 1]! <= SESSION_GAP_MS) continue;
    const length = sorted[i - 1]! - start;
    if (length >= minSessionMs) total += length;
    start = current!;
  }
  return total;
}
