/**
 * An HTTP session with the FutureLearn site, as a browser would hold one: a cookie jar
 * and redirects followed by hand (fetch's own redirect handling drops the `Set-Cookie`
 * of a 302, and the sign-in sets the session cookie on exactly such a 302). Timeouts and
 * retries (network errors, 429 and 5xx, sign-in form included) are `src/net`'s.
 *
 * Cookies are the signed-in session: they are never logged nor put in a message. Error
 * messages name the page path only, without host or query.
 */
import { fetchFault, NetError } from '../../net/net-error.js';
import { request, type NetClock } from '../../net/request.js';

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
  clock?: NetClock;
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
  readonly #options: SessionOptions;

  constructor(options: SessionOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.#options = options;
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
    const cookie = this.#jar.header(url.host);
    const init: RequestInit = {
      method,
      redirect: 'manual',
      headers: {
        'user-agent': 'xapi-gateway (FutureLearn datasets)',
        ...options.headers,
        ...(cookie ? { cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
    };
    const { timeoutMs = 60_000, attempts = 3, backoffMs = 500, clock } = this.#options;
    try {
      return await request(url, init, {
        service: 'FutureLearn',
        timeoutMs: options.timeoutMs ?? timeoutMs,
        // The site's forms (sign-in) are safe to repeat: a repeated sign-in signs in again.
        retry: { attempts, baseMs: backoffMs, idempotent: true },
        // 401 and 403 are pages like any other here: the caller reads what the site says.
        answer: [401, 403],
        ...(clock && { clock }),
      });
    } catch (err) {
      if (!(err instanceof NetError)) throw err;
      throw new FutureLearnHttpError(url.pathname, `${err.reason} after ${err.attempts} attempts`, err.status, { cause: err });
    }
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
    throw new FutureLearnHttpError(res.path, `${fetchFault(err).reason} while reading the page`, undefined, { cause: err });
  }
}
