/**
 * The console's session: a signed cookie holding when it ends and the CSRF token of its
 * forms, so any instance on the same ADMIN_TOKEN accepts it and nothing is stored. The
 * key is derived from the admin token: changing the token ends every session.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { sameSecret } from '../http/bearer.js';
import { signToken, verifyToken } from '../http/signed-token.js';

/** The session cookie, and the cookie that ties the sign-in form to its browser. */
export const SESSION_COOKIE = 'console_session';
export const SIGN_IN_COOKIE = 'console_sign_in';

/** A live session: its end (epoch ms) and the CSRF token every form of it carries. */
export interface ConsoleSession {
  expiresAt: number;
  csrf: string;
}

/** The key sessions are signed under, derived from the admin token. */
export const sessionKey = (adminToken: string): string => createHmac('sha256', adminToken).update('xapi-gateway console session').digest('base64url');

/** A fresh random token (CSRF, sign-in nonce). */
export const randomToken = (): string => randomBytes(24).toString('base64url');

/** The value of cookie `name` of the request, or undefined. */
export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Sets a cookie of the console: HttpOnly, SameSite=Strict, Path=/console, Secure over https. */
export function setConsoleCookie(req: Request, res: Response, name: string, value: string, maxAgeMs?: number): void {
  res.cookie(name, value, { httpOnly: true, sameSite: 'strict', path: '/console', secure: req.secure, ...(maxAgeMs !== undefined && { maxAge: maxAgeMs }) });
}

/** Removes a cookie of the console. */
export function clearConsoleCookie(req: Request, res: Response, name: string): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'strict', path: '/console', secure: req.secure });
}

/** The cookie value of a new session that ends at `expiresAt`. */
export function newSession(key: string, expiresAt: number): { value: string; session: ConsoleSession } {
  const session = { expiresAt, csrf: randomToken() };
  return { value: signToken(key, { e: session.expiresAt, c: session.csrf }), session };
}

/** The session the request's cookie holds, if it is signed under `key` and has not ended at `now`. */
export function sessionOf(req: Request, key: string, now: number): ConsoleSession | undefined {
  const value = cookieOf(req, SESSION_COOKIE);
  const state = value === undefined ? undefined : verifyToken(key, value);
  if (typeof state !== 'object' || state === null) return undefined;
  const { e, c } = state as { e?: unknown; c?: unknown };
  if (typeof e !== 'number' || typeof c !== 'string' || e <= now) return undefined;
  return { expiresAt: e, csrf: c };
}

/** Whether the form's `csrf` field is the expected token (constant time). */
export function csrfMatches(req: Request, expected: string): boolean {
  const given = (req.body as Record<string, unknown> | undefined)?.csrf;
  return typeof given === 'string' && sameSecret(given, expected);
}
