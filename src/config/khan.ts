/** Settings of Khan Academy: the API server, the OAuth 1.0a consumer, the key sealing coaches' tokens, and the nightly pull. */
import { readiness, setting, type Readiness, type SectionOf } from './setting.js';
import { boolean, cronExpression, httpUrlExact, integer, text } from './values.js';

/** The Khan Academy settings. */
export const KHAN_SETTINGS = [
  setting({
    key: 'khanUrl', variable: 'KHAN_URL', fallback: 'https://www.khanacademy.org',
    description: 'origin of a server speaking the Khan Academy API v1 (the public one closed in 2020: an archive proxy or successor)', schema: httpUrlExact,
  }),
  setting({ key: 'khanConsumerKey', variable: 'KHAN_CONSUMER_KEY', fallback: undefined, description: 'OAuth 1.0a consumer key of the Khan API; unset = no Khan pull', schema: text.optional() }),
  setting({ key: 'khanConsumerSecret', variable: 'KHAN_CONSUMER_SECRET', fallback: undefined, secret: true, description: 'OAuth 1.0a consumer secret of the Khan API', schema: text.optional() }),
  setting({
    key: 'khanTokenKey', variable: 'KHAN_TOKEN_KEY', fallback: undefined, secret: true,
    description: 'AES-256-GCM key sealing the coaches\' access tokens in the database: 32 bytes as 64 hex characters or base64', schema: text.optional(),
  }),
  setting({ key: 'khanPullCron', variable: 'KHAN_PULL_CRON', fallback: '0 2 * * *', description: 'when the server pulls every authorized coach\'s students (nightly)', schema: cronExpression }),
  setting({ key: 'khanConcurrency', variable: 'KHAN_CONCURRENCY', fallback: '4', description: 'Khan API requests in flight at once during a pull', schema: integer(1, 32) }),
  setting({
    key: 'khanStoreNames', variable: 'KHAN_STORE_NAMES', fallback: 'false',
    description: 'true = keep students\' Khan nickname and username in the stu_detail table (personal data; never in statements)', schema: boolean,
  }),
] as const;

/** The Khan Academy settings, read. */
export type KhanConfig = SectionOf<typeof KHAN_SETTINGS>;

/**
 * Whether Khan can be reached (`khan authorize`, the pull; the scheduler runs the pull only then).
 * @example const ready = khanReadiness(config); if (!ready.ready) console.error(`${ready.missing[0]} is not set`);
 */
export const khanReadiness = (config: Pick<KhanConfig, 'khanConsumerKey' | 'khanConsumerSecret' | 'khanTokenKey'>): Readiness =>
  readiness(KHAN_SETTINGS, config, ['khanConsumerKey', 'khanConsumerSecret', 'khanTokenKey']);
