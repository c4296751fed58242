/** Bearer-token checks of the gateway's own APIs (admin, reports), in constant time. */
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { HttpError } from './errors.js';

/**
 * Throws 401 with a challenge unless the request carries one of `tokens` as a bearer
 * token (or in `alsoHeader`, e.g. `x-api-key`); `off` says why when there are none.
 */
export function requireBearer(req: Request, tokens: readonly string[], realm: string, off: string, alsoHeader?: string): void {
  if (!bearerMatches(req, tokens, alsoHeader)) throw new HttpError(401, tokens.length === 0 ? off : 'a valid bearer token is required', { 'WWW-Authenticate': `Bearer realm="${realm}"` });
}

/** Whether the request carries one of `tokens` as a bearer token (or in `alsoHeader`); every token is compared, in constant time. */
export function bearerMatches(req: Request, tokens: readonly string[], alsoHeader?: string): boolean {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  const given = bearer ?? (alsoHeader === undefined ? undefined : req.get(alsoHeader)) ?? '';
  let ok = false;
  for (const token of tokens) if (sameSecret(given, token)) ok = true;
  return ok;
}

/** Whether two secrets are equal, in time that does not depend on where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
