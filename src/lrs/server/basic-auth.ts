/**
 * HTTP Basic authentication of the embedded LRS (Communication §4.0, RFC 7617) against
 * the `LRS_USERS` credentials, and the authority Agent those credentials stand for
 * (Data §2.4.9). Passwords are compared in constant time and never logged.
 */
import type { RequestHandler } from 'express';
import { sameSecret } from '../../http/bearer.js';
import { CodedError } from '../../errors.js';
import { HttpFault } from '../../http/errors.js';
import type { Agent } from '../../xapi/types.js';
import type { CredentialStore } from './credential-store.js';

/**
 * The `homePage` of every authority account. It is fixed rather than taken from the
 * request's Host, which clients choose and proxies rewrite: the same credentials must
 * give the same authority on every instance and behind any proxy, so that
 * `related_agents` finds all their statements.
 */
export const AUTHORITY_HOME_PAGE = 'urn:xapi-gateway';

/** The authority of statements stored with the credentials of `username` (Data §2.4.9.s3.b2). */
export function authorityOf(username: string): Agent {
  return { objectType: 'Agent', account: { homePage: AUTHORITY_HOME_PAGE, name: username } };
}

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="xapi", charset="UTF-8"' };

/** Methods that only read: what a read-only credential may use. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Accepts requests with valid Basic credentials, from `users` (LRS_USERS: read and
 * write) or from the credential store, and puts the user name in `res.locals.lrsUser`;
 * otherwise `unauthorized` (401) with a Basic challenge, or `forbidden` when a read-only credential
 * tries to write. No request is ever anonymous.
 * @example router.use(basicAuth(new Map([['flusher', 'secret']]), credentialStore))
 */
export function basicAuth(users: ReadonlyMap<string, string>, store?: CredentialStore): RequestHandler {
  // An unknown user is compared against a dummy so that the time does not reveal which users exist.
  const known = new Map(users);
  const dummy = '\u0000no such user';
  return async (req, res, next) => {
    const credentials = parseBasic(req.headers.authorization);
    if (credentials === undefined) throw new HttpFault('unauthorized', 'HTTP Basic credentials are required', CHALLENGE);
    const expected = known.get(credentials.user);
    const match = sameSecret(credentials.password, expected ?? dummy);
    const scope = expected !== undefined && match ? 'read_write' : await store?.verify(credentials.user, credentials.password);
    if (!scope) throw new HttpFault('unauthorized', 'the credentials were refused', CHALLENGE);
    if (scope === 'read' && !READ_METHODS.has(req.method)) throw new CodedError('forbidden', 'these credentials may only read');
    res.locals.lrsUser = credentials.user;
    next();
  };
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const m = header === undefined ? null : /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (m === null) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
