/**
 * Who may call the ECO API. ECO's progress client sends no header at all (eco.md): it
 * appends `/users/<id>/courses` to the base URL an operator enters, so the only
 * credential it can carry is a segment of that URL, `/ecoapi/<key>/users/<id>/courses`.
 * Other clients may send the key as a bearer token or in `X-API-Key`. Keys are compared
 * in constant time and taken out of the URL before anything else sees it, so no log line
 * or error text downstream can hold one; an optional allow-list narrows the client
 * addresses further.
 */
import type { BlockList } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { carriesCredentials } from '../http/auth-throttle.js';
import { presentedToken, sameSecret } from '../http/bearer.js';
import { CodedError } from '../errors.js';
import { HttpFault } from '../http/errors.js';

/** The first path segments of the API's own routes; any other first segment is a key (keys are 16 characters or more). */
const ROUTES = new Set(['heartbeat', 'teachers', 'users', 'tasks']);

/** Who may call: the keys, and the client addresses (undefined: any). */
export interface EcoAccess {
  /** API key → the client's name. */
  keys: ReadonlyMap<string, string>;
  allowedClients?: BlockList;
}

/** The key segment of a URL relative to the mount point, as sent (still percent-encoded), or undefined. */
function keySegment(url: string): string | undefined {
  const segment = /^\/([^/?#]+)/.exec(url)?.[1];
  return segment === undefined || ROUTES.has(segment) ? undefined : segment;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Whether a request to `/ecoapi` presents a key, in the path or a header: what the throttle counts. */
export function carriesEcoKey(req: Request): boolean {
  return carriesCredentials(req) || keySegment(req.url) !== undefined;
}

/**
 * Refuses (403) a client outside the allow-list, then (401) a request without a valid key;
 * a key in the path is removed from `req.url`, so the routes see `/users/...` either way.
 * The client's name goes to `res.locals.ecoClient`, for the access log.
 * @example router.use(ecoAccess({ keys: new Map([['eco-portal-key-0123456789', 'eco']]) }))
 */
export function ecoAccess(access: EcoAccess): RequestHandler {
  return (req, res, next) => {
    const segment = keySegment(req.url);
    // First of all: from here on, req.url (and so req.path, logs, 404 texts) holds no key.
    if (segment !== undefined) {
      const rest = req.url.slice(1 + segment.length);
      req.url = rest.startsWith('/') ? rest : `/${rest}`;
    }
    const client = req.ip ?? req.socket.remoteAddress;
    if (access.allowedClients !== undefined && (client === undefined || !access.allowedClients.check(client, client.includes(':') ? 'ipv6' : 'ipv4'))) {
      throw new CodedError('forbidden', 'this client address may not call the ECO API (ECO_API_ALLOWED_IPS)');
    }
    if (access.keys.size === 0) throw new CodedError('unauthorized', 'the ECO API is off: ECO_API_KEYS is not set');
    const given = segment === undefined ? presentedToken(req, 'x-api-key') : decoded(segment);
    // Every key is compared, in constant time, so the time tells nothing of which matched.
    let caller: string | undefined;
    for (const [key, name] of access.keys) if (sameSecret(given, key)) caller = name;
    if (caller === undefined) {
      throw new HttpFault('unauthorized', 'a valid key of ECO_API_KEYS is required: /ecoapi/<key>/..., Authorization: Bearer <key> or X-API-Key', {
        'WWW-Authenticate': 'Bearer realm="ecoapi"',
      });
    }
    res.locals.ecoClient = caller;
    next();
  };
}
