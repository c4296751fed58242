/**
 * The examples of /openapi.json work: each request example, sent as documented to the app
 * with every part on, gets the documented success status, and every answer (these and
 * reads of what they stored) matches the schema documented for its status and type.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './support/databases.js';
import { LRS_USER } from './support/embedded-lrs.js';
import { FULL_APP, fullApp } from './support/full-app.js';
import { schemaChecker } from './support/openapi.js';

type Doc = { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, object> } };
type Media = Record<string, { schema: object; example?: unknown }>;
type Op = { requestBody?: { content: Media }; responses: Record<string, { content?: Media }> };

const ADMIN = `Bearer ${FULL_APP.adminToken}`;
const LRS = `Basic ${Buffer.from(`${LRS_USER.username}:${LRS_USER.password}`).toString('base64')}`;
const XAPI = { 'X-Experience-API-Version': '1.0.3' };
const LEARNER = '9f86d081884c7d659a2feaa0c55ad015';
const AGENT = JSON.stringify({ account: { homePage: 'https://lms.example.org', name: '3b1f0c9e5d7a2b4c6e8f0a1b3c5d7e9f' } });
const COURSE_IRI = 'https://lms.example.org/courses/course-v1:OrgX+CS101+2026';

/** A call: the documented operation, the URL that fills its template, the body's media type, headers, the status expected. */
interface Call {
  op: string;
  url: string;
  type?: string;
  headers: Record<string, string>;
  status: number;
}

const call = (op: string, url: string, status: number, headers: Record<string, string>, type?: string): Call => ({ op, url, status, headers, ...(type && { type }) });

/** In order: the teacher and set before the course that names them, the link before the events. */
const CALLS: Call[] = [
  call('put /admin/teachers/{id}', '/admin/teachers/t-exemplo', 201, { Authorization: ADMIN }, 'application/json'),
  call('put /admin/sets/{spec}', '/admin/sets/computing', 201, { Authorization: ADMIN }, 'application/json'),
  call('post /admin/courses', '/admin/courses', 201, { Authorization: ADMIN }, 'application/json'),
  call('put /admin/courses/{id}', '/admin/courses/cs101-2026', 200, { Authorization: ADMIN }, 'application/json'),
  call('patch /admin/courses/{id}', '/admin/courses/cs101-2026', 200, { Authorization: ADMIN }, 'application/json'),
  call('post /admin/courses/{id}/publish', '/admin/courses/cs101-2026/publish', 200, { Authorization: ADMIN }),
  call('post /admin/courses/import', '/admin/courses/import', 200, { Authorization: ADMIN }, 'text/csv'),
  call('post /admin/courses/import', '/admin/courses/import', 200, { Authorization: ADMIN }, 'application/json'),
  call('put /admin/identity-links/{platform}/{platformUserId}', '/admin/identity-links/edx/42', 200, { Authorization: ADMIN }, 'application/json'),
  call('post /admin/identity-links/import', '/admin/identity-links/import', 200, { Authorization: ADMIN }, 'text/csv'),
  call('post /admin/identity-links/import', '/admin/identity-links/import', 200, { Authorization: ADMIN }, 'application/json'),
  call('post /xapi/statements', '/xapi/statements', 200, { Authorization: LRS, ...XAPI }, 'application/json'),
  call('put /xapi/statements', '/xapi/statements?statementId=6fbd4a0e-3a56-5b0c-9d7e-2f1c8a4b9e10', 204, { Authorization: LRS, ...XAPI }, 'application/json'),
  call('put /xapi/activities/state', `/xapi/activities/state?${new URLSearchParams({ activityId: COURSE_IRI, agent: AGENT, stateId: 'bookmark' })}`, 204, { Authorization: LRS, ...XAPI }, 'application/json'),
  call('post /ingest/edx', '/ingest/edx', 202, { Authorization: `Bearer ${FULL_APP.edxToken}` }, 'application/json'),
  call('post /ingest/edx', '/ingest/edx', 202, { Authorization: `Bearer ${FULL_APP.edxToken}` }, 'application/x-ndjson'),
  call('put /admin/coursera/courses/{course}/settings', '/admin/coursera/courses/intro-data/settings', 201, { Authorization: ADMIN }, 'application/json'),
  call('put /reports/coursera/{course}/learners/{learner}/choice', `/reports/coursera/intro-data/learners/${LEARNER}/choice`, 200, { Authorization: `Bearer ${FULL_APP.widgetToken}` }, 'application/json'),
  call('post /oai', '/oai', 200, {}, 'application/x-www-form-urlencoded'),
  // Reads of what the examples stored.
  call('get /admin/courses/{id}', '/admin/courses/cs101-2026', 200, { Authorization: ADMIN }),
  call('get /admin/courses', '/admin/courses', 200, { Authorization: ADMIN }),
  call('get /admin/teachers', '/admin/teachers', 200, { Authorization: ADMIN }),
  call('get /admin/sets', '/admin/sets', 200, { Authorization: ADMIN }),
  call('get /admin/identity-links', '/admin/identity-links?platform=edx', 200, { Authorization: ADMIN }),
  call('get /xapi/about', '/xapi/about', 200, {}),
  call('get /xapi/statements', '/xapi/statements', 200, { Authorization: LRS, ...XAPI }),
  call('get /xapi/activities', `/xapi/activities?activityId=${encodeURIComponent(COURSE_IRI)}`, 200, { Authorization: LRS, ...XAPI }),
  call('get /xapi/agents', `/xapi/agents?agent=${encodeURIComponent(AGENT)}`, 200, { Authorization: LRS, ...XAPI }),
  call('get /ecoapi/heartbeat', '/ecoapi/heartbeat', 200, { Authorization: `Bearer ${FULL_APP.ecoKey}` }),
  call('get /ecoapi/{key}/users/{ecoUserId}/courses', `/ecoapi/${FULL_APP.ecoKey}/users/eco-user-7781/courses`, 200, {}),
  call('get /ecoapi/teachers/{id}', '/ecoapi/teachers/t-exemplo', 200, { 'X-API-Key': FULL_APP.ecoKey }),
  call('get /ecoapi/tasks/{courseId}', '/ecoapi/tasks/no-such-course', 404, { Authorization: `Bearer ${FULL_APP.ecoKey}` }),
  call('get /admin/coursera/courses/{course}/settings', '/admin/coursera/courses/intro-data/settings', 200, { Authorization: ADMIN }),
  call('get /reports/edx', '/reports/edx', 200, { Authorization: ADMIN }),
  call('get /admin/courses/{id}', '/admin/courses/no-such-course', 404, { Authorization: ADMIN }),
  call('get /admin/courses', '/admin/courses', 401, {}),
  call('get /health', '/health', 200, {}),
];

describe('the examples of /openapi.json', () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof fullApp>>;
  let doc: Doc;
  let check: ReturnType<typeof schemaChecker>;

  beforeAll(async () => {
    t = await freshDatabase('pglite');
    app = await fullApp(t.database);
    doc = (await request(app).get('/openapi.json').expect(200)).body as Doc;
    check = schemaChecker(doc);
  });
  afterAll(() => t.drop());

  it('are taken by the app as documented, and its answers match the documented schemas', async () => {
    const wrong: string[] = [];
    for (const c of CALLS) {
      const [method, path] = c.op.split(' ') as [string, string];
      const op = doc.paths[path]![method]!;
      const media = c.type === undefined ? undefined : op.requestBody!.content[c.type]!;
      let req = request(app)[method as 'get'](c.url).set(c.headers);
      if (media !== undefined) {
        const body = c.type === 'application/x-www-form-urlencoded' ? new URLSearchParams(media.example as Record<string, string>).toString() : media.example;
        req = req.set('Content-Type', c.type!).send(typeof body === 'string' ? body : JSON.stringify(body));
      }
      const res = await req;
      const at = `${c.op}${c.type ? ` (${c.type})` : ''}`;
      if (res.status !== c.status) {
        wrong.push(`${at}: ${res.status} ${res.text.slice(0, 200)}`);
        continue;
      }
      const documented = (op.responses[String(c.status)] ?? op.responses.default!).content;
      const type = res.type === '' ? undefined : res.type;
      if (documented === undefined || type === undefined) {
        if (documented !== undefined || (type !== undefined && res.text !== '')) wrong.push(`${at}: answered ${type ?? 'no body'}, documented ${Object.keys(documented ?? {}).join() || 'no body'}`);
        continue;
      }
      const schema = documented[type]?.schema ?? documented['*/*']?.schema;
      if (schema === undefined) wrong.push(`${at}: answered ${type}, documented ${Object.keys(documented).join()}`);
      else if (/json/.test(type)) wrong.push(...check(schema, res.body).map((e) => `${at}: ${e}`));
    }
    expect(wrong).toEqual([]);
  });

  it('import in bulk without a rejected record, and put the edX events in the outbox without one', async () => {
    const example = (op: string, type: string) => {
      const [method, path] = op.split(' ') as [string, string];
      return doc.paths[path]![method]!.requestBody!.content[type]!.example;
    };
    const imported = await request(app).post('/admin/courses/import').set('Authorization', ADMIN).type('text/csv').send(example('post /admin/courses/import', 'text/csv') as string).expect(200);
    expect(imported.body).toMatchObject({ read: 1, imported: 1, rejected: 0 });
    const received = await request(app).post('/ingest/edx').set('Authorization', `Bearer ${FULL_APP.edxToken}`).type('application/json').send(JSON.stringify(example('post /ingest/edx', 'application/json'))).expect(202);
    expect(received.body).toMatchObject({ received: 2, translated: 2, rejected: 0 });
  });
});
