/**
 * Cross-origin requests for browser clients (Communication Appendix C): the caller's
 * origin is echoed (credentials rule out `*`), the headers xAPI needs are allowed and
 * exposed, and preflight requests are answered without credentials.
 */
import type { RequestHandler } from 'express';

const ALLOW_HEADERS = [
  'Authorization', 'Content-Type', 'X-Experience-API-Version', 'If-Match', 'If-None-Match', 'X-Experience-API-Hash', 'Accept-Language',
].join(', ');
const EXPOSE_HEADERS = [
  'ETag', 'Last-Modified', 'Content-Type', 'X-Experience-API-Version', 'X-Experience-API-Consistent-Through', 'Location',
].join(', ');

/** The CORS middleware of `/xapi`. */
export const cors: RequestHandler = (req, res, next) => {
  const origin = req.get('Origin');
  if (origin === undefined) return next();
  res.set({
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': EXPOSE_HEADERS,
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
