import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { DatabaseUnavailableError } from '../../src/db/errors.js';
import { loadConfig } from '../../src/config/index.js';
import { edxTranslateOptions } from '../../src/pipelines/edx.js';
import { LrsClient } from '../../src/lrs/client.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Flusher } from '../../src/lrs/flusher.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { pino } from 'pino';
import { TcpFaultProxy } from '../fakes/tcp-fault-proxy.js';
import { createPostgresDatabase } from '../support/databases.js';
import { LMS, playVideo, SECRET } from '../support/edx-events.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';
import { makeStatement, makeStatements } from '../support/statements.js';

const base = process.env.TEST_DATABASE_URL;
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const INGEST_TOKEN = 'edx-instance-token-0123456789abcdef';
/** Small bounds, so that a frozen database is given up quickly; tests assert statuses, never durations. */
const TIMEOUTS = { connectMs: 500, statementMs: 500, idleMs: 60_000 };

// A database server that refuses or freezes is a PostgreSQL matter: PGlite runs in process.
describe.runIf(base)('PostgreSQL behind a failing network', () => {
  let proxy: TcpFaultProxy;
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let database: Database;
  /** The same database, straight: to count what was stored. */
  let direct: Database;
  let app: RunningLrs;

  beforeEach(async () => {
    created = await createPostgresDatabase(base);
    const upstream = new URL(created.url);
    proxy = await TcpFaultProxy.start({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const viaProxy = new URL(created.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    database = await openDatabase({ url: viaProxy.toString() }, { timeouts: TIMEOUTS });
    direct = await openDatabase({ url: created.url });
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    app = await startEmbeddedLrs(database, {
      adminToken: ADMIN_TOKEN,
      edxIngest: { tokens: new Map([[INGEST_TOKEN, 'lms-test']]), translate: edxTranslateOptions(config, SECRET) },
    });
  });
  afterEach(async () => {
    await app.close();
    await proxy.close();
    await database.close();
    await direct.close();
    await created.drop();
  });

  const basic = `Basic ${Buffer.from(`${LRS_USER.username}:${LRS_USER.password}`).toString('base64')}`;
  /** One request of each write path; `n` varies the content. */
  const writes = (n: number) => ({
    xapi: () =>
      fetch(`${app.endpoint}statements`, {
        method: 'POST',
        headers: { authorization: basic, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
        body: JSON.stringify(makeStatement('fault', n)),
      }),
    ingest: () =>
      fetch(`${app.origin}/ingest/edx`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(playVideo(n, n)),
      }),
    admin: () =>
      fetch(`${app.origin}/admin/teachers/t${n}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Grace Hopper', descriptions: { en: 'Admiral' } }),
      }),
  });
  const health = () => fetch(`${app.origin}/health`);

  async function expectUnavailable(res: Response): Promise<void> {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    await res.text();
  }

  /** Every write path answers 503 with Retry-After, /health and reads too; what is served from memory still answers. */
  async function expectWritesUnavailable(n: number): Promise<void> {
    for (const write of Object.values(writes(n))) await expectUnavailable(await write());
    await expectUnavailable(await health());
    await expectUnavailable(await fetch(`${app.endpoint}statements`, { headers: { authorization: basic, 'x-experience-api-version': '1.0.3' } }));
    expect((await fetch(`${app.origin}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${app.endpoint}about`)).status).toBe(200);
  }

  /** The same writes succeed on the same app, and each was stored once. */
  async function expectRecovered(n: number): Promise<void> {
    const { xapi, ingest, admin } = writes(n);
    expect((await xapi()).status).toBe(200);
    expect((await ingest()).status).toBe(202);
    expect([200, 201]).toContain((await admin()).status);
    expect((await health()).status).toBe(200);
    const { rows } = await direct.query<{ lrs: number; outbox: number; teachers: number }>(
      `SELECT (SELECT count(*)::int FROM lrs_statements) AS lrs, (SELECT count(*)::int FROM statement_outbox) AS outbox,
              (SELECT count(*)::int FROM catalog_teachers) AS teachers`,
    );
    expect(rows[0]).toEqual({ lrs: 1, outbox: 1, teachers: 1 });
  }

  it('refused connections: writes, reads and /health answer 503 with Retry-After, and the same app recovers', async () => {
    expect((await health()).status).toBe(200);
    proxy.setMode('refuse');
    proxy.reset();
    await expectWritesUnavailable(1);
    proxy.setMode('forward');
    await expectRecovered(1);
  });

  it('a frozen database: writes, reads and /health answer 503 within the timeouts, and the same app recovers', async () => {
    // Open pooled connections first: they freeze with the network, queries on them time out.
    expect((await health()).status).toBe(200);
    proxy.setMode('freeze');
    await expectWritesUnavailable(1);
    proxy.setMode('forward');
    await expectRecovered(1);
  });

  it('the flusher fails while the database is away and, without restart, delivers every statement once when it is back', async () => {
    const outbox = new Outbox(database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    await outbox.enqueue(makeStatements(5, 'flush'), 'xapi');
    const flusher = new Flusher({
      outbox,
      client: new LrsClient({ endpoint: app.endpoint, ...LRS_USER, timeoutMs: 5000 }),
      stats: new DeliveryStats(),
      logger: pino({ level: 'silent' }),
      batchSize: 2,
      leaseSeconds: 60,
    });
    proxy.setMode('refuse');
    proxy.reset();
    await expect(flusher.flushUntilIdle()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    proxy.setMode('freeze');
    await expect(flusher.flushUntilIdle()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    proxy.setMode('forward');
    proxy.reset();
    const summary = await flusher.flushUntilIdle();
    expect(summary.sent).toBe(5);
    const { rows } = await direct.query<{ lrs: number; sent: number }>(
      "SELECT (SELECT count(*)::int FROM lrs_statements) AS lrs, (SELECT count(*)::int FROM statement_outbox WHERE state = 'sent') AS sent",
    );
    expect(rows[0]).toEqual({ lrs: 5, sent: 5 });
  });
});
