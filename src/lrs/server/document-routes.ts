/**
 * The State, Activity Profile and Agent Profile resources (Communication §2.2, §2.3,
 * §2.6, §2.7): documents of any content type, kept byte for byte with their type, with
 * ETag, Last-Modified and the concurrency rules of §3.1.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Database } from '../../db/connection.js';
import { CodedError } from '../../errors.js';
import { HttpFault } from '../../http/errors.js';
import { DOCUMENT_RESOURCES, parseDocumentParams, type DocumentResource } from './document-params.js';
import { DocumentStore, etagOf, jsonObject, type Precondition } from './document-store.js';
import { rulesOf, timestampParams } from './xapi-version.js';

/** What the document routes need. */
export interface DocumentRouteDeps {
  database: Database;
  bodyLimitBytes: number;
}

/** The routes of `/activities/state`, `/activities/profile` and `/agents/profile`. */
export function documentRoutes({ database, bodyLimitBytes }: DocumentRouteDeps): Router {
  const store = new DocumentStore(database);
  const router = express.Router();
  const rawBody = express.raw({ type: () => true, limit: bodyLimitBytes });

  for (const [path, resource] of Object.entries(DOCUMENT_RESOURCES)) {
    router.get(path, async (req, res) => {
      const request = parseDocumentParams(resource, req.method, timestampParams(req.query as Record<string, unknown>, rulesOf(res)));
      if (request.single) {
        const doc = await store.get(request.key);
        if (!doc) throw new CodedError('not-found', `no document with this ${resource.idParam}`);
        res.set({ ETag: doc.etag, 'Last-Modified': doc.updated.toUTCString() }).type(doc.contentType).send(doc.content);
        return;
      }
      const { ids, updated } = await store.list(request.scope, request.since);
      const body = JSON.stringify(ids);
      res.set('ETag', etagOf(body));
      if (updated) res.set('Last-Modified', updated.toUTCString());
      res.type('application/json').send(body);
    });

    router.put(path, rawBody, (req, res) => write(store, resource, req, res, false));
    router.post(path, rawBody, (req, res) => write(store, resource, req, res, true));

    router.delete(path, async (req, res) => {
      const request = parseDocumentParams(resource, 'DELETE', req.query as Record<string, unknown>);
      if (request.single) await store.delete(request.key, precondition(req));
      else await store.deleteAll(request.scope);
      res.status(204).end();
    });

    router.all(path, () => {
      throw new HttpFault('method-not-allowed', `${path} takes GET, HEAD, PUT, POST and DELETE`, { Allow: 'GET, HEAD, PUT, POST, DELETE' });
    });
  }
  return router;
}

async function write(store: DocumentStore, resource: DocumentResource, req: Request, res: Response, merge: boolean): Promise<void> {
  const request = parseDocumentParams(resource, req.method, req.query as Record<string, unknown>);
  if (!request.single) throw new CodedError('invalid', `${resource.idParam} is required`);
  const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const contentType = req.get('Content-Type') ?? 'application/octet-stream';
  // §2.2.s8.b1: a POST merges JSON objects only, whether or not a document exists yet.
  if (merge) jsonObject(content, contentType, 'the posted document');
  await store.write(request.key, { content, contentType }, {
    precondition: precondition(req),
    merge,
    // POST merges without a precondition in both versions (xapi-2.0.md 3.3).
    withoutPrecondition: merge ? 'allow' : rulesOf(res).unconditionalPut[resource.kind === 'state' ? 'state' : 'profile'],
  });
  res.status(204).end();
}

function precondition(req: Request): Precondition {
  const ifMatch = req.get('If-Match');
  const ifNoneMatch = req.get('If-None-Match');
  return { ...(ifMatch !== undefined && { ifMatch }), ...(ifNoneMatch !== undefined && { ifNoneMatch }) };
}
