/**
 * HTTP client of any conformant LRS (xAPI 1.0.3 Communication §2): POSTs batches for
 * the flusher, and implements `StatementQuery` for reports. Every reply is classified
 * into one `PostOutcome`; deciding what to do with it is the deliverer's job. Timeouts,
 * network faults and `Retry-After` are `src/net`'s; by default each call is one attempt,
 * because the outbox repeats deliveries across flushes with its own persisted backoff.
 */
import { NetError, safeUrl } from '../net/net-error.js';
import { requestText, type NetClock, type NetOptions, type RetryPolicy } from '../net/request.js';
import { parseRetryAfter } from '../net/retry-after.js';
import type { Statement } from '../xapi/types.js';
import type { FlushCause } from './delivery-stats.js';
import { filterToParams, type StatementFilter, type StatementPage, type StatementQuery } from './statement-query.js';

/** Where and how to reach the LRS. */
export interface LrsClientOptions {
  /** Base URL ending in `/`, e.g. `https://lrs.example.org/xapi/`. */
  endpoint: string;
  username?: string;
  password?: string;
  timeoutMs: number;
  /** In-process repeats of one call (default: one attempt). Statements carry ids, so a repeated POST is harmless. */
  retry?: RetryPolicy;
  clock?: NetClock;
}

/** What the LRS made of one POST of statements; every failure names its cause for /metrics and /health. */
export type PostOutcome =
  | { kind: 'stored' }
  | { kind: 'conflict'; detail: string }
  | { kind: 'rejected'; detail: string }
  | { kind: 'too-large' }
  | { kind: 'misconfigured'; detail: string; cause: FlushCause }
  | { kind: 'retry'; detail: string; cause: FlushCause; retryAfterMs?: number };

/** The cause of a failed call as `src/net` classified it. */
function netCause(err: NetError): FlushCause {
  if (err.fault === 'auth') return err.status === 403 ? 'forbidden' : 'unauthorized';
  if (err.fault === 'timeout') return 'timeout';
  if (err.fault === 'status') return statusCause(err.status ?? 0);
  return 'unreachable';
}

/** The cause of an answer the client does not read as stored, refused or misconfigured. */
function statusCause(status: number): FlushCause {
  if (status === 429) return 'throttled';
  return status >= 500 ? 'server-error' : 'unexpected-status';
}

/** Raised by the query side when the LRS answers with an error status other than 401, 403, 429 and 5xx (those are `NetError`s). */
export class LrsQueryError extends Error {
  override readonly name = 'LrsQueryError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Longest part of an LRS reply kept as the reason of a dead or conflict row. */
const DETAIL_LIMIT = 500;

/** xAPI over HTTP with Basic auth and a timeout per request. */
export class LrsClient implements StatementQuery {
  private readonly headers: Record<string, string>;

  constructor(private readonly options: LrsClientOptions) {
    this.headers = { 'X-Experience-API-Version': '1.0.3' };
    if (options.username !== undefined) {
      const token = Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64');
      this.headers.Authorization = `Basic ${token}`;
    }
  }

  /**
   * POSTs a JSON array of statements and classifies the reply.
   * @example const outcome = await client.postStatements('[{"id":"…",…}]');
   */
  async postStatements(body: string): Promise<PostOutcome> {
    let res;
    try {
      const init = { method: 'POST', headers: { ...this.headers, 'Content-Type': 'application/json' }, body };
      res = await requestText(this.url('statements'), init, this.net({ answerWhenExhausted: true }));
    } catch (err) {
      if (!(err instanceof NetError)) throw err;
      if (err.fault === 'auth') return { kind: 'misconfigured', detail: `LRS answered ${err.status} at ${this.safeUrl('statements')}`, cause: netCause(err) };
      return { kind: 'retry', detail: err.message, cause: netCause(err) };
    }
    if (res.status >= 200 && res.status < 300) return { kind: 'stored' };
    const detail = detailOf(res.text);
    switch (res.status) {
      case 400:
        return { kind: 'rejected', detail: `400 ${detail}` };
      case 409:
        return { kind: 'conflict', detail: `409 ${detail}` };
      case 413:
        return { kind: 'too-large' };
      case 404:
      case 405:
        return { kind: 'misconfigured', detail: `LRS answered ${res.status} at ${this.safeUrl('statements')}`, cause: 'not-found' };
      default: {
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), (this.options.clock ?? Date).now());
        return { kind: 'retry', detail: `LRS answered ${res.status}: ${detail}`, cause: statusCause(res.status), ...(retryAfterMs !== undefined && { retryAfterMs }) };
      }
    }
  }

  /** One statement by id (`voidedStatementId` with `voided: true`), or null when absent. */
  async get(id: string, opts: { voided?: boolean } = {}): Promise<Statement | null> {
    const param = opts.voided ? 'voidedStatementId' : 'statementId';
    const res = await this.fetchJson(`statements?${param}=${encodeURIComponent(id)}`);
    return res === null ? null : (res as Statement);
  }

  /** A page of statements; `more` continuations are followed relative to the endpoint. */
  async page(filterOrMore: StatementFilter | string): Promise<StatementPage> {
    const path = typeof filterOrMore === 'string' ? this.resolveMore(filterOrMore) : `statements?${filterToParams(filterOrMore)}`;
    const result = (await this.fetchJson(path)) as { statements: Statement[]; more?: string } | null;
    if (!result) throw new LrsQueryError(404, 'LRS has no statements resource');
    return result.more ? { statements: result.statements, more: result.more } : { statements: result.statements };
  }

  private async fetchJson(path: string): Promise<unknown> {
    const res = await requestText(path.startsWith('http') ? path : this.url(path), { headers: this.headers }, this.net());
    if (res.status === 404) return null;
    if (res.status < 200 || res.status >= 300) throw new LrsQueryError(res.status, `LRS answered ${res.status}: ${detailOf(res.text)}`);
    return JSON.parse(res.text) as unknown;
  }

  private net(extra: Partial<NetOptions> = {}): NetOptions {
    const { timeoutMs, retry, clock } = this.options;
    return { service: 'LRS', timeoutMs, ...(retry && { retry: { idempotent: true, ...retry } }), ...(clock && { clock }), ...extra };
  }

  /** `more` is an IRL relative to the LRS's host (Communication §2.1.3). */
  private resolveMore(more: string): string {
    return new URL(more, this.options.endpoint).toString();
  }

  private url(path: string): string {
    return new URL(path, this.options.endpoint).toString();
  }

  /** The URL without credentials or query, for messages. */
  private safeUrl(path: string): string {
    return safeUrl(this.url(path));
  }
}

/** The reason in an LRS reply, on one line and short. */
function detailOf(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  // Problem+json and most LRSs put the reason in a field; keep it short either way.
  try {
    const parsed = JSON.parse(oneLine) as Record<string, unknown>;
    const reason = parsed.detail ?? parsed.message ?? parsed.error;
    if (typeof reason === 'string') return reason.slice(0, DETAIL_LIMIT);
  } catch {
    // not JSON: the text itself
  }
  return oneLine.slice(0, DETAIL_LIMIT);
}
