import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/databases.js';
import { testApp } from '../support/embedded-lrs.js';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

describe('the error table', () => {
  it('answers 503 with Retry-After to a write while the database is away, and still serves what is in memory', async () => {
    const t = await freshDatabase('pglite');
    const app = testApp(t.database, { adminToken: ADMIN_TOKEN });
    const put = () => request(app).put('/admin/teachers/t1').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ name: 'Grace Hopper', descriptions: { en: 'Admiral' } });
    await put().expect(201);
    await t.drop();
    const res = await put().expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toEqual({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'the database is unavailable; retry later' });
    await request(app).get('/openapi.json').expect(200);
    await request(app).get('/xapi/about').expect(200);
  });
});
