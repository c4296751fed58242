/**
 * An HTTP session with the FutureLearn site, as a browser would hold one: a cookie jar,
 * redirects followed by hand (fetch's own redirect handling drops the `Set-Cookie` of a
 * 302, and the sign-in sets the session cookie on exactly such a 302), a timeout per
 * request, and a bounded number of retries with backoff on network errors, 429 and 5xx.
 *
 * Cookies are the signed-in session: they are never logged nor put in a message. Error
 * messages name the page path only, without host or query.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** A request that could not get an answer after its retries, or got an unusable one. */
export class FutureLearnHttpError extends Error {
  override readonly name = 'FutureLearnHttpError';
  readonly code = 'futurelearn_unavailable';
  constructor(readonly path: string, reason: string, readonly status?: number, options?: ErrorOptions) {
    super(`${path}: ${reason}`, options);
  }
}

/** Settings of a session. */
export interface SessionOptions {
  /** The site base, ending in `/` (FUTURELEARN_URL). */
  baseUrl: string;
  /** Limit of one request, headers and body (default 60 s). */
  timeoutMs?: number;
  /** Tries per request, the first included (default 3). */
  attempts?: number;
  /** Wait before the second try; doubled for each next one (default 500 ms). */
  backoffMs?: number;
}

/** Per request settings. */
export interface RequestOptions {
  method?: 'GET' | 'POST';
  /** A form body, sent as `application/x-www-form-urlencoded`. */
  form?: URLSearchParams;
  headers?: Record<string, string>;
  /** Overrides the session's timeout (big dataset downloads need longer). */
  timeoutMs?: number;
}

/** The final answer of a request, its body not yet read. */
export interface SessionResponse {
  status: number;
  /** The path of the final URL (after redirects), without query: safe for messages. */
  path: string;
  url: URL;
  headers: Headers;
  response: Response;
}

const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Cookies by host, name to value: just enough of RFC 6265 for one site's session. */
export class CookieJar {
  readonly #byHost = new Map<string, Map<string, string>>();

  /** Keeps the cookies of `Set-Cookie` headers answered by `host`; an expired one is removed. */
  store(host: string, setCookies: readonly string[]): void {
    let jar = this.#byHost.get(host);
    if (!jar) this.#byHost.set(host, (jar = new Map()));
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((a) => {
        const [key = '', value = ''] = a.split('=').map((s) => s.trim());
        if (/^max-age$/i.test(key)) return Number(value) <= 0;
        if (/^expires$/i.test(key)) return Date.parse(value) <= Date.now();
        return false;
      });
      if (expired) jar.delete(name);
      else jar.set(name, pair.slice(eq + 1).trim());
    }
  }

  /** The `Cookie` header for `host`, or undefined when it has none. */
  header(host: string): string | undefined {
    const jar = this.#byHost.get(host);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * A browser-like session with one site.
 * @example
 * const session = new FutureLearnSession({ baseUrl: 'https://www.futurelearn.com/' });
 * const page = await session.page('sign-in');
 */
export class FutureLearnSession {
  readonly base: URL;
  readonly #jar = new CookieJar();
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #backoffMs: number;

  constructor(options: SessionOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#attempts = Math.max(1, options.attempts ?? 3);
    this.#backoffMs = options.backoffMs ?? 500;
  }

  /** Resolves a link or a path against the base (`sign-in` stays under a base path, `/admin/...` does not). */
  resolve(target: string | URL): URL {
    return new URL(target, this.base);
  }

  /** Sends a request, following redirects and retrying; the caller reads (or cancels) the body. */
  async request(target: string | URL, options: RequestOptions = {}): Promise<SessionResponse> {
    let url = this.resolve(target);
    let method = options.method ?? 'GET';
    let form = options.form;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const res = await this.#send(url, method, form, options);
      this.#jar.store(url.host, res.headers.getSetCookie());
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || !location) return { status: res.status, path: url.pathname, url, headers: res.headers, response: res };
      await res.body?.cancel();
      url = new URL(location, url);
      // As browsers do: 301-303 turn a POST into a GET; 307 and 308 repeat it.
      if (res.status <= 303) {
        method = 'GET';
        form = undefined;
      }
    }
    throw new FutureLearnHttpError(url.pathname, `more than ${MAX_REDIRECTS} redirects`);
  }

  /** GETs a page and reads it as text; any status but 200 is an error. */
  async page(target: string | URL): Promise<{ path: string; url: URL; html: string }> {
    const res = await this.request(target);
    return { path: res.path, url: res.url, html: await textOf(res) };
  }

  async #send(url: URL, method: string, form: URLSearchParams | undefined, options: RequestOptions): Promise<Response> {
    const where = url.pathname;
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= this.#attempts;
      const cookie = this.#jar.header(url.host);
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          redirect: 'manual',
          headers: {
            'user-agent': 'xapi-gateway (FutureLearn datasets)',
            ...options.headers,
            ...(cookie ? { cookie } : {}),
            ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          body: form?.toString(),
          signal: AbortSignal.timeout(options.timeoutMs ?? this.#timeoutMs),
        });
      } catch (err) {
        if (last) throw new FutureLearnHttpError(where, `${unreachable(err)} after ${attempt} attempts`, undefined, { cause: err });
        await sleep(this.#delay(attempt));
        continue;
      }
      if (res.status !== 429 && res.status < 500) return res;
      await res.body?.cancel();
      if (last) throw new FutureLearnHttpError(where, `answered ${res.status} after ${attempt} attempts`, res.status);
      await sleep(this.#delay(attempt, res.headers.get('retry-after')));
    }
  }

  /** Exponential backoff with jitter; a Retry-After in seconds is honoured up to a minute. */
  #delay(attempt: number, retryAfter?: string | null): number {
    const backoff = this.#backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
    const asked = Number(retryAfter);
    return Number.isFinite(asked) && asked > 0 ? Math.max(backoff, Math.min(asked, 60) * 1000) : backoff;
  }
}

/** The body of a 200 answer as text; another status is an error naming the path. */
export async function textOf(res: SessionResponse): Promise<string> {
  if (res.status !== 200) {
    await res.response.body?.cancel();
    throw new FutureLearnHttpError(res.path, `answered ${res.status}`, res.status);
  }
  try {
    return await res.response.text();
  } catch (err) {
    throw new FutureLearnHttpError(res.path, `${unreachable(err)} while reading the page`, undefined, { cause: err });
  }
}

/** A short reason of a fetch failure, without the URL. */
export function unreachable(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string } } | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  return `unreachable (${e?.cause?.code ?? 'network error'})`;
}
