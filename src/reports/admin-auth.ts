/**
 * The admin token of the report pages a browser opens: as a bearer token, or as the
 * password of HTTP Basic with user `admin`. A browser asks for Basic credentials itself,
 * so a page opens with no proxy in front. Serve it over HTTPS: Basic travels in every request.
 */
import type { Request } from 'express';
import { bearerMatches, sameSecret } from '../http/bearer.js';
import { HttpFault } from '../http/errors.js';

/** The user name of Basic credentials; the password is the admin token. */
export const BASIC_USER = 'admin';

/** What a page asks a browser for; what a JSON route asks a client for. */
export const BASIC_CHALLENGE = 'Basic realm="xapi-gateway reports", charset="UTF-8"';
export const BEARER_CHALLENGE = 'Bearer realm="admin"';

/** Whether the request carries `admin:<token>` as HTTP Basic credentials. */
function basicMatches(req: Request, token: string): boolean {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.get('authorization') ?? '')?.[1];
  if (encoded === undefined) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared, always: the time taken says nothing about which one was wrong.
  const user = sameSecret(decoded.slice(0, colon), BASIC_USER);
  const password = sameSecret(decoded.slice(colon + 1), token);
  return user && password;
}

/**
 * Throws 401 unless the admin token came as bearer or Basic; `challenge` is what to ask a client for.
 * @example requireAdmin(req, deps.adminToken, BASIC_CHALLENGE);
 */
export function requireAdmin(req: Request, token: string | undefined, challenge: string): void {
  if (token !== undefined && (bearerMatches(req, [token]) || basicMatches(req, token))) return;
  throw new HttpFault('unauthorized', token === undefined ? 'the reports API is off: ADMIN_TOKEN is not set' : 'the admin token is required', { 'WWW-Authenticate': challenge });
}
