/**
 * The Khan settings as a signed API client and the key of the sealed tokens, checked
 * before any request: `khan authorize` and the pull both start here, so a missing or
 * malformed setting is named the same way (never its value).
 */
import type { KeyObject } from 'node:crypto';
import { khanReadiness, type KhanConfig } from '../config/index.js';
import { KhanOAuthClient } from '../ingest/khan/oauth.js';
import { parseVaultKey, TokenVaultError } from '../ingest/khan/token-vault.js';

/** The settings a Khan client needs. */
export type KhanSettings = Pick<KhanConfig, 'khanUrl' | 'khanConsumerKey' | 'khanConsumerSecret' | 'khanTokenKey'>;

/** A setting Khan needs is missing or unusable; `variable` names it. */
export class KhanSetupError extends Error {
  override readonly name = 'KhanSetupError';
  readonly code = 'khan_setup';
  constructor(readonly variable: string, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The client of KHAN_URL and the vault key of KHAN_TOKEN_KEY, or a setup error naming the missing variable.
 * @example const { client, key } = khanSetup(config);
 */
export function khanSetup(config: KhanSettings): { client: KhanOAuthClient; key: KeyObject } {
  const ready = khanReadiness(config);
  const missing = ready.ready ? undefined : ready.missing[0];
  if (missing) throw new KhanSetupError(missing, `${missing} is not set: Khan Academy needs KHAN_CONSUMER_KEY, KHAN_CONSUMER_SECRET and KHAN_TOKEN_KEY`);
  let key: KeyObject;
  try {
    key = parseVaultKey(config.khanTokenKey!);
  } catch (err) {
    if (!(err instanceof TokenVaultError)) throw err;
    throw new KhanSetupError('KHAN_TOKEN_KEY', `KHAN_TOKEN_KEY: ${err.message}`, { cause: err });
  }
  const client = new KhanOAuthClient({ baseUrl: config.khanUrl, consumerKey: config.khanConsumerKey!, consumerSecret: config.khanConsumerSecret! });
  return { client, key };
}
