/**
 * The About Resource (Communication §2.8): which xAPI versions this LRS speaks. It is
 * served without credentials (§2.8.s5.b3) and whatever the version header says
 * (§2.8.s5.b4), so it is mounted before authentication and the version check.
 */
import express, { type Router } from 'express';
import { CodedError } from '../../errors.js';
import { HttpFault } from '../../http/errors.js';
import { SERVED_VERSIONS } from './xapi-version.js';

/** The About document: the latest patch of each version served (§2.8.s5.b1, 9274.1.1 4.1.6.7). */
export const ABOUT = {
  version: SERVED_VERSIONS,
  extensions: { 'https://w3id.org/xapi-gateway/extensions/lrs': { name: 'xapi-gateway embedded LRS' } },
} as const;

/** The route of `/about`. */
export function aboutRoutes(): Router {
  const router = express.Router();
  router.get('/about', (req, res) => {
    if (Object.keys(req.query).length > 0) throw new CodedError('invalid', 'the About resource takes no parameter');
    res.json(ABOUT);
  });
  router.all('/about', () => {
    throw new HttpFault('method-not-allowed', 'the About resource takes GET and HEAD', { Allow: 'GET, HEAD' });
  });
  return router;
}
