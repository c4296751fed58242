import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertIdentityLinks } from '../../src/catalog/identity-links.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { eraseLearner } from '../../src/learners/erase.js';
import { findLearner } from '../../src/learners/find.js';
import { LrsClient } from '../../src/lrs/client.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Flusher } from '../../src/lrs/flusher.js';
import { runImport } from '../../src/lrs/import-run.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { importCoursera } from '../../src/pipelines/coursera.js';
import { importFutureLearn } from '../../src/pipelines/futurelearn.js';
import { edxTranslateOptions } from '../../src/pipelines/edx.js';
import { accountActor, pseudonym, statementId } from '../../src/xapi/ids.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LMS, ndjson, playVideo, problemCheck, SECRET } from '../support/edx-events.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';

const silent = pino({ level: 'silent' });
const EDX_TOKEN = 'edx-token-for-erasure-tests';
const RUN = 'test/fixtures/futurelearn/uni-x/climate-change/3 - 2026-01-05 - 2026-01-19';
const COURSERA = 'test/fixtures/coursera/course-abc';
const basic = `Basic ${Buffer.from(`${LRS_USER.username}:${LRS_USER.password}`).toString('base64')}`;

describe.each(DATABASE_KINDS)('erasing a learner on %s', (kind) => {
  let t: TestDatabase;
  let lrs: RunningLrs;
  let config: Config;
  let outbox: Outbox;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    lrs = await startEmbeddedLrs(t.database, { edxIngest: { tokens: new Map([[EDX_TOKEN, 'lms-test']]), translate: edxTranslateOptions(config, SECRET) } });
    outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
  });
  afterEach(async () => {
    await lrs.close();
    await t.drop();
  });

  const deps = () => ({ config, database: t.database });
  const flush = () => new Flusher({
    outbox, stats: new DeliveryStats(), logger: silent, batchSize: 100, leaseSeconds: 30,
    client: new LrsClient({ endpoint: lrs.endpoint, ...LRS_USER, timeoutMs: 10_000 }),
  }).flushUntilIdle();
  const postLive = (events: unknown[]) =>
    request(lrs.origin).post('/ingest/edx').set('Authorization', `Bearer ${EDX_TOKEN}`).set('Content-Type', 'application/x-ndjson').send(ndjson(events));
  const rowCounts = async (): Promise<Record<string, number>> => {
    const tables = ['statement_outbox', 'lrs_statements', 'lrs_statement_agents', 'lrs_documents', 'rejected_records', 'learner_profiles', 'identity_links'];
    const counts: Record<string, number> = {};
    for (const table of tables) counts[table] = (await t.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
    return counts;
  };
  const totalOf = async (platform: string, user: string) => (await findLearner(deps(), platform, user)).total;

  it('finds an edX learner everywhere, erases them and everything referring to them, and drops their live events after', async () => {
    const events = [playVideo(42, 1), problemCheck(42), playVideo(7, 2), problemCheck(7)];
    // A rejected record of each: a time no statement can carry.
    const broken = [playVideo(42, 3, { time: 'not a time' }), playVideo(7, 4, { time: 'not a time' })];
    expect((await postLive([...events, ...broken])).body).toMatchObject({ translated: 4, rejected: 2 });
    await flush();
    const theirs = accountActor(LMS.replace(/\/$/, ''), pseudonym(SECRET, '42'));
    const [first] = (await t.database.query<{ id: string }>(`SELECT id FROM statement_outbox WHERE statement->'actor'->'account'->>'name' = $1 LIMIT 1`, [theirs.account!.name])).rows;
    // Someone else's statement referring to one of theirs, and a document of their agent.
    const ref = { actor: { mbox: 'mailto:teacher@example.org' }, verb: { id: 'http://adlnet.gov/expapi/verbs/commented' }, object: { objectType: 'StatementRef', id: first!.id } };
    await request(lrs.origin).post('/xapi/statements').set('Authorization', basic).set('X-Experience-API-Version', '1.0.3').send(ref).expect(200);
    await request(lrs.origin).post('/xapi/agents/profile').query({ agent: JSON.stringify(theirs), profileId: 'prefs' })
      .set('Authorization', basic).set('X-Experience-API-Version', '1.0.3').set('Content-Type', 'application/json').send({ speed: 2 }).expect(204);
    const othersBefore = await totalOf('edx', '7');

    const found = await findLearner(deps(), 'edx', '42');
    const rows = Object.fromEntries(found.places.map((p) => [p.name, p.rows]));
    expect(rows).toMatchObject({ outbox: 2, rejected_records: 1, lrs_statements: 3, lrs_documents: 1 });
    expect(found.places.find((p) => p.name === 'outbox')!.by).toEqual({ sent: 2 });
    expect(JSON.stringify(found)).not.toMatch(/"42"|learner42/);
    const before = await rowCounts();

    const report = await eraseLearner({ ...deps(), erasedBy: 'test' }, 'edx', '42');
    expect(report.erased).toMatchObject({ outbox: 2, rejected_records: 1, lrs_statements: 3, lrs_documents: 1 });
    expect(report.notErased).toEqual([]);
    const after = await rowCounts();
    expect(after.statement_outbox).toBe(before.statement_outbox! - 2);
    expect(after.lrs_statements).toBe(before.lrs_statements! - 3);
    expect(after.rejected_records).toBe(before.rejected_records! - 1);
    expect(after.lrs_documents).toBe(0);
    expect(await totalOf('edx', '42')).toBe(0);
    expect(await totalOf('edx', '7')).toBe(othersBefore);
    expect((await findLearner(deps(), 'edx', '42')).erased?.by).toBe('test');

    // The same events again: theirs are dropped and counted, the others' are known already.
    const again = (await postLive(events)).body;
    expect(again).toMatchObject({ received: 4, translated: 2, erased: 2, added: 0, known: 2 });
    await flush();
    expect(await totalOf('edx', '42')).toBe(0);
    expect(await rowCounts()).toEqual(after);
  });

  it('erases a FutureLearn learner and a re-import of the same files brings nothing of theirs back', async () => {
    await upsertIdentityLinks(t.database, [{ platform: 'futurelearn', platformUserId: 'l-cccc3333', ecoUserId: 'eco-user-3' }]);
    const first = await importFutureLearn({ paths: [RUN] }, { ...deps(), outbox, logger: silent });
    await flush();
    const othersBefore = await totalOf('futurelearn', 'l-bbbb2222');
    const linkedBefore = await findLearner(deps(), 'futurelearn', 'l-cccc3333');
    expect(linkedBefore.linked).toBe(true);
    const before = await rowCounts();

    const report = await eraseLearner({ ...deps(), erasedBy: 'test' }, 'futurelearn', 'l-cccc3333');
    expect(report.total).toBe(linkedBefore.total);
    expect(report.erased).toMatchObject({ identity_links: 1, learner_profiles: 1 });
    expect(report.erased.outbox).toBeGreaterThan(0);
    const after = await rowCounts();
    expect(after.statement_outbox).toBe(before.statement_outbox! - report.erased.outbox!);
    expect(after.learner_profiles).toBe(before.learner_profiles! - 1);

    const second = await importFutureLearn({ paths: [RUN] }, { ...deps(), outbox, logger: silent });
    await flush();
    // Each of their records is dropped and counted, whatever statements it would have made.
    expect(second.summary.erased).toBeGreaterThan(0);
    expect(second.summary.translated + second.summary.erased!).toBe(first.summary.translated);
    expect(second.summary.read).toBe(first.summary.read);
    expect(second.summary.added).toBe(0);
    expect(await totalOf('futurelearn', 'l-cccc3333')).toBe(0);
    expect(await totalOf('futurelearn', 'l-bbbb2222')).toBe(othersBefore);
    expect(await rowCounts()).toEqual(after);
  });

  it('erases a Coursera learner and a re-import of the same export brings nothing of theirs back', async () => {
    const first = await importCoursera({ paths: [COURSERA] }, { ...deps(), outbox, logger: silent });
    await flush();
    const othersBefore = await totalOf('coursera', 'learner-b');
    const report = await eraseLearner({ ...deps(), erasedBy: 'test' }, 'coursera', 'learner-a');
    expect(report.erased.outbox).toBeGreaterThan(0);
    expect(report.erased.lrs_statements).toBe(report.erased.outbox);
    const after = await rowCounts();

    const second = await importCoursera({ paths: [COURSERA] }, { ...deps(), outbox, logger: silent });
    await flush();
    expect(second.summary.erased).toBeGreaterThan(0);
    expect(second.summary.translated + second.summary.erased!).toBe(first.summary.translated);
    expect(second.summary.added).toBe(0);
    expect(await totalOf('coursera', 'learner-a')).toBe(0);
    expect(await totalOf('coursera', 'learner-b')).toBe(othersBefore);
    expect(await rowCounts()).toEqual(after);
  });

  it("drops an erased edX learner's records from edX packages and ready-made xAPI statements too", async () => {
    await eraseLearner({ ...deps(), erasedBy: 'test' }, 'edx', '42');
    const completed = (user: string) => ({
      id: statementId('xapi', `completed-${user}`), actor: accountActor(LMS.replace(/\/$/, ''), pseudonym(SECRET, user)),
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, object: { id: 'https://lms.example.org/courses/x' },
    });
    for (const source of ['edx-package', 'xapi']) {
      const items = ['42', '7'].map((user) => ({ at: `${source}:${user}`, type: 'completed', statements: [completed(user)] }));
      const { summary } = await runImport(items, { database: t.database, outbox, source, input: source });
      expect(summary, source).toMatchObject({ read: 2, translated: 1, erased: 1 });
    }
  });

  it('drops the records of an erased learner that could not be translated, instead of keeping them as rejected', async () => {
    await postLive([playVideo(42, 1)]);
    await eraseLearner({ ...deps(), erasedBy: 'test' }, 'edx', '42');
    const broken = (user: number) => playVideo(user, 5, { time: 'not a time' });
    expect((await postLive([broken(42), broken(7)])).body).toMatchObject({ erased: 1, rejected: 1 });
    expect(await totalOf('edx', '42')).toBe(0);
    expect(await totalOf('edx', '7')).toBeGreaterThan(0);
  });

  // Per platform: a file with one good and one bad row of the learner to erase, and a bad row of another learner.
  const unreadable = [
    {
      platform: 'futurelearn', erase: 'l-zz', file: join('uni', 'course-x', '2 - 2026-03-02 - 2026-03-30', 'question-response.csv'),
      rows: ['learner_id,quiz_question,question_type,response,submitted_at,correct', 'l-zz,1.2.1,MultipleChoiceQuestion,2,2026-03-10 10:00:00 UTC,true',
        'l-zz,1.2.1,MultipleChoiceQuestion,2,last tuesday,true', 'l-yy,1.2.1,MultipleChoiceQuestion,1,not a time,false'],
      importFrom: (dir: string) => importFutureLearn({ paths: [join(dir, 'uni', 'course-x', '2 - 2026-03-02 - 2026-03-30')] }, { ...deps(), outbox, logger: silent }),
    },
    {
      platform: 'coursera', erase: 'hash-zz', file: join('tables', 'course_progress.csv'),
      rows: ['course_id,course_item_id,partner_user_id,course_progress_state_type_id,course_progress_ts', 'course-x,lec01,hash-zz,1,2026-09-07 08:00:00',
        'course-x,lec01,hash-zz,2,\\N', 'course-x,lec01,hash-yy,2,sometime'],
      importFrom: (dir: string) => importCoursera({ paths: [dir] }, { ...deps(), outbox, logger: silent }),
    },
  ];
  it.each(unreadable)('drops the $platform rows of an erased learner that could not be read, instead of keeping them as rejected', async ({ platform, erase, file, rows, importFrom }) => {
    const dir = await mkdtemp(join(tmpdir(), `xgw-erase-${platform}-`));
    try {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), rows.join('\n'));
      expect((await importFrom(dir)).summary).toMatchObject({ translated: 1, rejected: 2 });
      await eraseLearner({ ...deps(), erasedBy: 'test' }, platform, erase);
      expect((await importFrom(dir)).summary).toMatchObject({ translated: 0, erased: 2, rejected: 1 });
      expect(await totalOf(platform, erase)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports the statements an external LRS keeps', async () => {
    config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS, LRS_ENDPOINT: lrs.endpoint, LRS_USERNAME: LRS_USER.username, LRS_PASSWORD: LRS_USER.password });
    await postLive([playVideo(42, 1)]);
    await flush();
    const report = await eraseLearner({ ...deps(), erasedBy: 'test' }, 'edx', '42');
    expect(report.notErased).toEqual([expect.objectContaining({ where: 'external LRS (LRS_ENDPOINT)', statements: 1 })]);
    expect(JSON.stringify(report)).not.toContain('"42"');
  });

  it('refuses an unknown platform and an empty id, naming the field', async () => {
    await expect(findLearner(deps(), 'moodle', '1')).rejects.toMatchObject({ code: 'invalid', field: 'platform' });
    await expect(findLearner(deps(), 'edx', ' ')).rejects.toMatchObject({ code: 'invalid', field: 'user' });
  });
});
