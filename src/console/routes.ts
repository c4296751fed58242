/**
 * The operator console at `/console`: server-rendered pages, one per view, behind the
 * admin token (a sign-in form, a signed session cookie, a CSRF token on every form).
 * Nothing of it needs a script: every action is a form.
 */
import express, { Router } from 'express';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import type { AuthThrottle } from '../http/auth-throttle.js';
import type { DeliveryStats } from '../lrs/delivery-stats.js';
import type { Outbox } from '../lrs/outbox.js';
import type { CredentialStore } from '../lrs/server/credential-store.js';
import type { StatementQuery } from '../lrs/statement-query.js';
import { cataloguePage } from './catalogue-page.js';
import { credentialsPage } from './credentials-page.js';
import { importsPage } from './imports-page.js';
import { learnersPage } from './learners-page.js';
import { outboxPage } from './outbox-page.js';
import { pullsPage, type PullReaders } from './pulls-page.js';
import { PullRuns, type PullJob } from './pull-runs.js';
import { signInRouter } from './sign-in.js';
import { statementsPage } from './statements-page.js';

/** What the console reads and acts on. */
export interface ConsoleDeps {
  database: Database;
  outbox: Outbox;
  stats: DeliveryStats;
  /** The embedded LRS, in process. */
  statements: StatementQuery;
  credentials: CredentialStore;
  /** The readers of the platforms' pull tables. */
  pulls: PullReaders;
  /** The pulls the console may start now (src/jobs.ts); default none. */
  pullJobs?: readonly PullJob[];
  /** Where those pulls are tracked; default a tracker of `pullJobs` (tests hand one in to await a pull). */
  pullRuns?: PullRuns;
  /** The settings that name learners, for the learners page; unset, it says learner rights are off. */
  learners?: { config: Config };
  /** ADMIN_TOKEN; unset, the console is off. */
  adminToken: string | undefined;
  /** The app's throttle of wrong credentials. */
  throttle: AuthThrottle;
  /** Epoch milliseconds; default the system clock. */
  now?: () => number;
  /** How long a session lasts; default 8 hours. */
  sessionMs?: number;
}

/** A working day: long enough for a shift, short enough that a forgotten browser signs out. */
const SESSION_MS = 8 * 60 * 60 * 1000;

/**
 * The console's router; mount it at `/console`.
 * @example app.use('/console', consoleRouter({ database, outbox, stats, statements, credentials, pulls, adminToken, throttle }));
 */
export function consoleRouter(deps: ConsoleDeps): Router {
  const now = deps.now ?? Date.now;
  const router = Router();
  // Forms only: small bodies of name=value pairs.
  router.use(express.urlencoded({ extended: false, limit: 64 * 1024, parameterLimit: 2000 }));
  router.use(signInRouter({ adminToken: deps.adminToken, throttle: deps.throttle, now, sessionMs: deps.sessionMs ?? SESSION_MS }));
  router.use(outboxPage({ database: deps.database, outbox: deps.outbox, stats: deps.stats, now }));
  router.use(importsPage({ database: deps.database }));
  router.use(pullsPage({ database: deps.database, readers: deps.pulls, runs: deps.pullRuns ?? new PullRuns(deps.database, deps.pullJobs ?? [], now) }));
  router.use(statementsPage({ statements: deps.statements }));
  router.use(credentialsPage({ credentials: deps.credentials }));
  router.use(cataloguePage({ database: deps.database }));
  router.use(learnersPage({ database: deps.database, learners: deps.learners, now }));
  return router;
}
