/**
 * Errors as HTTP responses: every error leaves as `application/problem+json` (RFC 9457)
 * with a status, a title and a detail that never holds a stack trace or a secret.
 * Route modules throw `HttpError`; a database that is away is a 503 with `Retry-After`;
 * everything else is a 500 whose detail is generic.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { DatabaseUnavailableError } from '../db/errors.js';

/** An error that carries its HTTP status and a message safe to show to the client. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** More members of the problem document, e.g. `errors` listing every bad field. */
    readonly members: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Seconds a client is asked to wait while the database is unavailable: a restart or failover takes a few. */
export const DATABASE_RETRY_AFTER_SECONDS = '5';

/** The answer to an error that is not an HttpError. */
interface Known {
  status: number;
  detail: string;
  headers?: Record<string, string>;
}

/** Errors of the layers beneath HTTP, by class. */
const ERROR_CLASSES: [abstract new (...args: never[]) => Error, Known][] = [
  [DatabaseUnavailableError, { status: 503, detail: 'the database is unavailable; retry later', headers: { 'Retry-After': DATABASE_RETRY_AFTER_SECONDS } }],
];

/** Status of errors raised by express's own body parsers. */
function parserStatus(err: unknown): Known | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  switch ((err as { type: string }).type) {
    case 'entity.too.large':
      return { status: 413, detail: 'request body is larger than the limit' };
    case 'entity.parse.failed':
      return { status: 400, detail: 'request body is not valid JSON' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, detail: 'unsupported body encoding' };
    default:
      return undefined;
  }
}

/** The last middleware of the app: maps any error to a problem+json response. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known: Known | undefined =
      err instanceof HttpError
        ? { status: err.status, detail: err.message, headers: err.headers }
        : parserStatus(err) ?? ERROR_CLASSES.find(([type]) => err instanceof type)?.[1];
    const status = known?.status ?? 500;
    if (status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    if (known?.headers) res.set(known.headers);
    res
      .status(status)
      .type('application/problem+json')
      .send(JSON.stringify({
        type: 'about:blank',
        title: TITLES[status] ?? 'Error',
        status,
        detail: known?.detail ?? 'internal error',
        ...(err instanceof HttpError ? err.members : {}),
      }));
  };
}
