import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { freshDatabase } from '../support/databases.js';

describe('/health', () => {
  it('answers 503 with database.reachable false and Retry-After when the database is gone', async () => {
    const t = await freshDatabase('pglite');
    const app = createApp({
      database: t.database,
      outbox: new Outbox(t.database, { baseMs: 10, maxMs: 10, maxAttempts: 1 }),
      stats: new DeliveryStats(),
      logger: pino({ level: 'silent' }),
      lrsUsers: new Map(),
      bodyLimitBytes: 1024 * 1024,
    });
    await request(app).get('/health').expect(200);
    await t.drop();
    const res = await request(app).get('/health').expect(503);
    expect(res.body).toEqual({ status: 'unavailable', database: { reachable: false, kind: 'pglite' } });
    expect(res.headers['retry-after']).toBe('5');
  });
});
