/**
 * The pino logger. Logs go to stderr as JSON lines, so that commands keep stdout for
 * their output; known secret fields are redacted wherever they appear, and a driver's
 * database error is logged as its safe form, without the values of the query.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config/index.js';
import { toDatabaseError } from './db/errors.js';

/** Field paths that may hold secrets; pino replaces their values. */
const REDACT = [
  'password', '*.password', 'token', '*.token', 'secret', '*.secret',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'databaseUrl', '*.databaseUrl',
];

/** A JSON logger at `level`, on stderr unless a destination is given. */
export function createLogger(level: LogLevel, destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '***' },
      base: { service: 'xapi-gateway' },
      serializers: { err: (err: Error) => pino.stdSerializers.err(toDatabaseError(err) as Error) },
    },
    destination,
  );
}
