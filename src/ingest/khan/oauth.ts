/**
 * Client of a Khan Academy API server: the three-legged OAuth 1.0a set-up of a coach
 * (RFC 5849 with HMAC-SHA1, section 3.4.2) and signed GETs of the v1 API.
 *
 * Khan's public API was shut down in 2020, so the base URL is configurable and the
 * client is proven against `test/fakes/khan.ts`. Consumer secret, token secrets,
 * tokens, verifiers and signatures are secrets: they go in the Authorization header
 * only and never into an error message. Messages name the method and path, without
 * the query (it carries student ids).
 */
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { NetError } from '../../net/net-error.js';
import { requestText, type NetClock, type RetryPolicy, type TextAnswer } from '../../net/request.js';

/** A token and its secret, as request_token and access_token answer them. */
export interface KhanTokenPair {
  token: string;
  tokenSecret: string;
}

/** What a coach's pasted callback URL carries. */
export interface KhanCallback {
  token: string;
  verifier: string;
}

/** Settings of a client. */
export interface KhanOAuthClientOptions {
  /** The server's origin, e.g. `https://www.khanacademy.org` (paths start with `/api/`). */
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Limit of one request. */
  timeoutMs?: number;
  clock?: NetClock;
}

/** How one signed GET is repeated and counted; each attempt is signed afresh (a nonce is used once). */
export interface KhanCall {
  /** Absent: one attempt. 429, 5xx and network errors are retried; a 401 never (it would only burn nonces). */
  retry?: RetryPolicy;
  /** Told before each attempt, e.g. to count requests. */
  onAttempt?: () => void;
}

/** Query parameters of a signed GET; undefined values are left out. */
export type KhanQuery = Record<string, string | number | undefined>;

/** The server refused the signature or token (401), or the token may not see this user (403). */
export class KhanAuthError extends Error {
  override readonly name = 'KhanAuthError';
  readonly code = 'khan_unauthorized';
  constructor(readonly endpoint: string, readonly status: number) {
    super(status === 401
      ? `${endpoint}: the server refused the signature or token (401); check the consumer key and the coach's authorization`
      : `${endpoint}: the token may not access this resource (403)`);
  }
}

/** The server asked to slow down (429). */
export class KhanRateLimitError extends Error {
  override readonly name = 'KhanRateLimitError';
  readonly code = 'khan_rate_limited';
  readonly status = 429;
  constructor(readonly endpoint: string, readonly retryAfterMs?: number) {
    super(`${endpoint}: rate limited (429)`);
  }
}

/** The server answered 5xx or could not be reached. */
export class KhanServerError extends Error {
  override readonly name = 'KhanServerError';
  readonly code = 'khan_unavailable';
  constructor(readonly endpoint: string, reason: string, readonly status?: number, readonly retryAfterMs?: number, options?: ErrorOptions) {
    super(`${endpoint}: ${reason}`, options);
  }
}

/** The server answered something this client does not understand. */
export class KhanResponseError extends Error {
  override readonly name = 'KhanResponseError';
  readonly code = 'khan_bad_response';
  constructor(readonly endpoint: string, reason: string, readonly status?: number) {
    super(`${endpoint}: ${reason}`);
  }
}

/** A pasted callback URL lacks what the flow needs. */
export class KhanCallbackError extends Error {
  override readonly name = 'KhanCallbackError';
  readonly code = 'khan_bad_callback';
}

/**
 * Speaks OAuth 1.0a to a Khan API server on behalf of one consumer (the application).
 * @example
 * const khan = new KhanOAuthClient({ baseUrl, consumerKey, consumerSecret });
 * const request = await khan.requestToken('oob');
 * console.log(khan.authorizeUrl(request));
 * const { token, verifier } = khan.parseCallback(pastedUrl);
 * const access = await khan.accessToken(request, verifier);
 * const coach = await khan.get<{ user_id: string }>('/api/v1/user', {}, access);
 */
export class KhanOAuthClient {
  readonly #base: string;
  readonly #oauth: OAuth;
  readonly #timeoutMs: number;
  readonly #clock: NetClock | undefined;

  constructor(options: KhanOAuthClientOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#clock = options.clock;
    // The package defaults to PLAINTEXT, which would send the secrets themselves.
    this.#oauth = new OAuth({
      consumer: { key: options.consumerKey, secret: options.consumerSecret },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
  }

  /** Leg 1: a temporary request token; `callbackUrl` is where the server sends the coach (or `oob`). */
  async requestToken(callbackUrl: string): Promise<KhanTokenPair> {
    const where = 'POST /api/auth/request_token';
    const form = await this.#tokenCall('/api/auth/request_token', undefined, { oauth_callback: callbackUrl });
    // RFC 5849 §2.1: a server that ignored oauth_callback speaks OAuth 1.0, not 1.0a.
    if (form.get('oauth_callback_confirmed') !== 'true') throw new KhanResponseError(where, 'the server did not confirm the callback');
    return pairOf(where, form);
  }

  /** Leg 2: the URL the coach opens to sign in and approve. */
  authorizeUrl(requestToken: KhanTokenPair): string {
    return `${this.#base}/api/auth/authorize?oauth_token=${this.#oauth.percentEncode(requestToken.token)}`;
  }

  /** Reads `oauth_token` and `oauth_verifier` from the callback URL (or its query) the coach pasted. */
  parseCallback(url: string): KhanCallback {
    const text = url.trim();
    let query: URLSearchParams;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
      try {
        query = new URL(text).searchParams;
      } catch {
        throw new KhanCallbackError('the pasted callback is not a valid URL');
      }
    } else {
      query = new URLSearchParams(text.replace(/^\?/, ''));
    }
    if (query.has('oauth_problem') || query.has('denied')) throw new KhanCallbackError('the coach did not approve access (the callback reports a refusal)');
    const token = query.get('oauth_token');
    const verifier = query.get('oauth_verifier');
    const missing = [token ? '' : 'oauth_token', verifier ? '' : 'oauth_verifier'].filter(Boolean);
    if (missing.length > 0 || !token || !verifier) {
      throw new KhanCallbackError(`the pasted callback lacks ${missing.join(' and ')}; paste the whole address the browser was sent to`);
    }
    return { token, verifier };
  }

  /** Leg 3: trades the approved request token and its verifier for the coach's access token. */
  async accessToken(requestToken: KhanTokenPair, verifier: string): Promise<KhanTokenPair> {
    const form = await this.#tokenCall('/api/auth/access_token', requestToken, { oauth_verifier: verifier });
    return pairOf('POST /api/auth/access_token', form);
  }

  /**
   * A signed GET of `path` (e.g. `/api/v1/user/exercises`) with `query`, parsed as JSON.
   * @example const students = await khan.get('/api/v1/user/students', {}, access, { retry: { attempts: 4, baseMs: 500 } });
   */
  async get<T>(path: string, query: KhanQuery, accessToken: KhanTokenPair, call: KhanCall = {}): Promise<T> {
    const where = `GET ${path}`;
    const res = await this.#send('GET', this.#url(path, query), accessToken, {}, where, call);
    try {
      return JSON.parse(res.text) as T;
    } catch {
      throw new KhanResponseError(where, 'answered with a body that is not JSON', res.status);
    }
  }

  /** Builds the URL once: the exact string signed is the one sent (RFC 5849 §3.4.1.2). */
  #url(path: string, query: KhanQuery): string {
    const pairs = Object.entries(query)
      .filter((e): e is [string, string | number] => e[1] !== undefined)
      .map(([k, v]) => `${this.#oauth.percentEncode(k)}=${this.#oauth.percentEncode(String(v))}`);
    return `${this.#base}${path.startsWith('/') ? path : `/${path}`}${pairs.length ? `?${pairs.join('&')}` : ''}`;
  }

  async #tokenCall(path: string, token: KhanTokenPair | undefined, extra: Record<string, string>): Promise<URLSearchParams> {
    const where = `POST ${path}`;
    const res = await this.#send('POST', `${this.#base}${path}`, token, extra, where);
    return new URLSearchParams(res.text);
  }

  /** Signs and sends one request (signed again for each attempt); maps failures to the error classes. */
  async #send(
    method: 'GET' | 'POST', url: string, token: KhanTokenPair | undefined, extra: Record<string, string>, where: string, call: KhanCall = {},
  ): Promise<TextAnswer> {
    const init = (): RequestInit => ({
      method,
      headers: { authorization: this.#authorization(method, url, token, extra), accept: 'application/json' },
      redirect: 'manual',
    });
    const res = await requestText(url, init, {
      service: 'Khan',
      timeoutMs: this.#timeoutMs,
      ...(call.retry && { retry: call.retry }),
      ...(call.onAttempt && { onAttempt: call.onAttempt }),
      ...(this.#clock && { clock: this.#clock }),
    }).catch((err: unknown) => {
      throw khanError(where, err);
    });
    if (res.status < 200 || res.status >= 300) throw new KhanResponseError(where, `answered ${res.status}`, res.status);
    return res;
  }

  /** The `OAuth` Authorization header of one request, with a fresh nonce and timestamp (RFC 5849 §3.5.1). */
  #authorization(method: string, url: string, token: KhanTokenPair | undefined, extra: Record<string, string>): string {
    const params: Record<string, string> = {
      oauth_consumer_key: this.#oauth.consumer.key,
      oauth_nonce: this.#oauth.getNonce(),
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: String(this.#oauth.getTimeStamp()),
      oauth_version: '1.0',
      ...(token ? { oauth_token: token.token } : {}),
      ...extra,
    };
    // getSignature merges the URL's query into the object it is given: pass a copy.
    const signature = this.#oauth.getSignature({ url, method, data: {} }, token?.tokenSecret, { ...params } as unknown as OAuth.Data);
    const header = Object.entries({ ...params, oauth_signature: signature })
      .map(([k, v]) => `${this.#oauth.percentEncode(k)}="${this.#oauth.percentEncode(v)}"`)
      .join(', ');
    return `OAuth ${header}`;
  }
}

/** A failed call as the pull tells them apart: refused, rate limited, or the server unwell. */
function khanError(where: string, err: unknown): unknown {
  if (!(err instanceof NetError)) return err;
  if (err.fault === 'auth') return new KhanAuthError(where, err.status ?? 401);
  if (err.status === 429) return new KhanRateLimitError(where, err.retryAfterMs);
  return new KhanServerError(where, err.reason, err.status, err.retryAfterMs, { cause: err });
}

function pairOf(where: string, form: URLSearchParams): KhanTokenPair {
  const token = form.get('oauth_token');
  const tokenSecret = form.get('oauth_token_secret');
  if (!token || !tokenSecret) throw new KhanResponseError(where, 'the answer lacks oauth_token or oauth_token_secret');
  return { token, tokenSecret };
}
