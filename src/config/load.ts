/**
 * Every setting of the gateway, read once from the environment and validated into one
 * typed `Config` made of its sections. A bad value stops start-up with one line that names
 * the variable and what is expected (never the value itself, which may be a secret).
 */
import { COURSERA_SETTINGS, type CourseraConfig } from './coursera.js';
import { DATABASE_SETTINGS, type DatabaseConfig } from './database.js';
import { EDX_SETTINGS, type EdxConfig } from './edx.js';
import { EDX_S3_SETTINGS, type EdxS3Config } from './edx-s3.js';
import { FUTURELEARN_SETTINGS, type FutureLearnConfig } from './futurelearn.js';
import { KHAN_SETTINGS, type KhanConfig } from './khan.js';
import { LRS_SETTINGS, type LrsConfig } from './lrs.js';
import { OAI_SETTINGS, type OaiConfig } from './oai.js';
import { SERVER_SETTINGS, type ServerConfig } from './server.js';
import { ConfigError, type Setting } from './setting.js';
import { boolean } from './values.js';

/** The validated settings of one process, section by section (the field names are flat). */
export type Config = ServerConfig & DatabaseConfig & LrsConfig & EdxConfig & EdxS3Config & OaiConfig & CourseraConfig & FutureLearnConfig & KhanConfig;

/** Every setting, its variable, default and meaning: the README's settings table is kept in step with it. */
export const SETTINGS: readonly Setting<keyof Config & string>[] = [
  ...SERVER_SETTINGS, ...DATABASE_SETTINGS, ...LRS_SETTINGS, ...EDX_SETTINGS, ...EDX_S3_SETTINGS, ...OAI_SETTINGS, ...COURSERA_SETTINGS, ...FUTURELEARN_SETTINGS, ...KHAN_SETTINGS,
];

/** Settings that are right one by one but not together: the variable blamed and what it expects. */
const TOGETHER: readonly { variable: string; expected: string; wrong: (c: Config) => boolean }[] = [
  {
    variable: 'LRS_PASSWORD', expected: 'LRS_USERNAME and LRS_PASSWORD to be set together',
    wrong: (c) => c.lrsEndpoint !== undefined && (c.lrsUsername === undefined) !== (c.lrsPassword === undefined),
  },
  { variable: 'RETRY_MAX_MS', expected: 'a value not below RETRY_BASE_MS', wrong: (c) => c.retryMaxMs < c.retryBaseMs },
  {
    variable: 'OAI_REPOSITORY_ID', expected: 'a repository identifier, since EDX_COURSE_ID_FORM is oai',
    wrong: (c) => c.edxCourseIdForm === 'oai' && c.oaiRepositoryId === undefined,
  },
  {
    variable: 'EDX_LMS_URL', expected: 'the LMS base URL, since EDX_INGEST_TOKENS opens /ingest/edx',
    wrong: (c) => c.edxIngestTokens.size > 0 && c.edxLmsUrl === undefined,
  },
];

/**
 * Reads and validates every setting; throws ConfigError naming the first bad variable.
 * @example const config = loadConfig({ PORT: '0', EDX_LMS_URL: 'https://lms.example.org/' });
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const values: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const given = env[setting.variable];
    const parsed = setting.schema.safeParse(given === undefined || given === '' ? setting.fallback : given);
    if (!parsed.success) throw new ConfigError(setting.variable, parsed.error.issues[0]?.message ?? 'a valid value');
    values[setting.key] = parsed.data;
  }
  const config = values as Config;
  // OAI_ECO_COMPAT, the former opposite of OAI_STRICT, still counts when OAI_STRICT is unset.
  if (!env.OAI_STRICT && env.OAI_ECO_COMPAT) {
    const compat = boolean.safeParse(env.OAI_ECO_COMPAT);
    if (!compat.success) throw new ConfigError('OAI_ECO_COMPAT', 'true or false');
    config.oaiStrict = !compat.data;
  }
  const wrong = TOGETHER.find((check) => check.wrong(config));
  if (wrong) throw new ConfigError(wrong.variable, wrong.expected);
  return config;
}
