/**
 * The access log: one info line per request when it ends, refused ones included. It names
 * the route as its TEMPLATE (`/ecoapi/users/:userId/courses`), never the path as sent:
 * paths carry learner ids and ECO keys, and queries carry filters on learners. The client
 * is the principal the request authenticated as, never its address (an IP is learner data).
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';

/**
 * Where the authenticators leave who called (`res.locals`), and the kind the log gives
 * that name: `lrs:moodle`, `edx:campus-lms`, `eco:portal`, `token:admin`.
 */
const PRINCIPALS: readonly { local: string; kind: string }[] = [
  { local: 'lrsUser', kind: 'lrs' },
  { local: 'instance', kind: 'edx' },
  { local: 'ecoClient', kind: 'eco' },
  { local: 'bearerRealm', kind: 'token' },
];

/** The route of a request that matched none: its deepest mount (`/admin/*`), or nothing at all. */
const UNMATCHED = '(no route)';

/**
 * Follows what express assigns to `req.baseUrl` and `req.route` as the request goes
 * through routers, because both are gone or reset by the time the response ends after
 * an error left a router. The mounts of `src/app.ts` are literal paths, so `baseUrl`
 * holds no value from the request.
 */
function followRouting(req: Request): () => string {
  let baseUrl = req.baseUrl;
  let route: unknown = req.route;
  let deepestMount = '';
  let template: string | undefined;
  Object.defineProperty(req, 'baseUrl', {
    configurable: true,
    enumerable: true,
    get: () => baseUrl,
    set: (value: string) => {
      baseUrl = value;
      if (value.length > deepestMount.length) deepestMount = value;
    },
  });
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: { path?: unknown } | undefined) => {
      route = value;
      if (value !== undefined) template = `${baseUrl}${typeof value.path === 'string' ? value.path : '(pattern)'}`;
    },
  });
  return () => template ?? (deepestMount ? `${deepestMount}/*` : UNMATCHED);
}

/** Who the request authenticated as, from the first authenticator that said so. */
function principalOf(res: Response): string | undefined {
  for (const { local, kind } of PRINCIPALS) {
    const name: unknown = res.locals[local];
    if (typeof name === 'string') return `${kind}:${name}`;
  }
  return undefined;
}

/**
 * Logs each request once it ends (or its client went away) at info level, with its
 * duration from `now` (milliseconds, monotonic).
 * @example app.use(accessLog(logger))
 */
export function accessLog(logger: Logger, now: () => number = () => performance.now()): RequestHandler {
  return (req, res, next) => {
    const started = now();
    const route = followRouting(req);
    const done = () => {
      const client = principalOf(res);
      const fields = {
        method: req.method,
        route: route(),
        status: res.statusCode,
        ms: Math.round((now() - started) * 10) / 10,
        ...(client !== undefined && { client }),
        ...(!res.writableFinished && { aborted: true }),
      };
      logger.info({ request: fields }, `${fields.method} ${fields.route} ${fields.status}`);
    };
    res.once('close', done);
    next();
  };
}
