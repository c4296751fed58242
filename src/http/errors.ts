/**
 * Errors as HTTP responses: every error leaves as `application/problem+json` (RFC 9457)
 * with a status, a title and a detail that never holds a stack trace or a secret.
 * Stores and domain code raise `CodedError`; the HTTP kit raises `HttpFault` for what only
 * HTTP has (a method not allowed, a throttled client, a challenge). One table, `ANSWERS`,
 * turns every code into its status, so every path answers the same fault the same way;
 * anything else is a 500 whose detail is generic.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { CodedError, type ErrorCode } from '../errors.js';

/** Faults that only HTTP knows: a method the resource does not take, a client sent away for a while. */
export type HttpOnlyCode = 'method-not-allowed' | 'too-many-requests';

/** Every code an answer can have. */
export type AnswerCode = ErrorCode | HttpOnlyCode;

/**
 * A fault decided by the HTTP layer, with the headers its status requires: `Allow` (405),
 * `Retry-After` (429), `WWW-Authenticate` (401). Its message is safe to show to the client.
 * @example throw new HttpFault('method-not-allowed', 'the About resource takes GET and HEAD', { Allow: 'GET, HEAD' })
 */
export class HttpFault extends Error {
  override readonly name = 'HttpFault';
  constructor(
    readonly code: AnswerCode,
    message: string,
    readonly headers: Record<string, string>,
  ) {
    super(message);
  }
}

/** Status and title of a code; `detail` replaces the message where that names the server's insides. */
interface Answer {
  status: number;
  title: string;
  detail?: string;
}

/** The one table: code -> status, title and, for faults of the server, the detail shown. */
const ANSWERS: Record<AnswerCode, Answer> = {
  invalid: { status: 400, title: 'Bad Request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not Found' },
  'method-not-allowed': { status: 405, title: 'Method Not Allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition Failed' },
  'too-large': { status: 413, title: 'Content Too Large' },
  unsupported: { status: 415, title: 'Unsupported Media Type' },
  'too-many-requests': { status: 429, title: 'Too Many Requests' },
  // The message names the reason and SQLSTATE, for the log; a request waits on the database only.
  unavailable: { status: 503, title: 'Service Unavailable', detail: 'the database is unavailable; retry later' },
  setup: { status: 500, title: 'Internal Server Error', detail: 'the server is not set up for this request' },
};

/** The answer to an error of an unknown kind: a bug, whose message stays in the log. */
const INTERNAL: Answer = { status: 500, title: 'Internal Server Error', detail: 'internal error' };

/** What the problem handler needs of an error. */
interface Fault {
  code: AnswerCode;
  message: string;
  headers: Record<string, string>;
  members: Record<string, unknown>;
}

/** Codes of errors raised by express's own body parsers. */
const PARSER_FAULTS: Record<string, Pick<Fault, 'code' | 'message'>> = {
  'entity.too.large': { code: 'too-large', message: 'request body is larger than the limit' },
  'entity.parse.failed': { code: 'invalid', message: 'request body is not valid JSON' },
  'encoding.unsupported': { code: 'unsupported', message: 'unsupported body encoding' },
  'charset.unsupported': { code: 'unsupported', message: 'unsupported body encoding' },
};

/** The code, message, headers and members of `err`, when it is a fault the table knows. */
function faultOf(err: unknown): Fault | undefined {
  if (err instanceof HttpFault) return { code: err.code, message: err.message, headers: err.headers, members: {} };
  if (err instanceof CodedError) {
    return {
      code: err.code,
      message: err.message,
      headers: err.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(err.retryAfterSeconds) },
      members: { ...(err.field !== undefined && { field: err.field }), ...err.members },
    };
  }
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  const parsed = PARSER_FAULTS[String(err.type)];
  return parsed && { ...parsed, headers: {}, members: {} };
}

/** The last middleware of the app: maps any error to a problem+json response. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const fault = faultOf(err);
    const answer = fault === undefined ? INTERNAL : ANSWERS[fault.code];
    if (answer.status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    if (fault !== undefined) res.set(fault.headers);
    res
      .status(answer.status)
      .type('application/problem+json')
      .send(JSON.stringify({
        type: 'about:blank',
        title: answer.title,
        status: answer.status,
        detail: answer.detail ?? fault?.message,
        ...fault?.members,
      }));
  };
}
