/** Time for tests: a network clock that never waits, so no test sleeps on the wall clock. */
import type { NetClock } from '../../src/net/request.js';

/** The instant a test clock reads, unless told otherwise. */
export const TEST_NOW = Date.parse('2026-10-21T07:27:00Z');

/**
 * A clock that never waits: it records each wait and goes on at once.
 * @example const clock = testClock(); await request(url, {}, { ...opts, clock }); expect(clock.waits).toEqual([1_000]);
 */
export function testClock(random = 0.5, now = TEST_NOW): NetClock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: () => now, random: () => random, sleep: async (ms) => void waits.push(ms) };
}
