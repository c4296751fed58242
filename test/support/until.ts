/** Waiting for a condition in tests: polled, bounded, never a fixed delay. */

/**
 * Polls `probe` until it returns a value, at most `attempts` times, `everyMs` apart;
 * a probe that throws counts as not yet.
 * @example await until(async () => ((await outbox.status()).counts.sent === 700 ? true : undefined));
 */
export async function until<T>(probe: () => Promise<T | undefined>, { attempts = 150, everyMs = 100 } = {}): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`condition not met after ${attempts} attempts`);
}
