import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { eraseLearner } from '../../src/learners/erase.js';
import { findLearner } from '../../src/learners/find.js';
import { accountActor, pseudonym } from '../../src/xapi/ids.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LMS, SECRET } from '../support/edx-events.js';
import { LRS_USER, testApp } from '../support/embedded-lrs.js';
import { attachmentOf, dataPart, jsonPart, multipartBody, MULTIPART_TYPE, rawBody, sha256 } from '../lrs/server/attachment-bodies.js';

const basic = `Basic ${Buffer.from(`${LRS_USER.username}:${LRS_USER.password}`).toString('base64')}`;
const HOME = LMS.replace(/\/$/, '');
const ACTIVITY = 'https://lms.example.org/courses/x';

describe.each(DATABASE_KINDS)('erasing a learner from the embedded LRS on %s', (kind) => {
  let t: TestDatabase;
  let app: ReturnType<typeof testApp>;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    app = testApp(t.database);
  });
  afterEach(() => t.drop());

  const xapi = (method: 'post' | 'get', path: string) => request(app)[method](`/xapi${path}`).set('Authorization', basic).set('X-Experience-API-Version', '1.0.3');
  const statement = (actor: object, attachments: string[] = [], id = randomUUID()) => ({
    id, actor, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, object: { id: ACTIVITY },
    ...(attachments.length > 0 && { attachments: attachments.map((c) => attachmentOf(c)) }),
  });
  const postWith = (s: object, attachments: string[]) =>
    xapi('post', '/statements').set('Content-Type', MULTIPART_TYPE).send(multipartBody([jsonPart(s), ...attachments.map((c) => dataPart(c))])).expect(200);

  it('takes their statements, the voiding of one, their state and their own attachments; a shared attachment and others stay', async () => {
    const theirs = accountActor(HOME, pseudonym(SECRET, '42'));
    const someone = accountActor(HOME, pseudonym(SECRET, '7'));
    const mine = statement(theirs, ['their certificate', 'shared syllabus']);
    await postWith(mine, ['their certificate', 'shared syllabus']);
    const other = statement(someone, ['shared syllabus']);
    await postWith(other, ['shared syllabus']);
    const voiding = { actor: { mbox: 'mailto:teacher@example.org' }, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: mine.id } };
    await xapi('post', '/statements').send(voiding).expect(200);
    await xapi('post', '/activities/state').query({ activityId: ACTIVITY, agent: JSON.stringify(theirs), stateId: 'bookmark' }).set('Content-Type', 'application/json').send({ page: 3 }).expect(204);
    await xapi('post', '/activities/state').query({ activityId: ACTIVITY, agent: JSON.stringify(someone), stateId: 'bookmark' }).set('Content-Type', 'application/json').send({ page: 1 }).expect(204);

    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    const found = await findLearner({ config, database: t.database }, 'edx', '42');
    expect(Object.fromEntries(found.places.filter((p) => p.store === 'lrs').map((p) => [p.name, p.rows]))).toEqual({ lrs_statements: 2, lrs_documents: 1, lrs_attachments: 2 });
    expect(found.places.find((p) => p.name === 'lrs_documents')!.by).toEqual({ state: 1 });

    const report = await eraseLearner({ config, database: t.database, erasedBy: 'test' }, 'edx', '42');
    expect(report.erased).toMatchObject({ lrs_statements: 2, lrs_documents: 1, lrs_attachments: 1 });
    const hashes = (await t.database.query<{ sha2: string }>('SELECT sha2 FROM lrs_attachments')).rows.map((r) => r.sha2);
    expect(hashes).toEqual([sha256('shared syllabus')]);
    expect((await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM lrs_statement_agents WHERE statement_seq NOT IN (SELECT seq FROM lrs_statements)')).rows[0]!.n).toBe(0);
    await xapi('get', '/statements').query({ voidedStatementId: mine.id }).expect(404);
    const kept = await rawBody(xapi('get', '/statements').query({ statementId: other.id, attachments: 'true' })).expect(200);
    expect((kept.body as Buffer).toString('utf8')).toContain('shared syllabus');
    await xapi('get', '/activities/state').query({ activityId: ACTIVITY, agent: JSON.stringify(someone), stateId: 'bookmark' }).expect(200);
    await xapi('get', '/activities/state').query({ activityId: ACTIVITY, agent: JSON.stringify(theirs), stateId: 'bookmark' }).expect(404);
  });
});
