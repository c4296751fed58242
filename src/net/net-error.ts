/**
 * The error of an outgoing call that could not get a usable answer: the service could
 * not be reached, timed out, kept failing after its retries, or refused the credentials.
 * Its message names the service and the URL without credentials, query or fragment (a
 * query may carry ids or signatures), and the cause; never a header or a body.
 */
import { withoutCredentials } from '../config/redact.js';
import { CodedError, type ErrorCode } from '../errors.js';

/** What went wrong in the last attempt. */
export type Fault = 'refused' | 'network' | 'timeout' | 'status' | 'auth';

/** The facts of a failed call, as the caller may rephrase them. */
export interface NetFailure {
  /** Who was called, as messages name it: `LRS`, `Coursera`. */
  service: string;
  /** The URL, already stripped by `safeUrl`. */
  url: string;
  fault: Fault;
  /** Short and URL-free, for callers that build their own message: `unreachable (ECONNREFUSED)`, `timed out`, `answered 503`. */
  reason: string;
  /** How it failed, in words: `connection refused (ECONNREFUSED)`, `after 5000 ms`, `503`. */
  cause: string;
  attempts: number;
  status?: number;
  /** What the last answer's `Retry-After` asked for. */
  retryAfterMs?: number;
  /** The lower-level error, for the log. */
  error?: unknown;
}

const CODE_OF: Record<Fault, ErrorCode> = {
  refused: 'unavailable', network: 'unavailable', timeout: 'unavailable', status: 'unavailable', auth: 'unauthorized',
};

/**
 * An outgoing call failed; `code` is `unavailable` (a retry later may succeed),
 * `unauthorized` (401) or `forbidden` (403).
 * @example new NetError({ service: 'LRS', url: 'https://lrs.example/xapi/statements', fault: 'refused', reason: 'unreachable (ECONNREFUSED)', cause: 'connection refused (ECONNREFUSED)', attempts: 1 }).message
 * // 'LRS unreachable at https://lrs.example/xapi/statements: connection refused (ECONNREFUSED)'
 */
export class NetError extends CodedError {
  readonly fault: Fault;
  readonly reason: string;
  readonly attempts: number;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(failure: NetFailure) {
    const code = failure.status === 403 ? 'forbidden' : CODE_OF[failure.fault];
    super(code, messageOf(failure), {
      ...(failure.error !== undefined && { cause: failure.error }),
      ...(failure.retryAfterMs !== undefined && { retryAfterSeconds: Math.ceil(failure.retryAfterMs / 1000) }),
    });
    this.fault = failure.fault;
    this.reason = failure.reason;
    this.attempts = failure.attempts;
    if (failure.status !== undefined) this.status = failure.status;
    if (failure.retryAfterMs !== undefined) this.retryAfterMs = failure.retryAfterMs;
  }
}

function messageOf(f: NetFailure): string {
  const tries = f.attempts > 1 ? ` (${f.attempts} attempts)` : '';
  switch (f.fault) {
    case 'refused':
    case 'network':
      return `${f.service} unreachable at ${f.url}: ${f.cause}${tries}`;
    case 'timeout':
      return `${f.service} timed out at ${f.url} ${f.cause}${tries}`;
    case 'status':
      return `${f.service} answered ${f.cause} at ${f.url}${tries}`;
    case 'auth':
      return `${f.service} refused the credentials (${f.cause}) at ${f.url}`;
  }
}

/**
 * `url` without user, password, query or fragment: what a message may name.
 * @example safeUrl('https://u:p@lrs.example/xapi/statements?agent=x') // 'https://lrs.example/xapi/statements'
 */
export const safeUrl = (url: string | URL): string => withoutCredentials(url);

/** How a fetch (or the reading of its body) failed, as `NetFailure` states it. */
export type FetchFault = Pick<NetFailure, 'fault' | 'reason' | 'cause'>;

/** Network error codes in an operator's words; a code not here is shown as it is. */
const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'DNS name not found',
  EAI_AGAIN: 'DNS lookup failed for now',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection broken',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
};

/** Codes of a failed TLS handshake (OpenSSL's certificate codes, Node's ERR_TLS_*, ERR_SSL_*). */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/** The reason in an OpenSSL error line (`...:SSL routines:ssl3_get_record:wrong version number:file:line:`), or the first line of Node's own text. */
function tlsReason(message: string | undefined): string | undefined {
  return /:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(message ?? '')?.[1] ?? message?.split('\n')[0];
}

/** A network fault's cause in words, with its code: `connection refused (ECONNREFUSED)`, `TLS error: certificate has expired (CERT_HAS_EXPIRED)`. */
function networkCause(code: string | undefined, message: string | undefined): string {
  if (code === undefined) return message ?? 'network error';
  if (TLS_CODE.test(code)) return `TLS error: ${tlsReason(message) ?? code} (${code})`;
  return `${NETWORK_CAUSES[code] ?? 'network error'} (${code})`;
}

/**
 * Classifies what fetch threw: a timeout (the request's signal fired), a refused
 * connection (surely not received: even a POST may be repeated), or another network fault,
 * with its cause in words rather than fetch's own `fetch failed`.
 * @example fetchFault(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED', syscall: 'connect' } })).cause // 'connection refused (ECONNREFUSED)'
 */
export function fetchFault(err: unknown): FetchFault {
  const e = err as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { fault: 'timeout', reason: 'timed out', cause: 'timed out' };
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const message = typeof e?.cause?.message === 'string' ? e.cause.message : typeof e?.message === 'string' ? e.message : undefined;
  return {
    fault: code === 'ECONNREFUSED' ? 'refused' : 'network',
    reason: `unreachable (${code ?? 'network error'})`,
    cause: networkCause(code, message),
  };
}
