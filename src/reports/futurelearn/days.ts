/**
 * Calendar days and weeks of the dated series (UTC, as FutureLearn writes its times):
 * a statement's day, a week's Monday, and every day or week between two, so that a
 * series shows quiet days as zeros instead of leaving them out.
 */

const DAY_MS = 86_400_000;

/** The UTC day of an xAPI timestamp, YYYY-MM-DD; undefined when it is no time. */
export function dayOf(timestamp: string | undefined): string | undefined {
  const ms = Date.parse(timestamp ?? '');
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
}

/**
 * The Monday of the ISO week a day is in.
 * @example mondayOf('2026-03-08') // '2026-03-02'
 */
export function mondayOf(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - weekday * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Every day from `first` to `last`, both included, `step` days apart.
 * @example daysBetween('2026-03-01', '2026-03-03') // ['2026-03-01', '2026-03-02', '2026-03-03']
 */
export function daysBetween(first: string, last: string, step = 1): string[] {
  const days: string[] = [];
  const end = Date.parse(`${last}T00:00:00Z`);
  for (let ms = Date.parse(`${first}T00:00:00Z`); ms <= end; ms += step * DAY_MS) days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}

/** The earliest and latest of some days, or undefined when there are none. */
export function spanOf(days: Iterable<string>): { first: string; last: string } | undefined {
  let first: string | undefined;
  let last: string | undefined;
  for (const d of days) {
    if (first === undefined || d < first) first = d;
    if (last === undefined || d > last) last = d;
  }
  return first === undefined || last === undefined ? undefined : { first, last };
}
