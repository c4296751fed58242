/** Settings of the HTTP server and the process: port, limits, proxies, logging, the admin token, the pseudonym key. */
import { setting, type SectionOf } from './setting.js';
import { boolean, byteSize, integer, oneOf, secretText, text, trustProxy } from './values.js';

/** Log levels understood by pino. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** A log level understood by pino. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The server's settings. */
export const SERVER_SETTINGS = [
  setting({ key: 'port', variable: 'PORT', fallback: '8080', description: 'HTTP port of the service', schema: integer(0, 65535) }),
  setting({ key: 'host', variable: 'HOST', fallback: '0.0.0.0', description: 'address the HTTP server listens on', schema: text }),
  setting({ key: 'bodyLimitBytes', variable: 'BODY_LIMIT', fallback: '10mb', description: 'largest accepted request body', schema: byteSize }),
  setting({
    key: 'trustProxy', variable: 'TRUST_PROXY', fallback: '',
    description: 'reverse proxies whose X-Forwarded-For names the client (for throttling and address allow-lists): a number of hops, or addresses and subnets (`loopback`, `10.0.0.0/8`), comma-separated; empty = none, the connection\'s address is the client',
    schema: trustProxy,
  }),
  setting({ key: 'logLevel', variable: 'LOG_LEVEL', fallback: 'info', description: 'pino log level', schema: oneOf(LOG_LEVELS) }),
  setting({
    key: 'accessLog', variable: 'ACCESS_LOG', fallback: 'true',
    description: 'true = one info line per HTTP request: method, route template (never the path as sent), status, duration, the authenticated client (never its address); false = none',
    schema: boolean,
  }),
  setting({
    key: 'shutdownTimeoutMs', variable: 'SHUTDOWN_TIMEOUT_MS', fallback: '30000',
    description: 'how long a stopping server waits for requests and the batch in flight', schema: integer(0, 600000),
  }),
  setting({
    key: 'pseudonymSecret', variable: 'PSEUDONYM_SECRET', fallback: undefined, secret: true,
    description: 'key of the HMAC pseudonyms of learners; unset = one generated and kept in the database (required by `translate`)',
    schema: secretText.optional(),
  }),
  setting({
    key: 'adminToken', variable: 'ADMIN_TOKEN', fallback: undefined, secret: true,
    description: 'bearer token of the admin API under /admin (at least 16 characters); unset = /admin refuses every request',
    schema: secretText.optional(),
  }),
  setting({
    key: 'courseImageLimitBytes', variable: 'COURSE_IMAGE_LIMIT', fallback: '256kb',
    description: 'largest course image uploaded through the admin API; each travels in base64 inside every oai_lom page that lists its course', schema: byteSize,
  }),
] as const;

/** The server's settings, read. */
export type ServerConfig = SectionOf<typeof SERVER_SETTINGS>;
