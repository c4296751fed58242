/**
 * `/oai`: OAI-PMH over GET (query) and POST (`application/x-www-form-urlencoded`),
 * section 3.1.1. Always 200 with `text/xml`: errors are part of the document.
 */
import express, { Router, type Request } from 'express';
import { TeacherStore } from '../catalog/teachers.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { gatewaySecret } from '../db/gateway-secrets.js';
import { parseRequest } from './arguments.js';
import { OaiError } from './errors.js';
import type { ProviderDeps } from './provider.js';
import { RecordSource } from './records.js';
import { TokenCodec } from './token.js';

/** The router of `/oai`; `baseUrl` fixed by configuration, else taken from the request. */
export function oaiRouter(deps: ProviderDeps & { baseUrl?: string }): Router {
  const router = Router();
  router.use(express.text({ type: 'application/x-www-form-urlencoded', limit: 64 * 1024 }));
  const handle = async (req: Request, pairs: [string, string][]) => {
    const baseUrl = deps.baseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
    let request;
    try {
      request = parseRequest(pairs, { strict: deps.strict });
    } catch (err) {
      if (!(err instanceof OaiError)) throw err;
      request = err;
    }
    // The XML builder loads with the first harvest, not at start.
    const { respond } = await import('./provider.js');
    return respond(deps, request, baseUrl);
  };
  router.get('/', async (req, res) => {
    // The raw query: repeated arguments must be seen to be refused.
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
    res.type('text/xml; charset=utf-8').send(await handle(req, [...new URLSearchParams(query)]));
  });
  router.post('/', async (req, res) => {
    const body = typeof req.body === 'string' ? req.body : '';
    res.type('text/xml; charset=utf-8').send(await handle(req, [...new URLSearchParams(body)]));
  });
  return router;
}

/** The identifier of the repository when OAI_REPOSITORY_ID is not set. */
export const DEFAULT_REPOSITORY_ID = 'localhost.localdomain';

/** The provider of a database, set up from the settings; tokens are signed with a key kept in the database. */
export async function oaiProvider(database: Database, config: Config): Promise<ProviderDeps & { baseUrl?: string }> {
  const teachers = new TeacherStore(database);
  return {
    records: new RecordSource(database, teachers),
    sets: () => teachers.sets(),
    tokens: new TokenCodec(await gatewaySecret(database, 'oai-token')),
    repositoryId: config.oaiRepositoryId ?? DEFAULT_REPOSITORY_ID,
    repositoryName: config.oaiRepositoryName,
    adminEmail: config.oaiAdminEmail,
    pageSize: config.oaiPageSize,
    strict: config.oaiStrict,
    ...(config.oaiBaseUrl && { baseUrl: config.oaiBaseUrl }),
  };
}
