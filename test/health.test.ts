import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from './support/databases.js';
import { testApp } from './support/embedded-lrs.js';

describe('/health', () => {
  it('answers 503 with database.reachable false and Retry-After when the database is gone', async () => {
    const t = await freshDatabase('pglite');
    const app = testApp(t.database);
    await request(app).get('/health').expect(200);
    await t.drop();
    const res = await request(app).get('/health').expect(503);
    expect(res.body).toEqual({ status: 'unavailable', database: { reachable: false, kind: 'pglite' } });
    expect(res.headers['retry-after']).toBe('5');
  });
});
