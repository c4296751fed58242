/**
 * Signing in to the console with the admin token, signing out, and the guard of every
 * other console route: no live session, a redirect to the sign-in form; a POST without
 * the session's CSRF token, 403. Wrong tokens count against the client address in the
 * app's one AuthThrottle, as wrong credentials of /admin do.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { matchesAny } from '../http/bearer.js';
import type { AuthThrottle } from '../http/auth-throttle.js';
import { csrfField, esc, sendPage } from './layout.js';
import {
  SESSION_COOKIE, SIGN_IN_COOKIE, clearConsoleCookie, cookieOf, csrfMatches, newSession, randomToken, sessionKey, sessionOf, setConsoleCookie,
  type ConsoleSession,
} from './session.js';

/** What signing in needs. */
export interface SignInDeps {
  /** ADMIN_TOKEN; unset, the console is off. */
  adminToken: string | undefined;
  throttle: AuthThrottle;
  /** Epoch milliseconds: sessions end on this clock. */
  now: () => number;
  /** How long a session lasts. */
  sessionMs: number;
}

/** The first page after signing in. */
export const HOME = '/console/outbox';

const OFF = 'The console is off: set ADMIN_TOKEN to turn it on.';

function sendSignIn(req: Request, res: Response, status: number, error?: string): void {
  const nonce = randomToken();
  setConsoleCookie(req, res, SIGN_IN_COOKIE, nonce);
  const form = `<form class="stacked" method="post" action="/console/sign-in">${csrfField(nonce)}
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`;
  sendPage(res, status, { title: 'Sign in', body: `<p>Sign in with the gateway's admin token (ADMIN_TOKEN).</p>\n${form}`, ...(error !== undefined && { error }) });
}

/** The session of a request the guard let through. */
export function sessionIn(res: Response): ConsoleSession {
  return res.locals.consoleSession as ConsoleSession;
}

/** The 403 of a form without the right CSRF token. */
function sendForbidden(res: Response): void {
  sendPage(res, 403, { title: 'Form refused', body: `<p>This form has expired or did not come from this console. <a href="${esc(HOME)}">Open the console again</a> and retry.</p>` });
}

/**
 * The sign-in and sign-out routes, then a guard for every route after it.
 * @example router.use(signInRouter(deps)); router.get('/outbox', ...); // guarded
 */
export function signInRouter(deps: SignInDeps): Router {
  const router = Router();
  const key = deps.adminToken === undefined ? undefined : sessionKey(deps.adminToken);
  router.get('/sign-in', (req, res) => {
    if (key === undefined) return sendPage(res, 401, { title: 'Sign in', body: '', error: OFF });
    if (sessionOf(req, key, deps.now()) !== undefined) return res.redirect(303, HOME);
    sendSignIn(req, res, 200);
  });
  router.post('/sign-in', (req, res) => {
    if (key === undefined) return sendPage(res, 401, { title: 'Sign in', body: '', error: OFF });
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = deps.throttle.waitMs(client);
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      return sendPage(res, 429, { title: 'Sign in', body: '<p><a href="/console/sign-in">Back to sign-in</a></p>', error: 'Too many wrong tokens from this address: try again later.' });
    }
    const nonce = cookieOf(req, SIGN_IN_COOKIE);
    if (nonce === undefined || !csrfMatches(req, nonce)) return sendForbidden(res);
    const token = (req.body as Record<string, unknown>).token;
    if (typeof token !== 'string' || !matchesAny(token, [deps.adminToken!])) {
      deps.throttle.failed(client);
      return sendSignIn(req, res, 401, 'That is not the admin token.');
    }
    clearConsoleCookie(req, res, SIGN_IN_COOKIE);
    setConsoleCookie(req, res, SESSION_COOKIE, newSession(key, deps.now() + deps.sessionMs).value, deps.sessionMs);
    res.redirect(303, HOME);
  });
  router.post('/sign-out', (req, res) => {
    const session = key === undefined ? undefined : sessionOf(req, key, deps.now());
    if (session !== undefined && !csrfMatches(req, session.csrf)) return sendForbidden(res);
    clearConsoleCookie(req, res, SESSION_COOKIE);
    res.redirect(303, '/console/sign-in');
  });
  router.use(guard(key, deps.now));
  return router;
}

/** Lets through requests of a live session (and POSTs with its CSRF token); sends the rest to sign in. */
function guard(key: string | undefined, now: () => number): RequestHandler {
  return (req, res, next) => {
    const session = key === undefined ? undefined : sessionOf(req, key, now());
    if (session === undefined) return res.redirect(303, '/console/sign-in');
    if (req.method === 'POST' && !csrfMatches(req, session.csrf)) return sendForbidden(res);
    res.locals.consoleSession = session;
    next();
  };
}
