/**
 * What an operator, a load balancer or a monitor asks first, and this document. None
 * of them needs credentials; none of them tells a secret.
 */
import { json, type PathTable } from './kit.js';

const UNAVAILABLE = { 'Retry-After': 'seconds to wait before asking again' };

/** /health: its status first; the figures are for people and may grow. */
const LIVENESS = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'unavailable'], description: 'degraded: alive, but the LRS refuses delivery for a reason only an operator can fix' },
    database: { type: 'object', properties: { reachable: { type: 'boolean' }, kind: { type: 'string', enum: ['pglite', 'postgres'] } } },
    outbox: { type: 'object', description: 'rows by state, age of the oldest pending row, last sent' },
    lastFlush: {},
  },
};

/** /ready: one check each for the database, its migrations and the delivery target, with why one failed. */
const CHECK = { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' }, reason: { type: 'string' } } };
const READINESS = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not-ready'] },
    checks: { type: 'object', properties: { database: CHECK, migrations: CHECK, delivery: CHECK } },
  },
};

/** The paths of health, readiness, metrics and the OpenAPI document. */
export const HEALTH_PATHS: PathTable = {
  '/health': {
    get: {
      summary: 'liveness: the process answers, with the outbox and the last flush',
      responses: {
        200: json('alive (ok or degraded)', LIVENESS, {
          status: 'ok', database: { reachable: true, kind: 'postgres' },
          outbox: { pending: 12, sent: 48210, conflict: 0, dead: 0, oldestPendingAgeSeconds: 4, lastSentAt: '2026-03-20T18:44:58.000Z' }, lastFlush: null,
        }),
        503: { ...json('the database does not answer within DATABASE_CONNECT_TIMEOUT_MS', LIVENESS, { status: 'unavailable', database: { reachable: false, kind: 'postgres' } }), headers: UNAVAILABLE },
      },
    },
  },
  '/ready': {
    get: {
      summary: 'readiness: the database answers, migrations are applied, the LRS accepts the gateway\'s credentials',
      responses: {
        200: json('ready to serve and deliver', READINESS),
        503: json('not ready: each check that failed says why (URLs without secrets)', READINESS, {
          status: 'not-ready',
          checks: { database: { ok: true, kind: 'postgres' }, migrations: { ok: true }, delivery: { ok: false, reason: 'https://lrs.example.org/xapi/ refused the gateway\'s credentials (401): check LRS_USERNAME and LRS_PASSWORD' } },
        }),
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics: outbox rows by state and age, deliveries, flush errors, LRS latency, rejected records, the process',
      responses: {
        200: {
          description: 'the text exposition format, version 0.0.4',
          content: { 'text/plain': { schema: { type: 'string' }, example: '# HELP xgw_outbox_rows Statements in the outbox by state.\n# TYPE xgw_outbox_rows gauge\nxgw_outbox_rows{state="pending"} 12\n' } },
        },
        503: { description: 'the database does not answer: a line of text, as a scraper reads it', content: { 'text/plain': { schema: { type: 'string' } } }, headers: UNAVAILABLE },
      },
    },
  },
  '/openapi.json': {
    get: { summary: 'this document (OpenAPI 3.1)', responses: { 200: json('the OpenAPI document', { type: 'object', required: ['openapi', 'paths'], properties: { openapi: { const: '3.1.0' }, paths: { type: 'object' } } }) } },
  },
};
