/**
 * Every setting of the gateway, read once from the environment and validated.
 *
 * A bad value stops start-up with one line that names the variable and what is
 * expected (never the value itself when the variable holds a secret). `SETTINGS` is
 * the single table of settings: the README's settings table is kept in step with it.
 */
import { BlockList, isIP } from 'node:net';
import { resolve } from 'node:path';
import { validate as isCronExpression } from 'node-cron';

/** The validated settings of one process. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  databaseConnectTimeoutMs: number;
  databaseStatementTimeoutMs: number;
  databaseIdleTimeoutMs: number;
  lrsEndpoint: string | undefined;
  lrsUsername: string | undefined;
  lrsPassword: string | undefined;
  lrsUsers: Map<string, string>;
  lrsBatchSize: number;
  lrsTimeoutMs: number;
  flushCron: string;
  outboxLeaseSeconds: number;
  outboxMaxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  outboxKeepSentDays: number;
  unstorableText: 'reject' | 'replace';
  bodyLimitBytes: number;
  lrsMaxStatements: number;
  ingestMaxEvents: number;
  lrsCorsCredentialsOrigins: Set<string>;
  trustProxy: TrustProxy;
  logLevel: LogLevel;
  shutdownTimeoutMs: number;
  pseudonymSecret: string | undefined;
  edxLmsUrl: string | undefined;
  edxCourseIds: Set<string> | undefined;
  edxCourseIdForm: 'lms' | 'oai';
  oaiRepositoryId: string | undefined;
  edxIngestTokens: Map<string, string>;
  edxFreeText: 'keep' | 'hash' | 'drop';
  adminToken: string | undefined;
  oaiRepositoryName: string;
  oaiBaseUrl: string | undefined;
  oaiAdminEmail: string;
  oaiPageSize: number;
  oaiStrict: boolean;
  courseImageLimitBytes: number;
  ecoApiKeys: Map<string, string>;
  ecoApiAllowedIps: BlockList | undefined;
  edxSurveyPrePattern: RegExp;
  edxSurveyPostPattern: RegExp;
  courseraToken: string | undefined;
  courseraApiUrl: string;
  courseraCourseIds: Set<string> | undefined;
  courseraSchemas: Set<string> | undefined;
  courseraAnonymityLevel: 'HASHED_IDS_NO_PII' | 'HASHED_IDS_WITH_ISOLATED_UGC_NO_PII';
  courseraPurpose: string;
  courseraExportDir: string | undefined;
  courseraFetchCron: string;
  courseraWeeklyCron: string;
  courseraWidgetTokens: Map<string, string>;
  futurelearnUrl: string;
  futurelearnEmail: string | undefined;
  futurelearnPassword: string | undefined;
  futurelearnOrganisation: string | undefined;
  futurelearnDataDir: string | undefined;
  futurelearnFetchCron: string;
  khanUrl: string;
  khanConsumerKey: string | undefined;
  khanConsumerSecret: string | undefined;
  khanTokenKey: string | undefined;
  khanPullCron: string;
  khanConcurrency: number;
  khanStoreNames: boolean;
}

/** Log levels understood by pino. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Raised when a setting has a value the gateway cannot run with. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'bad_config';
  constructor(
    readonly variable: string,
    expected: string,
  ) {
    super(`${variable}: expected ${expected}`);
  }
}

type Parser<T> = (raw: string, variable: string) => T;

interface Setting<K extends keyof Config> {
  key: K;
  variable: string;
  /** Default as written in the environment; undefined = unset is allowed. */
  fallback: string | undefined;
  secret?: boolean;
  description: string;
  parse: Parser<Config[K]>;
}

function integer(min: number, max: number): Parser<number> {
  return (raw, variable) => {
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || n < min || n > max) {
      throw new ConfigError(variable, `an integer from ${min} to ${max}`);
    }
    return n;
  };
}

const text: Parser<string> = (raw) => raw;

function httpUrl(raw: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, 'an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(variable, 'an http:// or https:// URL');
  }
  // A base URL: resource names are appended to it.
  return raw.endsWith('/') ? raw : `${raw}/`;
}

function postgresUrl(raw: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, 'a postgres://user:password@host:port/database URL');
  }
  if ((url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || url.pathname.length < 2) {
    throw new ConfigError(variable, 'a postgres://user:password@host:port/database URL');
  }
  return raw;
}

function cronExpression(raw: string, variable: string): string {
  // node-cron takes 5 fields, or 6 with seconds first.
  if (!isCronExpression(raw.trim())) {
    throw new ConfigError(variable, 'a cron expression of 5 or 6 fields, e.g. "*/10 * * * * *"');
  }
  return raw.trim();
}

/** `name:secret,...`; `form` is how the README writes an entry (`user:password`, `client:key`). */
function userList(raw: string, variable: string, form = 'user:password'): Map<string, string> {
  const users = new Map<string, string>();
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon < 1 || colon === entry.length - 1) {
      throw new ConfigError(variable, `a comma-separated list of ${form}`);
    }
    users.set(entry.slice(0, colon), entry.slice(colon + 1));
  }
  return users;
}

/**
 * LRS_USERS: 16 characters at least, the floor of ADMIN_TOKEN and the ingest tokens. These
 * passwords are set for machines (an LMS, a dashboard), not typed by people, so length costs
 * nothing, and unlike stored credentials they are not scrypt-hashed against guessing.
 */
function lrsUserList(raw: string, variable: string): Map<string, string> {
  const users = userList(raw, variable);
  for (const [user, password] of users) {
    if (password.length < 16) throw new ConfigError(variable, `a password of at least 16 characters for user "${user}"`);
  }
  return users;
}

function oneOf<T extends string>(values: readonly T[]): Parser<T> {
  return (raw, variable) => {
    if (!(values as readonly string[]).includes(raw)) {
      throw new ConfigError(variable, `one of ${values.join(', ')}`);
    }
    return raw as T;
  };
}

function byteSize(raw: string, variable: string): number {
  const m = /^(\d+)\s*(b|kb|mb)?$/i.exec(raw.trim());
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 } as const;
  const n = m ? Number(m[1]) * unit[(m[2]?.toLowerCase() ?? 'b') as keyof typeof unit] : NaN;
  if (!(n >= 1024 && n <= 512 * 1024 * 1024)) {
    throw new ConfigError(variable, 'a size from 1kb to 512mb, e.g. "10mb"');
  }
  return n;
}

const optional = <T>(parse: Parser<T>): Parser<T | undefined> => parse;

function idList(raw: string): Set<string> | undefined {
  const ids = raw.split(',').map((id) => id.trim()).filter(Boolean);
  return ids.length === 0 ? undefined : new Set(ids);
}

/** Web origins, comma-separated, each exactly as a browser sends it in `Origin` (scheme, host, port; no path). */
/** Which proxies express trusts for `req.ip`: none, a hop count, or addresses and subnets. */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function trustProxy(raw: string, variable: string): TrustProxy {
  const value = raw.trim();
  if (value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const ok = PROXY_NAMES.has(entry) || (isIP(address) !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix)));
    if (!ok) throw new ConfigError(variable, 'a number of hops, or addresses and subnets like loopback,10.0.0.0/8, comma-separated');
  }
  return entries;
}

function originList(raw: string, variable: string): Set<string> {
  const origins = raw.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    let parsed: string | undefined;
    try {
      parsed = new URL(origin).origin;
    } catch {
      parsed = undefined;
    }
    if (parsed !== origin) throw new ConfigError(variable, 'origins like https://lms.example.org, comma-separated');
  }
  return new Set(origins);
}

/** `name:token,...` written as `form` (the README's words, e.g. `client:key`): one token per calling system, keyed by token. */
const tokenList = (form: string): Parser<Map<string, string>> => (raw, variable) => {
  const byToken = new Map<string, string>();
  for (const [name, token] of userList(raw, variable, form)) {
    if (token.length < 16) throw new ConfigError(variable, `${form.split(':')[1]}s of at least 16 characters in "${form},..."`);
    byToken.set(token, name);
  }
  return byToken;
};

/** Client addresses, exact or CIDR (`192.0.2.7`, `198.51.100.0/24`, `2001:db8::/32`), comma-separated; empty = any. */
function addressList(raw: string, variable: string): BlockList | undefined {
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(prefix!) && bits <= max))) {
      throw new ConfigError(variable, 'IP addresses or CIDR ranges, e.g. "192.0.2.7,198.51.100.0/24,2001:db8::/32"');
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

function httpUrlExact(raw: string, variable: string): string {
  return httpUrl(raw, variable).replace(/\/$/, '');
}

function email(raw: string, variable: string): string {
  if (!/^[^@\s]+@[^@\s]+$/.test(raw)) throw new ConfigError(variable, 'an email address');
  return raw;
}

function boolean(raw: string, variable: string): boolean {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(variable, 'true or false');
}

function pattern(raw: string, variable: string): RegExp {
  try {
    return new RegExp(raw, 'i');
  } catch {
    throw new ConfigError(variable, 'a regular expression');
  }
}

function secretText(raw: string, variable: string): string {
  if (raw.length < 16) throw new ConfigError(variable, 'a secret of at least 16 characters');
  return raw;
}

function oaiRepositoryId(raw: string, variable: string): string {
  // OAI-PMH identifiers: oai:<repositoryIdentifier>:<local id>, a domain name (oai-identifier.xsd).
  if (!/^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/.test(raw)) throw new ConfigError(variable, 'a domain name, e.g. eco.example.org');
  return raw;
}

type SettingTable = { [K in keyof Config]: Setting<K> }[keyof Config][];

/** Every setting, its variable, default and meaning. */
export const SETTINGS: SettingTable = [
  { key: 'port', variable: 'PORT', fallback: '8080', description: 'HTTP port of the service', parse: integer(0, 65535) },
  { key: 'host', variable: 'HOST', fallback: '0.0.0.0', description: 'address the HTTP server listens on', parse: text },
  {
    key: 'databaseUrl', variable: 'DATABASE_URL', fallback: undefined, secret: true,
    description: 'PostgreSQL URL; unset = embedded PGlite in DATA_DIR', parse: optional(postgresUrl),
  },
  { key: 'dataDir', variable: 'DATA_DIR', fallback: './data', description: 'folder of the embedded database and downloads', parse: (raw) => resolve(raw) },
  {
    key: 'databaseConnectTimeoutMs', variable: 'DATABASE_CONNECT_TIMEOUT_MS', fallback: '5000',
    description: 'PostgreSQL: longest wait for a connection, in ms; also how long /health waits for the database', parse: integer(100, 600000),
  },
  {
    key: 'databaseStatementTimeoutMs', variable: 'DATABASE_STATEMENT_TIMEOUT_MS', fallback: '30000',
    description: 'PostgreSQL: longest statement, in ms (migrations are exempt); a connection silent this long plus the connect timeout is given up (0 = no limit)',
    parse: integer(0, 3600000),
  },
  {
    key: 'databaseIdleTimeoutMs', variable: 'DATABASE_IDLE_TIMEOUT_MS', fallback: '60000',
    description: 'PostgreSQL: a session idle in a transaction this long is ended, and an idle pooled connection closed, in ms', parse: integer(1000, 3600000),
  },
  {
    key: 'lrsEndpoint', variable: 'LRS_ENDPOINT', fallback: undefined,
    description: 'base URL of an external LRS (e.g. https://lrs.example.org/xapi/); unset = the embedded LRS at /xapi',
    parse: optional(httpUrl),
  },
  { key: 'lrsUsername', variable: 'LRS_USERNAME', fallback: undefined, description: 'Basic auth user for LRS_ENDPOINT', parse: optional(text) },
  { key: 'lrsPassword', variable: 'LRS_PASSWORD', fallback: undefined, secret: true, description: 'Basic auth password for LRS_ENDPOINT', parse: optional(text) },
  {
    key: 'lrsUsers', variable: 'LRS_USERS', fallback: '', secret: true,
    description: 'credentials accepted by the embedded LRS, "user:password,user2:password2", passwords of 16 characters or more', parse: lrsUserList,
  },
  { key: 'lrsBatchSize', variable: 'LRS_BATCH_SIZE', fallback: '500', description: 'statements per POST to the LRS', parse: integer(1, 10000) },
  { key: 'lrsTimeoutMs', variable: 'LRS_TIMEOUT_MS', fallback: '30000', description: 'timeout of one LRS request, in ms', parse: integer(100, 600000) },
  {
    key: 'flushCron', variable: 'FLUSH_CRON', fallback: '*/10 * * * * *',
    description: 'when the server flushes the outbox (node-cron, seconds field optional)', parse: cronExpression,
  },
  {
    key: 'outboxLeaseSeconds', variable: 'OUTBOX_LEASE_SECONDS', fallback: '120',
    description: 'how long a claimed batch belongs to one sender before others may claim it', parse: integer(5, 86400),
  },
  {
    key: 'outboxMaxAttempts', variable: 'OUTBOX_MAX_ATTEMPTS', fallback: '50',
    description: 'delivery attempts of a statement before it is dead', parse: integer(1, 10000),
  },
  { key: 'retryBaseMs', variable: 'RETRY_BASE_MS', fallback: '2000', description: 'first retry delay, doubled each attempt, in ms', parse: integer(1, 3600000) },
  { key: 'retryMaxMs', variable: 'RETRY_MAX_MS', fallback: '3600000', description: 'longest retry delay, in ms', parse: integer(1, 86400000) },
  {
    key: 'outboxKeepSentDays', variable: 'OUTBOX_KEEP_SENT_DAYS', fallback: '30',
    description: 'days a sent statement stays in the outbox (0 = forever)', parse: integer(0, 36500),
  },
  {
    key: 'unstorableText', variable: 'UNSTORABLE_TEXT', fallback: 'reject',
    description: 'imports: `reject` a record whose statements hold U+0000 or a lone surrogate (which the database cannot store), or `replace` those characters by U+FFFD and count it (`replaced`)',
    parse: oneOf(['reject', 'replace'] as const),
  },
  { key: 'bodyLimitBytes', variable: 'BODY_LIMIT', fallback: '10mb', description: 'largest accepted request body', parse: byteSize },
  {
    key: 'lrsMaxStatements', variable: 'LRS_MAX_STATEMENTS', fallback: '2000',
    description: 'most statements in one POST to the embedded LRS; more get 413 (split the batch)', parse: integer(1, 100000),
  },
  {
    key: 'ingestMaxEvents', variable: 'INGEST_MAX_EVENTS', fallback: '10000',
    description: 'most events in one POST /ingest/edx; more get 413 (split the batch)', parse: integer(1, 1000000),
  },
  {
    key: 'lrsCorsCredentialsOrigins', variable: 'LRS_CORS_CREDENTIALS_ORIGINS', fallback: '',
    description: 'origins (e.g. https://lms.example.org) whose pages may call /xapi with the browser\'s credentials, comma-separated; empty = none (other origins need an explicit Authorization header)',
    parse: originList,
  },
  {
    key: 'trustProxy', variable: 'TRUST_PROXY', fallback: '',
    description: 'reverse proxies whose X-Forwarded-For names the client (for throttling and address allow-lists): a number of hops, or addresses and subnets (`loopback`, `10.0.0.0/8`), comma-separated; empty = none, the connection\'s address is the client',
    parse: trustProxy,
  },
  { key: 'logLevel', variable: 'LOG_LEVEL', fallback: 'info', description: 'pino log level', parse: oneOf(LOG_LEVELS) },
  {
    key: 'shutdownTimeoutMs', variable: 'SHUTDOWN_TIMEOUT_MS', fallback: '30000',
    description: 'how long a stopping server waits for requests and the batch in flight', parse: integer(0, 600000),
  },
  {
    key: 'pseudonymSecret', variable: 'PSEUDONYM_SECRET', fallback: undefined, secret: true,
    description: 'key of the HMAC pseudonyms of learners; unset = one generated and kept in the database (required by `translate`)',
    parse: optional(secretText),
  },
  {
    key: 'edxLmsUrl', variable: 'EDX_LMS_URL', fallback: undefined,
    description: 'base URL of the edX LMS, for actor home pages and activity ids (required for edX)', parse: optional(httpUrl),
  },
  {
    key: 'edxCourseIds', variable: 'EDX_COURSE_IDS', fallback: '',
    description: 'edX course ids to translate, comma-separated (either id form); empty = all', parse: idList,
  },
  {
    key: 'edxCourseIdForm', variable: 'EDX_COURSE_ID_FORM', fallback: 'lms',
    description: 'course activity ids: `lms` (<EDX_LMS_URL>courses/<id>) or `oai` (oai:<OAI_REPOSITORY_ID>:<id>, as ECO names courses)',
    parse: oneOf(['lms', 'oai'] as const),
  },
  {
    key: 'oaiRepositoryId', variable: 'OAI_REPOSITORY_ID', fallback: undefined,
    description: 'the OAI-PMH repository identifier, a domain name (identifiers are oai:<it>:<course id>); unset = localhost.localdomain, and EDX_COURSE_ID_FORM=oai needs it',
    parse: optional(oaiRepositoryId),
  },
  {
    key: 'edxIngestTokens', variable: 'EDX_INGEST_TOKENS', fallback: '', secret: true,
    description: 'bearer tokens of edX instances posting to /ingest/edx, "instance:token,..."; empty = endpoint off', parse: tokenList('instance:token'),
  },
  {
    key: 'edxFreeText', variable: 'EDX_FREE_TEXT', fallback: 'keep',
    description: 'learner-typed text in edX statements (answers typed into problems, search queries): `keep` it, `hash` it (keyed HMAC with PSEUDONYM_SECRET: equal answers stay equal, the words are gone), or `drop` it',
    parse: oneOf(['keep', 'hash', 'drop'] as const),
  },
  {
    key: 'adminToken', variable: 'ADMIN_TOKEN', fallback: undefined, secret: true,
    description: 'bearer token of the admin API under /admin (at least 16 characters); unset = /admin refuses every request',
    parse: optional(secretText),
  },
  { key: 'oaiRepositoryName', variable: 'OAI_REPOSITORY_NAME', fallback: 'xapi-gateway course catalogue', description: 'repositoryName of OAI-PMH Identify', parse: text },
  {
    key: 'oaiBaseUrl', variable: 'OAI_BASE_URL', fallback: undefined,
    description: 'the public URL of /oai (behind a proxy, on port 80 or 443 for ECO); unset = taken from each request', parse: optional(httpUrlExact),
  },
  { key: 'oaiAdminEmail', variable: 'OAI_ADMIN_EMAIL', fallback: 'oai-admin@localhost.localdomain', description: 'adminEmail of OAI-PMH Identify', parse: email },
  { key: 'oaiPageSize', variable: 'OAI_PAGE_SIZE', fallback: '100', description: 'records, identifiers or sets per OAI-PMH page', parse: integer(1, 1000) },
  {
    key: 'oaiStrict', variable: 'OAI_STRICT', fallback: 'false',
    description: 'true = OAI-PMH to the letter, for protocol validators: refuse metadataPrefix beside a resumptionToken (badArgument), end a resumed list with an empty token; false = as ECO harvests (when unset, the opposite of the former OAI_ECO_COMPAT if that is set)',
    parse: boolean,
  },
  {
    key: 'courseImageLimitBytes', variable: 'COURSE_IMAGE_LIMIT', fallback: '256kb',
    description: 'largest course image uploaded through the admin API; each travels in base64 inside every oai_lom page that lists its course', parse: byteSize,
  },
  {
    key: 'ecoApiKeys', variable: 'ECO_API_KEYS', fallback: '', secret: true,
    description: 'API keys of the ECO REST API under /ecoapi, "client:key,..." (keys of at least 16 characters); empty = /ecoapi refuses every request',
    parse: tokenList('client:key'),
  },
  {
    key: 'ecoApiAllowedIps', variable: 'ECO_API_ALLOWED_IPS', fallback: '',
    description: 'client addresses that may call /ecoapi, exact or CIDR, comma-separated (e.g. 192.0.2.7,198.51.100.0/24); empty = any',
    parse: addressList,
  },
  {
    key: 'edxSurveyPrePattern', variable: 'EDX_SURVEY_PRE_PATTERN', fallback: '^(?=.*\\bpre)(?=.*survey)',
    description: 'regular expression (case-insensitive) of the display names of pre-course survey problems, for the survey_answers report',
    parse: pattern,
  },
  {
    key: 'edxSurveyPostPattern', variable: 'EDX_SURVEY_POST_PATTERN', fallback: '^(?=.*\\bpost)(?=.*survey)',
    description: 'regular expression (case-insensitive) of the display names of post-course survey problems',
    parse: pattern,
  },
  {
    key: 'courseraToken', variable: 'COURSERA_TOKEN', fallback: undefined, secret: true,
    description: 'OAuth2 bearer token of the Coursera research exports API; unset = no scheduled Coursera fetch',
    parse: optional(text),
  },
  { key: 'courseraApiUrl', variable: 'COURSERA_API_URL', fallback: 'https://api.coursera.org/api/', description: 'base URL of the Coursera API', parse: httpUrl },
  {
    key: 'courseraCourseIds', variable: 'COURSERA_COURSE_IDS', fallback: '',
    description: 'Coursera course ids whose exports the scheduled fetch requests, comma-separated', parse: idList,
  },
  {
    key: 'courseraSchemas', variable: 'COURSERA_SCHEMAS', fallback: 'course_content,course_progress,course_grades,course_membership,discussions,peer_assignments',
    description: 'schemaNames of the table exports, comma-separated', parse: idList,
  },
  {
    key: 'courseraAnonymityLevel', variable: 'COURSERA_ANONYMITY_LEVEL', fallback: 'HASHED_IDS_NO_PII',
    description: 'anonymityLevel of the exports: HASHED_IDS_NO_PII or HASHED_IDS_WITH_ISOLATED_UGC_NO_PII',
    parse: oneOf(['HASHED_IDS_NO_PII', 'HASHED_IDS_WITH_ISOLATED_UGC_NO_PII'] as const),
  },
  {
    key: 'courseraPurpose', variable: 'COURSERA_PURPOSE', fallback: 'Learning analytics: learner indicators for the learning-tracker widget',
    description: 'statementOfPurpose sent with every export request', parse: text,
  },
  {
    key: 'courseraExportDir', variable: 'COURSERA_EXPORT_DIR', fallback: undefined,
    description: 'folder of downloaded Coursera exports, one dated folder per course; unset = DATA_DIR/coursera', parse: optional((raw) => resolve(raw)),
  },
  {
    key: 'courseraFetchCron', variable: 'COURSERA_FETCH_CRON', fallback: '0 5,6,7 * * *',
    description: 'when the server requests, polls, downloads and imports Coursera exports (three times a day, an hour apart)', parse: cronExpression,
  },
  {
    key: 'courseraWeeklyCron', variable: 'COURSERA_WEEKLY_CRON', fallback: '0 18 * * 0',
    description: 'when the learners\' choice of Coursera indicators opens again (Sunday evening)', parse: cronExpression,
  },
  {
    key: 'courseraWidgetTokens', variable: 'COURSERA_WIDGET_TOKENS', fallback: '', secret: true,
    description: 'bearer tokens of learning-tracker widgets reading indicators and choices, "widget:token,..."; empty = those endpoints refuse', parse: tokenList('widget:token'),
  },
  { key: 'futurelearnUrl', variable: 'FUTURELEARN_URL', fallback: 'https://www.futurelearn.com/', description: 'base URL of the FutureLearn site', parse: httpUrl },
  {
    key: 'futurelearnEmail', variable: 'FUTURELEARN_EMAIL', fallback: undefined,
    description: 'email of the facilitator account that signs in to the FutureLearn admin pages; unset = no scheduled FutureLearn fetch', parse: optional(email),
  },
  { key: 'futurelearnPassword', variable: 'FUTURELEARN_PASSWORD', fallback: undefined, secret: true, description: 'password of that account', parse: optional(text) },
  {
    key: 'futurelearnOrganisation', variable: 'FUTURELEARN_ORGANISATION', fallback: undefined,
    description: 'the organisation (institution) slug of the admin pages, /admin/organisations/<it>/courses; also the folder of its data', parse: optional(text),
  },
  {
    key: 'futurelearnDataDir', variable: 'FUTURELEARN_DATA_DIR', fallback: undefined,
    description: 'root of the downloaded datasets, <it>/<institution>/<course>/<run> - <start> - <end>/<dataset>.csv; unset = DATA_DIR/futurelearn',
    parse: optional((raw) => resolve(raw)),
  },
  {
    key: 'futurelearnFetchCron', variable: 'FUTURELEARN_FETCH_CRON', fallback: '0 4 * * *',
    description: 'when the server downloads and imports the FutureLearn datasets (daily)', parse: cronExpression,
  },
  {
    key: 'khanUrl', variable: 'KHAN_URL', fallback: 'https://www.khanacademy.org',
    description: 'origin of a server speaking the Khan Academy API v1 (the public one closed in 2020: an archive proxy or successor)', parse: httpUrlExact,
  },
  { key: 'khanConsumerKey', variable: 'KHAN_CONSUMER_KEY', fallback: undefined, description: 'OAuth 1.0a consumer key of the Khan API; unset = no Khan pull', parse: optional(text) },
  { key: 'khanConsumerSecret', variable: 'KHAN_CONSUMER_SECRET', fallback: undefined, secret: true, description: 'OAuth 1.0a consumer secret of the Khan API', parse: optional(text) },
  {
    key: 'khanTokenKey', variable: 'KHAN_TOKEN_KEY', fallback: undefined, secret: true,
    description: 'AES-256-GCM key sealing the coaches\' access tokens in the database: 32 bytes as 64 hex characters or base64', parse: optional(text),
  },
  { key: 'khanPullCron', variable: 'KHAN_PULL_CRON', fallback: '0 2 * * *', description: 'when the server pulls every authorized coach\'s students (nightly)', parse: cronExpression },
  { key: 'khanConcurrency', variable: 'KHAN_CONCURRENCY', fallback: '4', description: 'Khan API requests in flight at once during a pull', parse: integer(1, 32) },
  {
    key: 'khanStoreNames', variable: 'KHAN_STORE_NAMES', fallback: 'false',
    description: 'true = keep students\' Khan nickname and username in the stu_detail table (personal data; never in statements)', parse: boolean,
  },
];

/** Reads and validates every setting; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config: Partial<Record<keyof Config, unknown>> = {};
  for (const setting of SETTINGS) {
    const given = env[setting.variable];
    const raw = given === undefined || given === '' ? setting.fallback : given;
    config[setting.key] = raw === undefined ? undefined : setting.parse(raw, setting.variable);
  }
  const result = config as Config;
  if (result.lrsEndpoint && (result.lrsUsername === undefined) !== (result.lrsPassword === undefined)) {
    throw new ConfigError('LRS_PASSWORD', 'LRS_USERNAME and LRS_PASSWORD to be set together');
  }
  if (result.retryMaxMs < result.retryBaseMs) {
    throw new ConfigError('RETRY_MAX_MS', 'a value not below RETRY_BASE_MS');
  }
  if (result.edxCourseIdForm === 'oai' && result.oaiRepositoryId === undefined) {
    throw new ConfigError('OAI_REPOSITORY_ID', 'a repository identifier, since EDX_COURSE_ID_FORM is oai');
  }
  // OAI_ECO_COMPAT, the former opposite of OAI_STRICT, still counts when OAI_STRICT is unset.
  if (!env.OAI_STRICT && env.OAI_ECO_COMPAT) result.oaiStrict = !boolean(env.OAI_ECO_COMPAT, 'OAI_ECO_COMPAT');
  if (result.edxIngestTokens.size > 0 && result.edxLmsUrl === undefined) {
    throw new ConfigError('EDX_LMS_URL', 'the LMS base URL, since EDX_INGEST_TOKENS opens /ingest/edx');
  }
  return result;
}

/** The settings as printable text values, with secrets and URL passwords masked. */
export function redactedConfig(config: Config): Record<string, string> {
  const out: Record<string, string> = {};
  for (const setting of SETTINGS) {
    const value = config[setting.key];
    if (value === undefined) continue;
    if (setting.key === 'databaseUrl') out[setting.variable] = maskUrlPassword(String(value));
    else if (setting.secret) out[setting.variable] = '***';
    else if (value instanceof Set) out[setting.variable] = [...value].join(',');
    else if (value instanceof RegExp) out[setting.variable] = value.source;
    // BlockList keeps its rules newest first, as 'Subnet: IPv4 10.0.0.0/8'.
    else if (value instanceof BlockList) out[setting.variable] = value.rules.map((r) => r.replace(/^\w+: IPv[46] /, '')).reverse().join(',');
    else out[setting.variable] = String(value);
  }
  return out;
}

/** postgres://u:secret@h/db -> postgres://u:***@h/db */
export function maskUrlPassword(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '***';
  }
}
