/** Time for tests: a network clock that never waits, so no test sleeps on the wall clock. */
import { vi } from 'vitest';
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

/** A clock that moves only when read or told: each reading is one millisecond after the last. */
export interface TickingClock {
  /** The current instant in epoch milliseconds; the next reading is one millisecond later. */
  now(): number;
  /** Moves the clock `ms` milliseconds forward at once. */
  advance(ms: number): void;
}

/**
 * A clock for code that stamps what it stores: time passes as it is read, never on the wall clock.
 * @example const clock = tickingClock(); const store = new StatementStore(database, clock.now); clock.advance(5);
 */
export function tickingClock(start = TEST_NOW): TickingClock {
  let at = start;
  return {
    now: () => at++,
    advance: (ms) => void (at += ms),
  };
}

/**
 * The scheduler's clock, faked from `start`: node-cron arms a setTimeout per slot from
 * `new Date()`. Only timers and Date are faked, so databases' and servers' I/O keep
 * running. The caller restores real timers after each test (vi.useRealTimers).
 * @example fakeTimersAt(new Date('2026-01-05T10:00:00.000Z')); await vi.advanceTimersByTimeAsync(10_000);
 */
export function fakeTimersAt(start: Date): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(start);
}
