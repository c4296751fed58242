/**
 * The embedded LRS on a real socket for tests: the router mounted as the app mounts it,
 * with the app's problem handler, plus a realistic statement factory.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, beforeEach } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { problemHandler } from '../../../src/http/errors.js';
import { createLrsRouter, type LrsRouterDeps } from '../../../src/lrs/server/routes.js';
import { StatementStore } from '../../../src/lrs/server/statement-store.js';
import { freshDatabase, type TestDatabase } from '../../support/databases.js';

/** Credentials the test LRS accepts. */
export const USER = 'flusher';
export const PASSWORD = 'correct horse';

/** A running LRS and an agent that sends authenticated xAPI 1.0.3 requests to it. */
export interface TestLrs {
  server: Server;
  get(path: string): request.Test;
  head(path: string): request.Test;
  delete(path: string): request.Test;
  post(path: string, body: unknown): request.Test;
  put(path: string, body: unknown): request.Test;
  close(): Promise<void>;
}

/** Settings of a test LRS beside its database and users, and the clock of its `stored` times (default: the system's). */
export type LrsOptions = Partial<Pick<LrsRouterDeps, 'bodyLimitBytes' | 'maxStatements' | 'corsCredentialsOrigins'>> & { now?: () => number };

/** Starts the LRS router on an ephemeral port. */
export async function startLrs(database: Database, opts: LrsOptions = {}): Promise<TestLrs> {
  const { now, ...settings } = opts;
  const app = express();
  const store = new StatementStore(database, now);
  app.use('/xapi', createLrsRouter({ bodyLimitBytes: 5 * 1024 * 1024, ...settings, database, store, users: new Map([[USER, PASSWORD]]) }));
  app.use(problemHandler(pino({ level: 'silent' })));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = request(base);
  const authed = (t: request.Test) => t.auth(USER, PASSWORD).set('X-Experience-API-Version', '1.0.3');
  return {
    server,
    get: (path) => authed(agent.get(path)),
    head: (path) => authed(agent.head(path)),
    delete: (path) => authed(agent.delete(path)),
    post: (path, body) => authed(agent.post(path)).send(body as object),
    put: (path, body) => authed(agent.put(path)).send(body as object),
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** The Authorization header of USER, for requests sent past the test agent. */
export const BASIC_AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

/** A minimal statement `n`: `actor` experienced activity n, with `extra` fields. */
export function experienced(n: number, actor: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: sid(n), actor, verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' }, object: { id: `https://courses.example.org/activity/${n}` }, ...extra };
}

/** A statement id from a number, so that tests read well: 00000000-0000-4000-8000-000000000007. */
export function sid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** Options of `realistic`. */
export interface StatementShape {
  learner?: string;
  verb?: string;
  activity?: string;
  parent?: string;
  registration?: string;
}

/** A statement like the translators write: account actor, verb, activity with definition, context with parent course and extensions. */
export function realistic(n: number, shape: StatementShape = {}): Record<string, unknown> {
  const course = shape.parent ?? 'https://courses.example.org/courses/course-v1:Org+C1+2024';
  return {
    id: sid(n),
    actor: { objectType: 'Agent', account: { homePage: 'https://courses.example.org', name: shape.learner ?? `learner-${n % 37}` } },
    verb: { id: shape.verb ?? 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
    object: {
      objectType: 'Activity',
      id: shape.activity ?? `${course}/video/${n % 101}`,
      definition: {
        type: 'https://w3id.org/xapi/video/activity-type/video',
        name: { 'en-US': `Video ${n % 101}` },
        description: { 'en-US': 'A lecture video of the course' },
      },
    },
    context: {
      ...(shape.registration ? { registration: shape.registration } : {}),
      platform: 'edX',
      language: 'en-US',
      contextActivities: {
        parent: [{ objectType: 'Activity', id: course, definition: { type: 'http://adlnet.gov/expapi/activities/course' } }],
        category: [{ id: 'https://w3id.org/xapi/video' }],
      },
      extensions: {
        'https://w3id.org/xapi/video/extensions/session-id': `session-${n % 13}`,
        'https://w3id.org/xapi/video/extensions/length': 312.5,
      },
    },
    result: { extensions: { 'https://w3id.org/xapi/video/extensions/time': n % 300 } },
    timestamp: new Date(Date.UTC(2024, 4, 1) + n * 1000).toISOString(),
  };
}

/**
 * A fresh database and LRS for every test of the calling `describe`, torn down after
 * each: the returned handle always speaks to the current test's LRS.
 */
export function useLrs(kind: 'pglite' | 'postgres', opts: LrsOptions = {}): TestLrs & { readonly database: Database } {
  let t: TestDatabase | undefined;
  let current: TestLrs | undefined;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    current = await startLrs(t.database, opts);
  });
  afterEach(async () => {
    await current?.close();
    await t?.drop();
  });
  const lrs = () => current!;
  return {
    get server() {
      return lrs().server;
    },
    get database() {
      return t!.database;
    },
    get: (path) => lrs().get(path),
    head: (path) => lrs().head(path),
    delete: (path) => lrs().delete(path),
    post: (path, body) => lrs().post(path, body),
    put: (path, body) => lrs().put(path, body),
    close: () => lrs().close(),
  };
}
