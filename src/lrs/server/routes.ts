/**
 * The HTTP face of the embedded LRS, mounted at `/xapi`: the Statement Resource
 * (Communication §2.1) behind HTTP Basic authentication (§4.0), with the version
 * header on every response and required on every request (§3.3). Errors are thrown as
 * HttpError and formatted by the app's `problemHandler`; this router installs none.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Database } from '../../db/connection.js';
import { HttpError } from '../../http/errors.js';
import { authorityOf, basicAuth } from './basic-auth.js';
import { parseStatementParams } from './statement-params.js';
import { EmbeddedStatementQuery } from './statement-reader.js';
import { StatementStore } from './statement-store.js';

/** What the LRS router needs. */
export interface LrsRouterDeps {
  database: Database;
  /** Accepted credentials: user name → password (`LRS_USERS`). */
  users: Map<string, string>;
  /** Largest request body; larger ones get 413 (Communication §3.2.s3.b11). */
  bodyLimitBytes: number;
  /** Path the router is mounted at, as clients see it, for `more` IRLs. Default `/xapi`. */
  basePath?: string;
  /**
   * The store to write through; pass the one whose `consistentThrough` in-process readers
   * use, so that they too wait for batches in flight. Default: a store of its own.
   */
  store?: StatementStore;
}

/** The xAPI version this LRS speaks, sent on every response (Communication §3.3.s3.b1, b2). */
export const XAPI_VERSION = '1.0.3';

// §3.3.s3.b3, b5: "1.0" and any "1.0.x" are accepted; anything else is refused.
const SUPPORTED_VERSION = /^1\.0(?:\.\d+)?$/;

/**
 * The router of the embedded LRS.
 * @example app.use('/xapi', createLrsRouter({ database, users: config.lrsUsers, bodyLimitBytes: config.bodyLimitBytes }));
 */
export function createLrsRouter(deps: LrsRouterDeps): Router {
  const store = deps.store ?? new StatementStore(deps.database);
  const reader = new EmbeddedStatementQuery(deps.database, { consistentThrough: () => store.consistentThrough() });
  const moreBase = `${(deps.basePath ?? '/xapi').replace(/\/+$/, '')}/statements?more=`;
  const parseJson = express.json({ limit: deps.bodyLimitBytes, type: () => true });
  const router = express.Router();

  router.use((_req, res, next) => {
    res.set('X-Experience-API-Version', XAPI_VERSION);
    next();
  });
  router.use(basicAuth(deps.users));
  router.use(requireVersion);
  router.use('/statements', (_req, res, next) => {
    // §2.1.3.s2.b5: on every response of the Statement Resource.
    res.set('X-Experience-API-Consistent-Through', store.consistentThrough().toISOString());
    next();
  });

  router.get('/statements', async (req, res) => {
    const request = parseStatementParams(req.query as Record<string, unknown>);
    if (request.kind === 'single') {
      const found = await reader.getJson(request.id, { voided: request.voided });
      if (found === null) {
        throw new HttpError(404, request.voided ? 'no voided statement has this id' : 'no statement has this id, or it is voided');
      }
      // §2.1.3.s2.b8: Last-Modified matches "stored".
      res.set('Last-Modified', found.stored.toUTCString());
      sendJson(res, found.json);
      return;
    }
    const page = await reader.pageJson(request.kind === 'more' ? request.token : request.filter);
    // Data §2.5: "more" is a relative IRL, the empty string when there is nothing more.
    const more = page.more === undefined ? '' : moreBase + page.more;
    sendJson(res, `{"statements":[${page.statements.join(',')}],"more":${JSON.stringify(more)}}`);
  });

  router.put('/statements', requireJsonBody, parseJson, async (req, res) => {
    const statementId = onlyParam(req, 'statementId');
    if (statementId === undefined) throw new HttpError(400, 'statementId is required');
    parseStatementParams({ statementId }); // checks that it is a UUID
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      throw new HttpError(400, 'the body must be one statement');
    }
    await store.store([req.body], { authority: authorityOf(lrsUser(res)), putId: statementId });
    res.status(204).end();
  });

  router.post('/statements', requireJsonBody, parseJson, async (req, res) => {
    onlyParam(req, undefined);
    const body: unknown = req.body;
    const statements = Array.isArray(body) ? body : [body];
    const { ids } = await store.store(statements, { authority: authorityOf(lrsUser(res)) });
    res.status(200).json(ids);
  });

  router.all('/statements', () => {
    throw new HttpError(405, 'the Statement Resource takes GET, HEAD, PUT and POST', { Allow: 'GET, HEAD, PUT, POST' });
  });

  return router;
}

/** §3.3.s3.b4.1, b6, b7: a request without a 1.0.x version header is refused with 400. */
const requireVersion: RequestHandler = (req, _res, next) => {
  const version = req.get('X-Experience-API-Version');
  if (version === undefined) throw new HttpError(400, 'the X-Experience-API-Version header is required (1.0.x)');
  if (!SUPPORTED_VERSION.test(version.trim())) {
    throw new HttpError(400, 'X-Experience-API-Version: this LRS accepts 1.0.x only');
  }
  next();
};

/**
 * Statements come as `application/json` here. §3.2.s3.b6 asks for 400 (not 415) when
 * the content type does not fit the request; `multipart/mixed` (§1.5.2) and the
 * form-encoded alternate syntax (§1.3) are not supported yet.
 */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const type = req.is('application/json');
  if (type === null) throw new HttpError(400, 'a JSON body is required');
  if (type === false) throw new HttpError(400, 'Content-Type must be application/json (multipart/mixed is not supported yet)');
  next();
};

/** The single allowed parameter (or none): any other is refused (§3.2.s3.b7). */
function onlyParam(req: Request, allowed: string | undefined): string | undefined {
  let value: string | undefined;
  for (const [name, v] of Object.entries(req.query as Record<string, unknown>)) {
    if (name !== allowed) throw new HttpError(400, `unknown parameter "${name}" (names are case-sensitive)`);
    if (typeof v !== 'string') throw new HttpError(400, `${name}: must be given once, as a string`);
    value = v;
  }
  return value;
}

function lrsUser(res: Response): string {
  return res.locals.lrsUser as string;
}

function sendJson(res: Response, json: string): void {
  res.type('application/json').send(json);
}
