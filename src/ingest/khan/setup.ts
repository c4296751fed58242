/**
 * The Khan settings as a signed API client and the key of the sealed tokens, checked
 * before any request: `khan authorize` and the pull both start here, so a missing or
 * malformed setting is named the same way (never its value).
 */
import type { KeyObject } from 'node:crypto';
import { khanReadiness, type KhanConfig } from '../../config/index.js';
import { CodedError } from '../../errors.js';
import { KhanOAuthClient } from './oauth.js';
import { parseVaultKey, TokenVaultError } from './token-vault.js';

/** The settings a Khan client needs. */
export type KhanSettings = Pick<KhanConfig, 'khanUrl' | 'khanConsumerKey' | 'khanConsumerSecret' | 'khanTokenKey'>;

/**
 * The client of KHAN_URL and the vault key of KHAN_TOKEN_KEY, or a `setup` error whose `field` names the missing variable.
 * @example const { client, key } = khanSetup(config);
 */
export function khanSetup(config: KhanSettings): { client: KhanOAuthClient; key: KeyObject } {
  const ready = khanReadiness(config);
  const missing = ready.ready ? undefined : ready.missing[0];
  if (missing) throw new CodedError('setup', `${missing} is not set: Khan Academy needs KHAN_CONSUMER_KEY, KHAN_CONSUMER_SECRET and KHAN_TOKEN_KEY`, { field: missing });
  let key: KeyObject;
  try {
    key = parseVaultKey(config.khanTokenKey!);
  } catch (err) {
    if (!(err instanceof TokenVaultError)) throw err;
    throw new CodedError('setup', `KHAN_TOKEN_KEY: ${err.message}`, { field: 'KHAN_TOKEN_KEY', cause: err });
  }
  const client = new KhanOAuthClient({ baseUrl: config.khanUrl, consumerKey: config.khanConsumerKey!, consumerSecret: config.khanConsumerSecret! });
  return { client, key };
}
