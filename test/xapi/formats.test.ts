import { describe, expect, it } from 'vitest';
import { isDuration, isTimestamp, timestampMillis } from '../../src/xapi/formats.js';

describe('timestamps (4.5)', () => {
  it.each([
    '2015-11-18T12:17:00+00:00',
    '2013-05-18T05:32:34.804Z',
    '2024-02-29T23:59:59.123456+05:30',
    '2016-12-31T23:59:60Z',
    '2024-01-01T00:00:00-0500',
    '2024-01-01T00:00:00+01',
  ])('accepts %s', (value) => {
    expect(isTimestamp(value)).toBe(true);
  });

  it.each([
    ['2024-01-01T10:00:00', 'no time zone'],
    ['2024-01-01', 'no time'],
    ['2024-01-01T10:00:00-00:00', 'negative zero offset'],
    ['2024-01-01T10:00:00-0000', 'negative zero offset, basic'],
    ['2023-02-29T10:00:00Z', 'no such day'],
    ['2024-13-01T10:00:00Z', 'no such month'],
    ['2024-01-01T24:00:00Z', 'hour 24'],
    ['2024-01-01 10:00:00Z', 'space instead of T'],
    ['2024-01-01T10:00:00+25:00', 'offset beyond 23 hours'],
  ])('refuses %s (%s)', (value) => {
    expect(isTimestamp(value)).toBe(false);
  });
});

describe('the instant of a timestamp', () => {
  it.each([
    ['2024-02-29T23:59:59.123456+05:30', Date.UTC(2024, 1, 29, 18, 29, 59, 123)],
    ['2016-12-31T23:59:60Z', Date.UTC(2017, 0, 1)],
    ['2024-01-01T00:00:00-0500', Date.UTC(2024, 0, 1, 5)],
    ['2000-02-29T12:00:00.5Z', Date.UTC(2000, 1, 29, 12, 0, 0, 500)],
    ['0099-12-31T23:00:00-01:00', new Date(0).setUTCFullYear(100, 0, 1)],
    ['0001-01-01T00:00:00Z', new Date(0).setUTCFullYear(1, 0, 1)],
  ])('of %s is counted in UTC, years before 100 too', (value, millis) => {
    expect(timestampMillis(value)).toBe(millis);
  });

  it.each(['1900-02-29T00:00:00Z', '2023-04-31T00:00:00Z', '2023-00-10T00:00:00Z'])('is none for %s, a day no calendar has', (value) => {
    expect(timestampMillis(value)).toBeNaN();
  });
});

describe('durations (4.6)', () => {
  it.each(['PT4H35M59.14S', 'P3Y1M29DT4H35M59.14S', 'P3Y', 'P4W', 'PT4.5S', 'PT0.123456S', 'P1DT12H', 'PT1,5H', 'P0D'])(
    'accepts %s',
    (value) => {
      expect(isDuration(value)).toBe(true);
    },
  );

  it.each([
    ['P4W1D', 'weeks with another component'],
    ['P', 'no component'],
    ['PT', 'T with no time component'],
    ['P1DT', 'T with no time component'],
    ['P16559.14S', 'seconds without T (an example of 4.6 that ISO 8601 does not allow)'],
    ['PT1.5H30M', 'a fraction before the last component'],
    ['4.5S', 'no P'],
    ['P-1D', 'negative'],
    ['pt4s', 'lower case'],
  ])('refuses %s (%s)', (value) => {
    expect(isDuration(value)).toBe(false);
  });
});
