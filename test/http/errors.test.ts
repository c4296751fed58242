import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodedError, ERROR_CODES, type ErrorCode } from '../../src/errors.js';
import { DatabaseUnavailableError } from '../../src/db/errors.js';
import { HttpFault, problemHandler, type HttpOnlyCode } from '../../src/http/errors.js';
import { freshDatabase } from '../support/databases.js';
import { LRS_USER, testApp } from '../support/embedded-lrs.js';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const LRS_AUTH = `Basic ${Buffer.from(`${LRS_USER.username}:${LRS_USER.password}`).toString('base64')}`;

/** The status every code answers, written out here so that the table is checked, not copied. */
const STATUS: Record<ErrorCode | HttpOnlyCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'precondition-failed': 412,
  'too-large': 413,
  unsupported: 415,
  'too-many-requests': 429,
  setup: 500,
  unavailable: 503,
};

describe('the error table', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    const app = express();
    app.get('/coded/:code', (req) => {
      throw new CodedError(req.params.code as ErrorCode, 'the message of the fault');
    });
    app.get('/field', () => {
      throw new CodedError('invalid', 'since: must be a timestamp', { field: 'since', members: { errors: [{ field: 'since', message: 'must be a timestamp' }] } });
    });
    app.get('/later', () => {
      throw new CodedError('unavailable', 'the LRS is unavailable: connection reset', { retryAfterSeconds: 7 });
    });
    app.get('/fault/:code', (req) => {
      throw new HttpFault(req.params.code as HttpOnlyCode, 'the message of the fault', { 'X-Fault': 'kept' });
    });
    app.get('/bug', () => {
      throw new RangeError('a secret in a stack');
    });
    app.post('/json', express.json({ limit: 10 }), (_req, res) => {
      res.end();
    });
    app.use(problemHandler(pino({ level: 'silent' })));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers every code of a coded error with its status, as problem+json', async () => {
    for (const code of ERROR_CODES) {
      const res = await request(origin).get(`/coded/${code}`);
      expect(res.status, code).toBe(STATUS[code]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = JSON.parse(res.text) as { status: number; detail: string };
      expect(body.status).toBe(STATUS[code]);
      // A fault of the server answers a detail of its own: the message names the server's insides.
      if (STATUS[code] < 500) expect(body.detail).toBe('the message of the fault');
      else expect(body.detail).not.toContain('the message');
    }
  });

  it('answers the faults only HTTP knows with their status and the headers they carry', async () => {
    for (const code of ['method-not-allowed', 'too-many-requests', 'unauthorized'] as const) {
      const res = await request(origin).get(`/fault/${code}`);
      expect(res.status, code).toBe(STATUS[code]);
      expect(res.headers['x-fault']).toBe('kept');
      expect(JSON.parse(res.text)).toMatchObject({ status: STATUS[code], detail: 'the message of the fault' });
    }
  });

  it('names the offending field and keeps the other members in the body', async () => {
    const res = await request(origin).get('/field').expect(400);
    expect(JSON.parse(res.text)).toEqual({
      type: 'about:blank', title: 'Bad Request', status: 400, detail: 'since: must be a timestamp',
      field: 'since', errors: [{ field: 'since', message: 'must be a timestamp' }],
    });
  });

  it('asks a client to come back after the seconds an unavailable fault gives', async () => {
    const res = await request(origin).get('/later').expect(503);
    expect(res.headers['retry-after']).toBe('7');
  });

  it('answers an error of no known kind with a generic 500', async () => {
    const res = await request(origin).get('/bug').expect(500);
    expect(JSON.parse(res.text)).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'internal error' });
  });

  it('answers the faults of the body parser through the same table', async () => {
    await request(origin).post('/json').type('json').send('{"a": "more than ten bytes"}').expect(413);
    await request(origin).post('/json').type('json').send('{').expect(400);
  });

  it('makes the database being away an unavailable fault with Retry-After', () => {
    const err = new DatabaseUnavailableError('connection refused');
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toMatchObject({ code: 'unavailable', retryAfterSeconds: 5 });
  });
});

describe('one fault, one answer', () => {
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

  it('gives the same answer to the database being away through the embedded LRS and through the catalogue', async () => {
    const t = await freshDatabase('pglite');
    const app = testApp(t.database, { adminToken: ADMIN_TOKEN });
    await t.drop();
    const lrs = await request(app).get('/xapi/statements').set('authorization', LRS_AUTH).set('x-experience-api-version', '1.0.3');
    const catalog = await request(app).get('/admin/courses/c1').set('authorization', `Bearer ${ADMIN_TOKEN}`);
    for (const res of [lrs, catalog]) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(JSON.parse(lrs.text)).toEqual(JSON.parse(catalog.text));
  });

  it('gives the same answer to a missing thing through the embedded LRS and through the catalogue', async () => {
    const t = await freshDatabase('pglite');
    try {
      const app = testApp(t.database, { adminToken: ADMIN_TOKEN });
      const lrs = await request(app).get('/xapi/statements?statementId=9f1c3a52-2b7f-4d0e-9c1a-6a1d2f3e4b5c').set('authorization', LRS_AUTH).set('x-experience-api-version', '1.0.3').expect(404);
      const catalog = await request(app).get('/admin/courses/c1').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(404);
      for (const res of [lrs, catalog]) {
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(res.text)).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
      }
    } finally {
      await t.drop();
    }
  });
});
