import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isCoded } from '../../src/errors.js';
import { backoffMs } from '../../src/net/backoff.js';
import { fetchFault, NetError, safeUrl } from '../../src/net/net-error.js';
import { classifyStatus, request, requestText, type NetClock, type NetOptions } from '../../src/net/request.js';
import { parseRetryAfter } from '../../src/net/retry-after.js';
import { FaultyHttpServer } from '../fakes/faulty-http.js';
import { TEST_NOW as NOW, testClock } from '../support/clock.js';


let server: FaultyHttpServer;
let clock: ReturnType<typeof testClock>;
const retry = { attempts: 3, baseMs: 100, maxMs: 10_000 };
const opts = (extra: Partial<NetOptions> = {}): NetOptions => ({ service: 'LRS', timeoutMs: 5_000, retry, clock, ...extra });
const caught = (p: Promise<unknown>) => p.then(() => expect.fail('should have failed'), (e: unknown) => e as NetError);

beforeAll(async () => {
  server = await FaultyHttpServer.start();
});
afterAll(() => server.close());
beforeEach(() => {
  server.script.length = 0;
  server.received.length = 0;
  clock = testClock();
});

describe('the outgoing HTTP client', () => {
  it('gives up on a refused connection after its attempts, naming the URL without its query', async () => {
    const gone = await FaultyHttpServer.start();
    const base = gone.url;
    const url = `${base}xapi/statements?agent=secret-learner`;
    await gone.close();
    const err = await caught(request(url, {}, opts()));
    expect(err).toBeInstanceOf(NetError);
    expect(isCoded(err, 'unavailable')).toBe(true);
    expect(err).toMatchObject({ fault: 'refused', attempts: 3, reason: 'unreachable (ECONNREFUSED)' });
    expect(err.message).toBe(`LRS unreachable at ${base}xapi/statements: connection refused (ECONNREFUSED) (3 attempts)`);
    expect(clock.waits).toEqual([75, 150]);
  });

  it('names a failed TLS handshake as a TLS error, not "fetch failed"', async () => {
    // https to a server that speaks plain HTTP: the handshake fails on the first bytes.
    const url = server.url.replace('http:', 'https:');
    const err = await caught(request(`${url}a`, {}, opts({ retry: { attempts: 1, baseMs: 1 } })));
    expect(err.message).toBe(`LRS unreachable at ${url}a: TLS error: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)`);
    expect(err.message).not.toContain('fetch failed');
  });

  it('repeats a request whose answer was cut mid-body, and reads the next one whole', async () => {
    server.script.push({ kind: 'reset-mid-body' });
    const answer = await requestText(`${server.url}a`, {}, opts());
    expect(answer).toMatchObject({ status: 200, text: 'ok' });
    expect(server.received).toHaveLength(2);
  });

  it('ends an attempt whose headers do not come by its deadline', async () => {
    server.script.push({ kind: 'hang' });
    const deadline = new AbortController();
    const arrived = server.nextRequest().then(() => deadline.abort());
    const err = await caught(request(`${server.url}slow`, {}, opts({ retry: { attempts: 1, baseMs: 1 }, deadline: () => deadline.signal })));
    await arrived;
    expect(err).toMatchObject({ code: 'unavailable', fault: 'timeout', reason: 'timed out' });
    expect(err.message).toBe(`LRS timed out at ${server.url}slow after 5000 ms`);
  });

  it('rejects with the caller\'s reason when cancelled while waiting for an answer', async () => {
    server.script.push({ kind: 'hang' });
    const cancel = new AbortController();
    void server.nextRequest().then(() => cancel.abort(new Error('shutting down')));
    await expect(request(`${server.url}slow`, {}, opts({ signal: cancel.signal }))).rejects.toThrow('shutting down');
    expect(server.received).toHaveLength(1);
  });

  it('retries a 503 and returns the 200 that follows, after one backoff', async () => {
    server.script.push({ kind: 'status', status: 503 });
    const res = await request(`${server.url}x`, {}, opts());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(clock.waits).toEqual([75]);
  });

  it('waits as long as a 429 asks, in seconds or as an HTTP date', async () => {
    server.script.push(
      { kind: 'status', status: 429, headers: { 'retry-after': '2' } },
      { kind: 'status', status: 429, headers: { 'retry-after': new Date(NOW + 3_000).toUTCString() } },
    );
    expect((await request(`${server.url}x`, {}, opts())).status).toBe(200);
    expect(clock.waits).toEqual([2_000, 3_000]);
  });

  it('keeps what a last 429 asked for on the error, capped waits included', async () => {
    server.script.push(...Array.from({ length: 2 }, () => ({ kind: 'status' as const, status: 429, headers: { 'retry-after': '120' } })));
    const err = await caught(request(`${server.url}x`, {}, opts({ retry: { attempts: 2, baseMs: 100, maxMs: 30_000 } })));
    expect(err).toMatchObject({ code: 'unavailable', status: 429, retryAfterMs: 120_000, retryAfterSeconds: 120, attempts: 2 });
    expect(err.message).toBe(`LRS answered 429 at ${server.url}x (2 attempts)`);
    expect(clock.waits).toEqual([30_000]);
  });

  it('does not retry a 401 or a 403, and codes them', async () => {
    server.script.push({ kind: 'status', status: 401 }, { kind: 'status', status: 403 });
    const refused = await caught(request(`${server.url}x?token=t0p`, {}, opts()));
    expect(refused).toMatchObject({ code: 'unauthorized', fault: 'auth', status: 401, attempts: 1 });
    expect(refused.message).toBe(`LRS refused the credentials (401) at ${server.url}x`);
    expect(await caught(request(`${server.url}x`, {}, opts()))).toMatchObject({ code: 'forbidden', status: 403 });
    expect(server.received).toHaveLength(2);
  });

  it('hands a 400 to the caller without retrying', async () => {
    server.script.push({ kind: 'status', status: 400, body: 'bad statement' });
    const answer = await requestText(`${server.url}x`, { method: 'PUT', body: '{}' }, opts());
    expect(answer).toMatchObject({ status: 400, text: 'bad statement' });
    expect(server.received).toHaveLength(1);
  });

  it('hands the caller statuses it reads itself, and the last answer when retries run out if asked', async () => {
    server.script.push({ kind: 'status', status: 403 }, { kind: 'status', status: 500, body: 'down' });
    expect((await request(`${server.url}x`, {}, opts({ answer: [403] }))).status).toBe(403);
    const last = await requestText(`${server.url}x`, {}, opts({ retry: { attempts: 1, baseMs: 1 }, answerWhenExhausted: true }));
    expect(last).toMatchObject({ status: 500, text: 'down' });
  });

  it('repeats a POST only where it surely did not act: a refused connection or a 429', async () => {
    server.script.push({ kind: 'status', status: 503 }, { kind: 'status', status: 429 }, { kind: 'status', status: 503 });
    expect(await caught(request(`${server.url}jobs`, { method: 'POST', body: '{}' }, opts()))).toMatchObject({ status: 503, attempts: 1 });
    expect(await caught(request(`${server.url}jobs`, { method: 'POST', body: '{}' }, opts()))).toMatchObject({ status: 503, attempts: 2 });
    server.script.push({ kind: 'status', status: 503 });
    const idempotent = await request(`${server.url}statements`, { method: 'POST', body: '[]' }, opts({ retry: { ...retry, idempotent: true } }));
    expect(idempotent.status).toBe(200);
  });

  it('builds each attempt afresh when given a function, and tells each attempt', async () => {
    server.script.push({ kind: 'status', status: 502 });
    const told: number[] = [];
    await request(`${server.url}x`, (n) => ({ headers: { 'x-attempt': String(n) } }), opts({ onAttempt: (n) => told.push(n) }));
    expect(server.received.map((r) => r.headers['x-attempt'])).toEqual(['1', '2']);
    expect(told).toEqual([1, 2]);
  });

  it('stops retrying when cancelled during a backoff', async () => {
    server.script.push({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const cancel = new AbortController();
    const sleeping: NetClock = {
      ...clock,
      sleep: (_ms, signal) => new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new Error('timer cleared')));
        cancel.abort(new Error('stopped by the caller'));
      }),
    };
    await expect(request(`${server.url}x`, {}, opts({ clock: sleeping, signal: cancel.signal }))).rejects.toThrow('stopped by the caller');
    expect(server.received).toHaveLength(1);
  });
});

describe('its parts', () => {
  it('classifies statuses into answer, retry and auth', () => {
    expect([200, 204, 302, 400, 404, 409, 413, 401, 403, 429, 500, 503].map(classifyStatus)).toEqual([
      'answer', 'answer', 'answer', 'answer', 'answer', 'answer', 'answer', 'auth', 'auth', 'retry', 'retry', 'retry',
    ]);
  });

  it('keeps every wait between half and all of its capped exponential step', () => {
    const policy = { baseMs: 100, maxMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, policy, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, policy, () => 0.999_999))).toEqual([100, 200, 400, 800, 1_000]);
    for (let i = 0; i < 200; i++) {
      const wait = backoffMs(3, policy);
      expect(wait).toBeGreaterThanOrEqual(200);
      expect(wait).toBeLessThanOrEqual(400);
    }
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores what it cannot read', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7_000);
    expect(parseRetryAfter(new Date(NOW + 60_000).toUTCString(), NOW)).toBe(60_000);
    expect(parseRetryAfter(new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0);
    expect([parseRetryAfter(null, NOW), parseRetryAfter('soon', NOW), parseRetryAfter('', NOW)]).toEqual([undefined, undefined, undefined]);
  });

  it('states network causes in words with their code', () => {
    const thrown = (cause: object) => fetchFault(new TypeError('fetch failed', { cause }));
    expect(thrown({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND lrs.invalid' }).cause).toBe('DNS name not found (ENOTFOUND)');
    expect(thrown({ code: 'ECONNRESET' }).cause).toBe('connection reset (ECONNRESET)');
    expect(thrown({ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }).cause).toBe('TLS error: certificate has expired (CERT_HAS_EXPIRED)');
    expect(thrown({ code: 'EWHATEVER' }).cause).toBe('network error (EWHATEVER)');
    expect(thrown({ message: 'other side closed' }).cause).toBe('other side closed');
  });

  it('strips credentials, query and fragment from the URLs it names', () => {
    expect(safeUrl('https://user:pw@lrs.example/xapi/statements?agent=x#f')).toBe('https://lrs.example/xapi/statements');
  });
});
