/** Bearer-token checks of the gateway's own APIs (admin, reports), in constant time. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { HttpFault } from './errors.js';

/**
 * Throws 401 with a challenge unless the request carries one of `tokens` as a bearer
 * token (or in `alsoHeader`, e.g. `x-api-key`); `off` says why when there are none.
 */
export function requireBearer(req: Request, tokens: readonly string[], realm: string, off: string, alsoHeader?: string): void {
  if (!bearerMatches(req, tokens, alsoHeader)) throw new HttpFault('unauthorized', tokens.length === 0 ? off : 'a valid bearer token is required', { 'WWW-Authenticate': `Bearer realm="${realm}"` });
  // For the access log: who called, by the realm of the token (never the token).
  if (req.res) req.res.locals.bearerRealm = realm;
}

/** Whether the request carries one of `tokens` as a bearer token (or in `alsoHeader`); every token is compared, in constant time. */
export function bearerMatches(req: Request, tokens: readonly string[], alsoHeader?: string): boolean {
  return matchesAny(presentedToken(req, alsoHeader), tokens);
}

/** The bearer token of the request, else the value of `alsoHeader`, else ''. */
export function presentedToken(req: Request, alsoHeader?: string): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  return bearer ?? (alsoHeader === undefined ? undefined : req.get(alsoHeader)) ?? '';
}

/** Whether `given` is one of `tokens`; every token is compared, in constant time, so the time tells nothing of which. */
export function matchesAny(given: string, tokens: readonly string[]): boolean {
  let ok = false;
  for (const token of tokens) if (sameSecret(given, token)) ok = true;
  return ok;
}

// Per process, so that the digests compared are of nothing an attacker can precompute.
const COMPARE_KEY = randomBytes(32);
const compareDigest = (secret: string | Buffer): Buffer => createHmac('sha256', COMPARE_KEY).update(secret).digest();

/**
 * Whether two secrets are equal, in time that depends neither on where they differ nor
 * on their lengths: both are reduced to HMAC-SHA256 digests of one length, compared in
 * constant time. The one comparison of secrets, tokens and signatures in the gateway.
 */
export function sameSecret(given: string | Buffer, expected: string | Buffer): boolean {
  return timingSafeEqual(compareDigest(given), compareDigest(expected));
}
