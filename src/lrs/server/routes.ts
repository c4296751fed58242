/**
 * The HTTP face of the embedded LRS, mounted at `/xapi`: the Statement Resource
 * (Communication §2.1) behind HTTP Basic authentication (§4.0), with the version
 * header on every response and required on every request (§3.3): xAPI 1.0.3 and 2.0.0
 * side by side, chosen per request (xapi-version.ts). Errors are thrown as
 * CodedError and formatted by the app's `problemHandler`; this router installs none.
 */
import express, { type Router } from 'express';
import type { Database } from '../../db/connection.js';
import { aboutRoutes } from './about-routes.js';
import { activityRoutes } from './activity-routes.js';
import { agentRoutes } from './agent-routes.js';
import { alternateSyntax } from './alternate-syntax.js';
import { basicAuth } from './basic-auth.js';
import { cors } from './cors.js';
import type { CredentialStore } from './credential-store.js';
import { documentRoutes } from './document-routes.js';
import { EmbeddedStatementQuery } from './statement-reader.js';
import { statementRoutes } from './statement-routes.js';
import { holdsMoreItems, overCap } from './statement-count.js';
import { StatementStore } from './statement-store.js';
import { negotiateVersion, requireVersion } from './xapi-version.js';

/** What the LRS router needs. */
export interface LrsRouterDeps {
  database: Database;
  /** Accepted credentials: user name → password (`LRS_USERS`). */
  users: Map<string, string>;
  /** Credentials kept in the database, checked after `users`. */
  credentials?: CredentialStore;
  /** Largest request body; larger ones get 413 (Communication §3.2.s3.b11). */
  bodyLimitBytes: number;
  /** Path the router is mounted at, as clients see it, for `more` IRLs. Default `/xapi`. */
  basePath?: string;
  /**
   * The store to write through; pass the one whose `consistentThrough` in-process readers
   * use, so that they too wait for batches in flight. Default: a store of its own.
   */
  store?: StatementStore;
  /** Most statements in one POST (LRS_MAX_STATEMENTS); more get 413 before any is validated. Unset: no cap. */
  maxStatements?: number;
  /** Origins whose pages may use the browser's credentials (LRS_CORS_CREDENTIALS_ORIGINS). Unset: none. */
  corsCredentialsOrigins?: ReadonlySet<string>;
}

/**
 * The router of the embedded LRS.
 * @example app.use('/xapi', createLrsRouter({ database, users: config.lrsUsers, bodyLimitBytes: config.bodyLimitBytes }));
 */
export function createLrsRouter(deps: LrsRouterDeps): Router {
  const store = deps.store ?? new StatementStore(deps.database);
  const reader = new EmbeddedStatementQuery(deps.database, { consistentThrough: () => store.consistentThrough() });
  const moreBase = `${(deps.basePath ?? '/xapi').replace(/\/+$/, '')}/statements?more=`;
  const { maxStatements } = deps;
  const parseJson = express.json({
    limit: deps.bodyLimitBytes,
    type: () => true,
    // Counted on the raw bytes, so that a body of too many statements costs no parsing.
    ...(maxStatements !== undefined && {
      verify: (_req: unknown, _res: unknown, body: Buffer) => {
        if (holdsMoreItems(body, maxStatements)) throw overCap(maxStatements);
      },
    }),
  });
  const router = express.Router();

  router.use(negotiateVersion);
  router.use(cors(deps.corsCredentialsOrigins ?? new Set()));
  router.use(alternateSyntax(deps.bodyLimitBytes));
  router.use(negotiateVersion); // again: the form of an alternate-syntax request may name it
  router.use(aboutRoutes());
  router.use(basicAuth(deps.users, deps.credentials));
  router.use(requireVersion);
  // Resources (Communication §2): one router each.
  router.use(statementRoutes({
    store, reader, moreBase, parseJson, database: deps.database, bodyLimitBytes: deps.bodyLimitBytes,
    ...(maxStatements !== undefined && { maxStatements }),
  }));
  router.use(activityRoutes({ database: deps.database }));
  router.use(documentRoutes({ database: deps.database, bodyLimitBytes: deps.bodyLimitBytes }));
  router.use(agentRoutes());

  return router;
}

