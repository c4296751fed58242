import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CookieJar, FutureLearnHttpError, FutureLearnSession } from '../../../src/ingest/futurelearn/session.js';
import { testClock } from '../../support/clock.js';

describe('the cookie jar', () => {
  it('keeps name=value per host, replaces, and drops expired cookies', () => {
    const jar = new CookieJar();
    jar.store('a.example', ['s=1; path=/; HttpOnly', 'flash=hi; Max-Age=60']);
    jar.store('b.example', ['other=x']);
    expect(jar.header('a.example')).toBe('s=1; flash=hi');
    jar.store('a.example', ['s=2', 'flash=; Max-Age=0', 'old=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.header('a.example')).toBe('s=2');
    expect(jar.header('c.example')).toBeUndefined();
  });
});

describe('the FutureLearn session', () => {
  let server: Server | undefined;
  // Retries wait on this clock, which records each wait and goes on at once.
  let clock = testClock();
  beforeEach(() => {
    clock = testClock();
  });
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  const serve = async (handler: Parameters<typeof createServer>[1]) => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  };

  it('keeps a cookie set on a redirect and sends it to the next page', async () => {
    const seen: (string | undefined)[] = [];
    const base = await serve((req, res) => {
      seen.push(req.headers.cookie);
      if (req.url === '/login') res.writeHead(302, { location: '/home', 'set-cookie': 'sid=abc; path=/' }).end();
      else res.writeHead(200).end('home');
    });
    const session = new FutureLearnSession({ baseUrl: base });
    const page = await session.page('login');
    expect(page).toMatchObject({ path: '/home', html: 'home' });
    expect(seen).toEqual([undefined, 'sid=abc']);
  });

  it('retries 429 and 5xx a bounded number of times, then names the path only', async () => {
    let calls = 0;
    const base = await serve((_req, res) => {
      calls += 1;
      res.writeHead(calls === 1 ? 429 : 503).end();
    });
    const session = new FutureLearnSession({ baseUrl: base, attempts: 3, backoffMs: 1, clock });
    const err = await session.page('admin/x?secret=1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FutureLearnHttpError);
    expect((err as Error).message).toBe('/admin/x: answered 503 after 3 attempts');
    expect(calls).toBe(3);
    expect(clock.waits).toHaveLength(2);
  });

  it('gives up on an unreachable site after its attempts', async () => {
    const base = await serve((_req, res) => res.end());
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const session = new FutureLearnSession({ baseUrl: base, attempts: 2, backoffMs: 1, clock });
    await expect(session.page('sign-in')).rejects.toThrow(/^\/sign-in: unreachable \(ECONNREFUSED\) after 2 attempts$/);
  });

  it('times out a page that does not answer', async () => {
    const base = await serve(() => undefined);
    const session = new FutureLearnSession({ baseUrl: base, attempts: 1, timeoutMs: 50 });
    await expect(session.page('slow')).rejects.toThrow('/slow: timed out after 1 attempts');
  });
});
