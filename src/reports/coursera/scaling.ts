/**
 * Scaling of the Coursera indicators to 0–10 for the widget: value over a maximum, where
 * the maximum comes from the previous cohort, the course settings, the indicator's
 * natural bound, or the current cohort, in that order. The old tool hard-coded cohort
 * maxima and multiplied indicator 1 (a percentage) by 10; both are fixed here.
 */
import type { RawIndicator } from './indicators.js';

/** Where the maximum of an indicator came from. */
export type MaxSource = 'previous_cohort' | 'settings' | 'bound' | 'cohort';

/** An indicator as the widget gets it. */
export interface ScaledIndicator extends RawIndicator {
  scaled_value: number | null;
  max_used: { value: number; source: MaxSource };
}

/** The natural upper bound of the indicators that have one: percentages 100, days 7. */
export const INDICATOR_BOUNDS: Readonly<Record<number, number>> = {
  1: 100, 3: 100, 5: 7, 6: 7, 7: 100, 8: 100, 9: 100, 10: 100, 11: 100, 12: 100,
};

/** The sources of maxima of one course, by indicator number. */
export interface MaximaSources {
  /** Maxima over the previous cohort's learners; undefined when it has no statements. */
  previous?: ReadonlyMap<number, number>;
  /** `maxima` of the course settings, keyed "1" to "12". */
  settings: Readonly<Record<string, number>>;
  /** Maxima over the current cohort's learners. */
  cohort: ReadonlyMap<number, number>;
}

/** The largest non-null value of each indicator over the learners given. */
export function indicatorMaxima(learners: Iterable<readonly RawIndicator[]>): Map<number, number> {
  const maxima = new Map<number, number>();
  for (const indicators of learners) {
    for (const i of indicators) if (i.value !== null) maxima.set(i.indicator, Math.max(maxima.get(i.indicator) ?? -Infinity, i.value));
  }
  return maxima;
}

/** The maximum that scales indicator `n`, and its source. */
export function maximumFor(n: number, sources: MaximaSources): { value: number; source: MaxSource } {
  // An indicator null for every learner of the previous cohort (e.g. it had no cohortStart) says nothing.
  const previous = sources.previous?.get(n);
  if (previous !== undefined) return { value: previous, source: 'previous_cohort' };
  const configured = sources.settings[String(n)];
  if (configured !== undefined) return { value: configured, source: 'settings' };
  const bound = INDICATOR_BOUNDS[n];
  if (bound !== undefined) return { value: bound, source: 'bound' };
  return { value: sources.cohort.get(n) ?? 0, source: 'cohort' };
}

/**
 * One learner's indicators scaled: min(10, 10·value/max), 0 when max is 0.
 * @example scaleIndicators(raw, { settings: {}, cohort: new Map() }) // indicator 1 at 50% → 5
 */
export function scaleIndicators(raw: readonly RawIndicator[], sources: MaximaSources): ScaledIndicator[] {
  return raw.map((i) => {
    const max = maximumFor(i.indicator, sources);
    const scaled = i.value === null ? null : max.value <= 0 ? 0 : Math.min(10, (10 * Math.max(0, i.value)) / max.value);
    return { ...i, scaled_value: scaled, max_used: max };
  });
}
