/**
 * How report files round their numbers, by what a number measures: people read
 * `33.3`, not `33.333333333333336`. One table, so every CSV rounds a kind alike.
 */

/** What a number measures. */
export type Measure = 'percent' | 'ratio' | 'minutes' | 'days' | 'scale';

/** Decimals kept of each measure. */
export const DECIMALS: Readonly<Record<Measure, number>> = {
  percent: 1,
  ratio: 3,
  minutes: 1,
  days: 2,
  // The widget's 0–10 scale.
  scale: 2,
};

/**
 * `value` rounded as its measure says; null stays null. `-0` comes out as 0.
 * @example rounded(100 / 3, 'percent') // 33.3
 */
export function rounded(value: number | null | undefined, measure: Measure): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const factor = 10 ** DECIMALS[measure];
  return Math.round(value * factor) / factor + 0;
}
