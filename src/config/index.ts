/**
 * The settings of the gateway: read once from the environment into one typed `Config`
 * made of per-platform sections, and whether each platform is configured (decided here only).
 */
export { courseraPullReadiness, type CourseraConfig } from './coursera.js';
export type { DatabaseConfig } from './database.js';
export { edxReadiness, type EdxConfig } from './edx.js';
export { edxS3Readiness, type EdxS3Config } from './edx-s3.js';
export { futurelearnPullReadiness, type FutureLearnConfig } from './futurelearn.js';
export { khanReadiness, type KhanConfig } from './khan.js';
export { loadConfig, SETTINGS, type Config } from './load.js';
export type { LrsConfig } from './lrs.js';
export type { OaiConfig } from './oai.js';
export { edxS3SyncScheduled, partLines } from './parts.js';
export { maskUrlPassword, redactedConfig } from './redact.js';
export type { LogLevel, ServerConfig } from './server.js';
export { ConfigError, type Readiness } from './setting.js';
export type { TrustProxy } from './values.js';
