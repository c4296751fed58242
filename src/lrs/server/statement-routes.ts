/**
 * The Statement Resource (Communication §2.1): PUT, POST and GET of statements, with
 * `X-Experience-API-Consistent-Through` on every response. Statements are sent as
 * `application/json`, or as `multipart/mixed` with their attachments' data (§1.5.2).
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Database } from '../../db/connection.js';
import { CodedError } from '../../errors.js';
import { HttpFault } from '../../http/errors.js';
import { readMultipartStatements, type AttachmentPayload } from './attachment-request.js';
import { authorityOf } from './basic-auth.js';
import { overCap } from './statement-count.js';
import { parseStatementParams } from './statement-params.js';
import type { EmbeddedStatementQuery } from './statement-reader.js';
import { statementsBody, type StatementsBody } from './statement-response.js';
import type { StatementStore } from './statement-store.js';
import { rulesOf, timestampParams } from './xapi-version.js';

/** What the statement routes need. */
export interface StatementRouteDeps {
  store: StatementStore;
  reader: EmbeddedStatementQuery;
  /** Prefix of `more` IRLs, e.g. `/xapi/statements?more=`. */
  moreBase: string;
  /** The JSON body parser with the configured size limit. */
  parseJson: RequestHandler;
  /** The database, for canonical definitions and attachment data in responses. */
  database: Database;
  /** Largest `multipart/mixed` body; larger ones get 413 (Communication §3.2.s3.b11). */
  bodyLimitBytes: number;
  /** Most statements in one POST; unset, no cap. */
  maxStatements?: number;
}

/** The routes of `/statements`. */
export function statementRoutes({ store, reader, moreBase, parseJson, database, bodyLimitBytes, maxStatements }: StatementRouteDeps): Router {
  const readStatements = statementsReader(parseJson, express.raw({ limit: bodyLimitBytes, type: () => true }));
  const router = express.Router();
  router.use('/statements', (_req, res, next) => {
    // §2.1.3.s2.b5: on every response of the Statement Resource.
    res.set('X-Experience-API-Consistent-Through', store.consistentThrough().toISOString());
    next();
  });

  router.get('/statements', async (req, res) => {
    const request = parseStatementParams(timestampParams(req.query as Record<string, unknown>, rulesOf(res)));
    const language = req.get('Accept-Language');
    if (request.kind === 'single') {
      const found = await reader.getJson(request.id, { voided: request.voided });
      if (found === null) {
        throw new CodedError('not-found', request.voided ? 'no voided statement has this id' : 'no statement has this id, or it is voided');
      }
      // §2.1.3.s2.b8: Last-Modified matches "stored".
      res.set('Last-Modified', found.stored.toUTCString());
      send(res, request.shape.format, await statementsBody(database, [found.json], request.shape, language, ([json]) => json!));
      return;
    }
    const page = request.kind === 'more' ? await reader.pageJson(request.token) : await reader.pageJson(request.filter, request.shape);
    // Data §2.5: "more" is a relative IRL, the empty string when there is nothing more.
    const more = page.more === undefined ? '' : moreBase + page.more;
    // xapi-2.0.md 3.2 (s38): the latest stored of the statements returned, whatever the order.
    if (page.lastStored !== undefined) res.set('Last-Modified', new Date(page.lastStored).toUTCString());
    const wrap = (jsons: readonly string[]) => `{"statements":[${jsons.join(',')}],"more":${JSON.stringify(more)}}`;
    send(res, page.shape.format, await statementsBody(database, page.statements, page.shape, language, wrap));
  });

  router.put('/statements', readStatements, async (req, res) => {
    const statementId = onlyParam(req, 'statementId');
    if (statementId === undefined) throw new CodedError('invalid', 'statementId is required');
    parseStatementParams({ statementId }); // checks that it is a UUID
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      throw new CodedError('invalid', 'the body must be one statement');
    }
    await store.store([req.body], { authority: authorityOf(lrsUser(res)), putId: statementId, xapiVersion: rulesOf(res).served, ...payloadsOf(res) });
    res.status(204).end();
  });

  router.post('/statements', readStatements, async (req, res) => {
    onlyParam(req, undefined);
    const body: unknown = req.body;
    const statements = Array.isArray(body) ? body : [body];
    // Before anything is validated: a batch costs in proportion to its statements, not only its bytes
    // (10 MB holds 500,000 small invalid ones). 413 tells a client to split (Communication §3.2.s3.b11).
    // JSON bodies were counted before parsing already (statement-count.ts); this counts multipart ones.
    if (maxStatements !== undefined && statements.length > maxStatements) throw overCap(maxStatements);
    const { ids } = await store.store(statements, { authority: authorityOf(lrsUser(res)), xapiVersion: rulesOf(res).served, ...payloadsOf(res) });
    res.status(200).json(ids);
  });

  router.all('/statements', () => {
    throw new HttpFault('method-not-allowed', 'the Statement Resource takes GET, HEAD, PUT and POST', { Allow: 'GET, HEAD, PUT, POST' });
  });

  return router;
}

/**
 * Reads the statements of a PUT or POST into `req.body`: `application/json` as is, or
 * the first part of `multipart/mixed` (§1.5.2), whose attachment data goes to
 * `res.locals.payloads`. §3.2.s3.b6 asks for 400 (not 415) when the content type does
 * not fit the request.
 */
function statementsReader(parseJson: RequestHandler, parseRaw: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const type = req.is(['application/json', 'multipart/mixed']);
    if (type === null) throw new CodedError('invalid', 'a JSON or multipart/mixed body is required');
    if (type === false) throw new CodedError('invalid', 'Content-Type must be application/json or multipart/mixed');
    if (type === 'application/json') {
      parseJson(req, res, next);
      return;
    }
    parseRaw(req, res, (err?: unknown) => {
      if (err !== undefined) return next(err);
      try {
        const { statements, payloads } = readMultipartStatements(req.body as Buffer, req.get('Content-Type')!);
        req.body = statements;
        res.locals.payloads = payloads;
        next();
      } catch (error) {
        next(error);
      }
    });
  };
}

function payloadsOf(res: Response): { payloads?: ReadonlyMap<string, AttachmentPayload> } {
  const payloads = res.locals.payloads as ReadonlyMap<string, AttachmentPayload> | undefined;
  return payloads === undefined ? {} : { payloads };
}

/** The single allowed parameter (or none): any other is refused (§3.2.s3.b7). */
function onlyParam(req: Request, allowed: string | undefined): string | undefined {
  let value: string | undefined;
  for (const [name, v] of Object.entries(req.query as Record<string, unknown>)) {
    if (name !== allowed) throw new CodedError('invalid', `unknown parameter "${name}" (names are case-sensitive)`);
    if (typeof v !== 'string') throw new CodedError('invalid', `${name}: must be given once, as a string`);
    value = v;
  }
  return value;
}

function lrsUser(res: Response): string {
  return res.locals.lrsUser as string;
}

function send(res: Response, format: string, { contentType, body }: StatementsBody): void {
  // The canonical format depends on Accept-Language (§2.1.3.s4.b5).
  if (format === 'canonical') res.vary('Accept-Language');
  res.set('Content-Type', contentType).send(body);
}
