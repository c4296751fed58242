/**
 * Cross-origin requests for browser clients (Communication Appendix C). xAPI content in
 * a page of any origin may call the LRS with an explicit `Authorization` header: it gets
 * `Access-Control-Allow-Origin: *`, which browsers never combine with their cached Basic
 * credentials or cookies. Only the origins an operator lists get their origin echoed with
 * `Access-Control-Allow-Credentials: true`, which lets a page ride on credentials the
 * browser holds: granted to any origin, any web page could read the statements of a
 * visitor who once signed in to the LRS. Preflights are answered without credentials.
 */
import type { RequestHandler } from 'express';

const ALLOW_HEADERS = [
  'Authorization', 'Content-Type', 'X-Experience-API-Version', 'If-Match', 'If-None-Match', 'X-Experience-API-Hash', 'Accept-Language',
].join(', ');
const EXPOSE_HEADERS = [
  'ETag', 'Last-Modified', 'Content-Type', 'X-Experience-API-Version', 'X-Experience-API-Consistent-Through', 'Location',
].join(', ');

/**
 * The CORS middleware of `/xapi`; `credentialsOrigins` (LRS_CORS_CREDENTIALS_ORIGINS) may
 * use the browser's credentials, every other origin only an explicit Authorization header.
 * @example router.use(cors(new Set(['https://lms.example.org'])));
 */
export function cors(credentialsOrigins: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('Origin');
    if (origin === undefined) return next();
    const trusted = credentialsOrigins.has(origin);
    res.set({
      'Access-Control-Allow-Origin': trusted ? origin : '*',
      ...(trusted && { 'Access-Control-Allow-Credentials': 'true' }),
      'Access-Control-Expose-Headers': EXPOSE_HEADERS,
      // The answer depends on the origin as soon as one origin is listed.
      Vary: 'Origin',
    });
    if (req.method === 'OPTIONS' && req.get('Access-Control-Request-Method') !== undefined) {
      res.set({
        'Access-Control-Allow-Methods': 'GET, HEAD, PUT, POST, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': req.get('Access-Control-Request-Headers') ?? ALLOW_HEADERS,
        'Access-Control-Max-Age': '86400',
      });
      res.status(204).end();
      return;
    }
    next();
  };
}
