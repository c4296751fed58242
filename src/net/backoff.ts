/**
 * Exponential backoff with "equal jitter" (half fixed, half random, capped): the one
 * formula of every wait before a retry, in process (`request`) or across flushes (the
 * outbox's `next_attempt_at`).
 */

/** Growth of the waits: the first retry waits about `baseMs`, each next one twice as long, never over `maxMs`. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * The wait before the retry that follows failed attempt number `attempt` (1-based), in whole ms.
 * `random` in [0, 1) places it between half and all of the exponential step.
 * @example backoffMs(3, { baseMs: 100, maxMs: 10_000 }, () => 0) // 200
 */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
