/**
 * The one outgoing HTTP client, on Node's fetch (undici). Every call to an LRS or a
 * platform goes through `request` (or `requestText`), which owns: a timeout per attempt,
 * retries with exponential backoff and jitter on network faults, 429 and 5xx, honouring
 * `Retry-After`, the classification of every outcome (answer / retry / auth), coded
 * errors that name the URL without secrets, and cancellation by the caller's signal.
 * Callers keep what is theirs (cookies, CSRF, OAuth signatures) in the request they pass.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { backoffMs } from './backoff.js';
import { fetchFault, NetError, safeUrl, type FetchFault, type NetFailure } from './net-error.js';
import { parseRetryAfter } from './retry-after.js';

/** What an answer's status means: hand it to the caller, try again, or credentials refused. */
export type Verdict = 'answer' | 'retry' | 'auth';

/**
 * The classification of a status: 401 and 403 are `auth`, 429 and 5xx `retry`, anything else (2xx, 3xx, other 4xx) the caller's to read.
 * @example classifyStatus(503) // 'retry'
 */
export function classifyStatus(status: number): Verdict {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429 || status >= 500) return 'retry';
  return 'answer';
}

/** How often and how patiently a call is repeated. */
export interface RetryPolicy {
  /** Tries, the first included (1: never repeated). */
  attempts: number;
  /** The first wait, doubled for each next one. */
  baseMs: number;
  /** Cap of one wait, `Retry-After` included (default 60 s). */
  maxMs?: number;
  /**
   * Whether repeating the request is harmless (default: every method but POST and PATCH).
   * One that is not is repeated only when it surely did not act: connection refused, or 429.
   */
  idempotent?: boolean;
}

/** Time as the client sees it; tests inject one that never waits on the wall clock. */
export interface NetClock {
  now(): number;
  /** Waits `ms`, or rejects as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** In [0, 1): places each wait within its jitter. */
  random(): number;
}

/** The real clock. */
export const systemClock: NetClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => pause(ms, undefined, signal ? { signal } : {}),
  random: Math.random,
};

/** How one call is made. */
export interface NetOptions {
  /** Who is called, as messages name it: `LRS`, `Coursera`, `FutureLearn`, `Khan`. */
  service: string;
  /** Limit of one attempt, headers and body; absent: none (the caller's signal bounds it). */
  timeoutMs?: number;
  /** Absent: one attempt. */
  retry?: RetryPolicy;
  /** Cancels the call, in flight or between attempts; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Statuses the caller reads itself instead of their classification (e.g. 403 of an expired link). */
  answer?: readonly number[];
  /** When the retries of a 429 or 5xx run out, hand the last answer to the caller instead of an error. */
  answerWhenExhausted?: boolean;
  /** Told before each attempt, e.g. to count requests. */
  onAttempt?: (attempt: number) => void;
  clock?: NetClock;
  /** Makes the signal that ends an attempt after `timeoutMs` (default `AbortSignal.timeout`). */
  deadline?: (ms: number) => AbortSignal;
}

/** The request of an attempt; a function is called for each one (a fresh OAuth nonce and signature). */
export type AttemptInit = RequestInit | ((attempt: number) => RequestInit);

/** An answer read whole within its attempt. */
export interface TextAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Sends `init` to `url`, retrying as `options.retry` allows, and returns the answer with its
 * body unread (the attempt's timeout still bounds the reading).
 * @throws NetError `unavailable` when unreachable, timed out or still 429/5xx after the retries; `unauthorized`/`forbidden` on 401/403
 * @example
 * const res = await request(url, { headers }, { service: 'Coursera', timeoutMs: 30_000, retry: { attempts: 3, baseMs: 500 } });
 */
export function request(url: string | URL, init: AttemptInit, options: NetOptions): Promise<Response> {
  return attempt(url, init, options, async (res) => res);
}

/**
 * As `request`, and reads the body as text within the attempt, so that a connection cut
 * mid-body is retried like any network fault.
 * @example const { status, text } = await requestText(url, { method: 'GET' }, { service: 'LRS', timeoutMs: 30_000 });
 */
export function requestText(url: string | URL, init: AttemptInit, options: NetOptions): Promise<TextAnswer> {
  return attempt(url, init, options, async (res) => ({ status: res.status, headers: res.headers, text: await res.text() }));
}

type Failed = FetchFault & Pick<NetFailure, 'status' | 'retryAfterMs' | 'error'>;

async function attempt<T>(target: string | URL, init: AttemptInit, options: NetOptions, read: (res: Response) => Promise<T>): Promise<T> {
  const url = target.toString();
  const clock = options.clock ?? systemClock;
  const policy = options.retry ?? { attempts: 1, baseMs: 0 };
  const attempts = Math.max(1, policy.attempts);
  const maxMs = policy.maxMs ?? 60_000;
  for (let n = 1; ; n += 1) {
    options.onAttempt?.(n);
    const req = typeof init === 'function' ? init(n) : init;
    const idempotent = policy.idempotent ?? !['POST', 'PATCH'].includes((req.method ?? 'GET').toUpperCase());
    const signals = [options.timeoutMs === undefined ? undefined : (options.deadline ?? AbortSignal.timeout)(options.timeoutMs), options.signal];
    const active = signals.filter((s): s is AbortSignal => s !== undefined);
    let failed: Failed;
    try {
      const res = await fetch(url, { ...req, ...(active.length > 0 && { signal: AbortSignal.any(active) }) });
      const verdict = options.answer?.includes(res.status) ? 'answer' : classifyStatus(res.status);
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), clock.now());
      const exhausted = n >= attempts || !(idempotent || res.status === 429);
      if (verdict === 'answer' || (verdict === 'retry' && exhausted && options.answerWhenExhausted)) return await read(res);
      await res.body?.cancel();
      const status = { status: res.status, reason: `answered ${res.status}`, cause: String(res.status), ...(retryAfterMs !== undefined && { retryAfterMs }) };
      if (verdict === 'auth') throw new NetError({ service: options.service, url: safeUrl(url), fault: 'auth', attempts: n, ...status });
      failed = { fault: 'status', ...status };
    } catch (err) {
      if (err instanceof NetError) throw err;
      options.signal?.throwIfAborted();
      const fault = fetchFault(err);
      failed = { ...fault, ...(fault.fault === 'timeout' && { cause: `after ${options.timeoutMs} ms` }), error: err };
    }
    const repeatable = idempotent || failed.fault === 'refused' || failed.status === 429;
    if (n >= attempts || !repeatable) throw new NetError({ service: options.service, url: safeUrl(url), attempts: n, ...failed });
    const wait = Math.max(backoffMs(n, { baseMs: policy.baseMs, maxMs }, clock.random), Math.min(failed.retryAfterMs ?? 0, maxMs));
    await clock.sleep(wait, options.signal).catch((err: unknown) => {
      options.signal?.throwIfAborted();
      throw err;
    });
  }
}
