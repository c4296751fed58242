/**
 * What an operator, a load balancer or a monitor asks first, and this document. None
 * of them needs credentials; none of them tells a secret.
 */
import { json, type PathTable } from './kit.js';

/** Each answer says its status first; the rest is for people and may grow. */
const STATUS = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } };
const UNAVAILABLE = { 'Retry-After': 'seconds to wait before asking again' };

/** The paths of health, readiness, metrics and the OpenAPI document. */
export const HEALTH_PATHS: PathTable = {
  '/health': {
    get: {
      summary: 'liveness: the process answers, with the outbox and the last flush',
      responses: {
        200: json('alive', { type: 'object', required: ['status'], properties: { status: { type: 'string' }, outbox: { type: 'object' }, lastFlush: {} } }),
        503: { ...json('the database does not answer within its connect timeout', STATUS), headers: UNAVAILABLE },
      },
    },
  },
  '/ready': {
    get: {
      summary: 'readiness: the database answers, migrations are applied, the LRS accepts the gateway\'s credentials',
      responses: {
        200: json('ready to serve and deliver', STATUS),
        503: { ...json('not ready: a reason for each check that failed (URLs without secrets)', STATUS), headers: UNAVAILABLE },
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics: outbox rows by state and age, deliveries, LRS latency, rejected records',
      responses: {
        200: {
          description: 'the text exposition format, version 0.0.4',
          content: { 'text/plain': { schema: { type: 'string' }, example: '# HELP xgw_outbox_rows Statements in the outbox by state.\n# TYPE xgw_outbox_rows gauge\nxgw_outbox_rows{state="pending"} 12\n' } },
        },
      },
    },
  },
  '/openapi.json': {
    get: { summary: 'this document (OpenAPI 3.1)', responses: { 200: json('the OpenAPI document', { type: 'object', required: ['openapi', 'paths'], properties: { openapi: { const: '3.1.0' }, paths: { type: 'object' } } }) } },
  },
};
