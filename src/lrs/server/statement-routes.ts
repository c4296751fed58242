/**
 * The Statement Resource (Communication §2.1): PUT, POST and GET of statements, with
 * `X-Experience-API-Consistent-Through` on every response.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { HttpError } from '../../http/errors.js';
import { authorityOf } from './basic-auth.js';
import { parseStatementParams } from './statement-params.js';
import type { EmbeddedStatementQuery } from './statement-reader.js';
import type { StatementStore } from './statement-store.js';

/** What the statement routes need. */
export interface StatementRouteDeps {
  store: StatementStore;
  reader: EmbeddedStatementQuery;
  /** Prefix of `more` IRLs, e.g. `/xapi/statements?more=`. */
  moreBase: string;
  /** The JSON body parser with the configured size limit. */
  parseJson: RequestHandler;
}

/** The routes of `/statements`. */
export function statementRoutes({ store, reader, moreBase, parseJson }: StatementRouteDeps): Router {
  const router = express.Router();
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
