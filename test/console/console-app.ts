/**
 * The console in tests: the real app with an admin token, its throttle and sessions on a
 * clock the test moves, and a supertest agent that keeps cookies as a browser does.
 */
import request from 'supertest';
import { expect } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { AuthThrottle } from '../../src/http/auth-throttle.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { testApp } from '../support/embedded-lrs.js';
import { TEST_NOW } from '../support/clock.js';

/** The admin token the console of tests takes. */
export const CONSOLE_TOKEN = 'console-admin-token-for-tests';

/** A clock read by the console and its throttle; `advance` moves it. */
export interface MovableClock {
  now(): number;
  advance(ms: number): void;
}

/** A clock that stands still until moved. */
export function movableClock(start = TEST_NOW): MovableClock {
  let at = start;
  return { now: () => at, advance: (ms) => void (at += ms) };
}

/** The app of `database` with the console on, its outbox, and the clock it reads. */
export function consoleApp(database: Database, clock = movableClock(), extra: Parameters<typeof testApp>[1] = {}) {
  const outbox = new Outbox(database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
  const app = testApp(database, {
    adminToken: CONSOLE_TOKEN,
    outbox,
    authThrottle: new AuthThrottle({ maxFailures: 3, windowMs: 60_000, now: clock.now }),
    console: { now: clock.now, sessionMs: 60 * 60 * 1000 },
    ...extra,
  });
  return { app, outbox, clock };
}

/** The value of the first `csrf` field of a page. */
export function csrfOf(html: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  expect(token, 'a csrf field').toBeDefined();
  return token!;
}

/** A browser-like agent signed in to the console of `app`; returns it with the session's CSRF token. */
export async function signedIn(app: Parameters<typeof request.agent>[0]): Promise<{ agent: ReturnType<typeof request.agent>; csrf: string }> {
  const agent = request.agent(app);
  const form = await agent.get('/console/sign-in').expect(200);
  await agent.post('/console/sign-in').type('form').send({ csrf: csrfOf(form.text), token: CONSOLE_TOKEN }).expect(303).expect('Location', '/console/outbox');
  const page = await agent.get('/console/outbox').expect(200);
  return { agent, csrf: csrfOf(page.text) };
}
