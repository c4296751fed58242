/**
 * The pino logger. Logs go to stderr as JSON lines, so that commands keep stdout for
 * their output; known secret fields are redacted wherever they appear.
 */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/** Field paths that may hold secrets; pino replaces their values. */
const REDACT = [
  'password', '*.password', 'token', '*.token', 'secret', '*.secret',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'databaseUrl', '*.databaseUrl',
];

/** A JSON logger on stderr at `level`. */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '***' }, base: { service: 'xapi-gateway' } }, pino.destination(2));
}
