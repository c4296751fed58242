/**
 * The embedded LRS on a loopback port, as the delivery target of tests: the real app
 * over a real socket, on the test's database.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Database } from '../../src/db/connection.js';
import { createApp, type AppDeps } from '../../src/app.js';
import { LrsClient } from '../../src/lrs/client.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { allStatements } from '../../src/lrs/statement-query.js';

/** Credentials the test LRS accepts. */
export const LRS_USER = { username: 'lrs-test', password: 'lrs-secret-password' };

/** A running embedded LRS. */
export interface RunningLrs {
  origin: string;
  endpoint: string;
  close(): Promise<void>;
}

/** The app of `database` as tests run it, with `extra` parts; supertest may call it without a socket. */
export function testApp(database: Database, extra: Partial<AppDeps> = {}): ReturnType<typeof createApp> {
  return createApp({
    database,
    outbox: new Outbox(database, { baseMs: 10, maxMs: 100, maxAttempts: 5 }),
    stats: new DeliveryStats(),
    logger: pino({ level: 'silent' }),
    lrsUsers: new Map([[LRS_USER.username, LRS_USER.password]]),
    bodyLimitBytes: 20 * 1024 * 1024,
    ...extra,
  });
}

/** Serves the app (and so `/xapi`) of `database` on an ephemeral port, with `extra` parts. */
export async function startEmbeddedLrs(database: Database, extra: Partial<AppDeps> = {}): Promise<RunningLrs> {
  const app = testApp(database, extra);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    endpoint: `${origin}/xapi/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The ids of every statement the LRS at `endpoint` holds, read through its xAPI API. */
export async function storedIds(endpoint: string): Promise<string[]> {
  const client = new LrsClient({ endpoint, ...LRS_USER, timeoutMs: 10_000 });
  const ids: string[] = [];
  for await (const s of allStatements(client, { limit: 500 })) ids.push(s.id!);
  return ids;
}
