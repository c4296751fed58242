/** Settings of the LRS side: the external LRS or the embedded one, the outbox and its flusher. */
import { setting, type SectionOf } from './setting.js';
import { cronExpression, httpUrl, integer, oneOf, originList, text, userList } from './values.js';

/** The LRS and outbox settings. */
export const LRS_SETTINGS = [
  setting({
    key: 'lrsEndpoint', variable: 'LRS_ENDPOINT', fallback: undefined,
    description: 'base URL of an external LRS (e.g. https://lrs.example.org/xapi/); unset = the embedded LRS at /xapi',
    schema: httpUrl.optional(),
  }),
  setting({ key: 'lrsUsername', variable: 'LRS_USERNAME', fallback: undefined, description: 'Basic auth user for LRS_ENDPOINT', schema: text.optional() }),
  setting({ key: 'lrsPassword', variable: 'LRS_PASSWORD', fallback: undefined, secret: true, description: 'Basic auth password for LRS_ENDPOINT', schema: text.optional() }),
  setting({
    key: 'lrsUsers', variable: 'LRS_USERS', fallback: '', secret: true,
    description: 'credentials accepted by the embedded LRS, "user:password,user2:password2", passwords of 16 characters or more', schema: userList,
  }),
  setting({
    key: 'lrsEraseApi', variable: 'LRS_ERASE_API', fallback: 'none',
    description: 'actor deletion of the external LRS that `learner erase` calls: `sql-lrs`, `learning-locker` or `none` (then the erasure reports what stays there)',
    schema: oneOf(['none', 'sql-lrs', 'learning-locker']),
  }),
  setting({
    key: 'lrsAdminUrl', variable: 'LRS_ADMIN_URL', fallback: undefined,
    description: 'root URL of the external LRS\'s admin API (SQL LRS: where /admin/agents is; Learning Locker: where /api/v2 is); unset = the origin of LRS_ENDPOINT',
    schema: httpUrl.optional(),
  }),
  setting({
    key: 'lrsAdminUsername', variable: 'LRS_ADMIN_USERNAME', fallback: undefined,
    description: 'LRS_ERASE_API account: SQL LRS admin account, or Learning Locker client key with the API scope', schema: text.optional(),
  }),
  setting({ key: 'lrsAdminPassword', variable: 'LRS_ADMIN_PASSWORD', fallback: undefined, secret: true, description: 'password or client secret of LRS_ADMIN_USERNAME', schema: text.optional() }),
  setting({ key: 'lrsBatchSize', variable: 'LRS_BATCH_SIZE', fallback: '500', description: 'statements per POST to the LRS', schema: integer(1, 10000) }),
  setting({ key: 'lrsTimeoutMs', variable: 'LRS_TIMEOUT_MS', fallback: '30000', description: 'timeout of one LRS request, in ms', schema: integer(100, 600000) }),
  setting({
    key: 'flushCron', variable: 'FLUSH_CRON', fallback: '*/10 * * * * *',
    description: 'when the server flushes the outbox (node-cron, seconds field optional)', schema: cronExpression,
  }),
  setting({
    key: 'outboxLeaseSeconds', variable: 'OUTBOX_LEASE_SECONDS', fallback: '120',
    description: 'how long a claimed batch belongs to one sender before others may claim it', schema: integer(5, 86400),
  }),
  setting({
    key: 'outboxMaxAttempts', variable: 'OUTBOX_MAX_ATTEMPTS', fallback: '50',
    description: 'delivery attempts of a statement before it is dead', schema: integer(1, 10000),
  }),
  setting({ key: 'retryBaseMs', variable: 'RETRY_BASE_MS', fallback: '2000', description: 'first retry delay, doubled each attempt, in ms', schema: integer(1, 3600000) }),
  setting({ key: 'retryMaxMs', variable: 'RETRY_MAX_MS', fallback: '3600000', description: 'longest retry delay, in ms', schema: integer(1, 86400000) }),
  setting({
    key: 'outboxKeepSentDays', variable: 'OUTBOX_KEEP_SENT_DAYS', fallback: '30',
    description: 'days a sent statement stays in the outbox (0 = forever)', schema: integer(0, 36500),
  }),
  setting({
    key: 'unstorableText', variable: 'UNSTORABLE_TEXT', fallback: 'reject',
    description: 'imports: `reject` a record whose statements hold U+0000 or a lone surrogate (which the database cannot store), or `replace` those characters by U+FFFD and count it (`replaced`)',
    schema: oneOf(['reject', 'replace']),
  }),
  setting({
    key: 'lrsMaxStatements', variable: 'LRS_MAX_STATEMENTS', fallback: '2000',
    description: 'most statements in one POST to the embedded LRS; more get 413 (split the batch)', schema: integer(1, 100000),
  }),
  setting({
    key: 'lrsCorsCredentialsOrigins', variable: 'LRS_CORS_CREDENTIALS_ORIGINS', fallback: '',
    description: 'origins (e.g. https://lms.example.org) whose pages may call /xapi with the browser\'s credentials, comma-separated; empty = none (other origins need an explicit Authorization header)',
    schema: originList,
  }),
] as const;

/** The LRS and outbox settings, read. */
export type LrsConfig = SectionOf<typeof LRS_SETTINGS>;
