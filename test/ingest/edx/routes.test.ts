import { gzipSync } from 'node:zlib';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdentityLinkCache, upsertIdentityLinks } from '../../../src/catalog/identity-links.js';
import { importEdx } from '../../../src/pipelines/edx.js';
import { edxTranslateOptions } from '../../../src/pipelines/edx.js';
import { loadConfig } from '../../../src/config/index.js';
import { allStatements } from '../../../src/lrs/statement-query.js';
import { LrsClient } from '../../../src/lrs/client.js';
import { DeliveryStats } from '../../../src/lrs/delivery-stats.js';
import { Flusher } from '../../../src/lrs/flusher.js';
import { Outbox } from '../../../src/lrs/outbox.js';
import { VERB } from '../../../src/xapi/vocabulary.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { COURSE, EDX_OPTIONS, LMS, ndjson, playVideo, problemCheck, SECRET } from '../../support/edx-events.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../../support/embedded-lrs.js';

const TOKEN = 'edx-instance-token-0123456789abcdef';
const silent = pino({ level: 'silent' });
const policy = { baseMs: 10, maxMs: 100, maxAttempts: 5 };

describe.each(DATABASE_KINDS)('POST /ingest/edx on %s', (kind) => {
  let t: TestDatabase;
  let app: RunningLrs;
  let outbox: Outbox;
  let dir: string;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    outbox = new Outbox(t.database, policy);
    const links = new IdentityLinkCache(t.database, 'edx');
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    app = await startEmbeddedLrs(t.database, {
      bodyLimitBytes: 64 * 1024,
      edxIngest: {
        tokens: new Map([[TOKEN, 'lms-test']]),
        translate: edxTranslateOptions(config, SECRET, undefined, (id) => links.get(id)),
        loadLinks: (ids) => links.load(ids),
      },
    });
    dir = await mkdtemp(join(tmpdir(), 'xgw-edx-'));
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${app.origin}/ingest/edx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson', ...headers },
      body,
    });

  const pending = async () => (await outbox.status()).counts.pending;

  it('refuses a request without a token, or with a token it does not know, and enqueues nothing', async () => {
    const none = await fetch(`${app.origin}/ingest/edx`, { method: 'POST', body: ndjson([playVideo(1)]) });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await post(ndjson([playVideo(1)]), { authorization: 'Bearer not-the-token-0123456789' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain(TOKEN);
    expect(await pending()).toBe(0);
  });

  it('answers a mixed batch with counts, keeps the good events and stores each bad one with its line', async () => {
    const lines = [
      JSON.stringify(playVideo(1)),
      '{"event_type": "play_video", "time": ', // cut off
      JSON.stringify(problemCheck(2)),
      JSON.stringify({ ...playVideo(3), time: undefined }),
      JSON.stringify({ ...playVideo(4), event_type: '/static/js/lms.js', name: undefined }),
      // Neither event.problem_id nor context.module names the problem.
      JSON.stringify(problemCheck(5, 1, { event: { grade: 1, max_grade: 2 }, context: { course_id: 'course-v1:OrgX+CS101+2026', user_id: 5 } })),
    ];
    const res = await post(`${lines.join('\n')}\n`);
    expect(res.status).toBe(202);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ received: 6, translated: 2, statements: 2, ignored: 1, rejected: 3, added: 2, known: 0 });
    expect(body.errors).toEqual([
      { at: 'line 2', reason: expect.stringMatching(/not JSON/) },
      { at: 'line 4', reason: 'missing field time' },
      { at: 'line 6', reason: 'missing field context.module.usage_key' },
    ]);
    expect(await pending()).toBe(2);
    const { rows } = await t.database.query<{ position: string; code: string; payload: string }>(
      `SELECT position, code, payload FROM rejected_records ORDER BY position`,
    );
    expect(rows.map((r) => [r.position, r.code])).toEqual([
      ['line 2', 'unreadable'],
      ['line 4', 'missing_field'],
      ['line 6', 'missing_field'],
    ]);
    expect(rows[0]!.payload).toBe(lines[1]);
  });

  it('stores the good event of [bad, good] and answers 202 when the bad one holds values the database cannot store', async () => {
    const poison = (user: number, answer: string) =>
      problemCheck(user, 1, { event: { problem_id: 'block-v1:OrgX+CS101+2026+type@problem+block@q1', grade: 1, max_grade: 2, answers: { q1_2_1: answer } } });
    const res = await post(JSON.stringify([poison(1, 'secret\u0000'), playVideo(2)]), { 'content-type': 'application/json' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ received: 2, translated: 1, rejected: 1, added: 1 });
    expect(body.errors).toEqual([{ at: 'body[0]', reason: expect.stringMatching(/^statement is not valid xAPI: result\.response: contains the character U\+0000/) }]);
    expect(await pending()).toBe(1);

    const surrogate = await post(ndjson([playVideo(3), poison(4, 'x\ud800'), { ...playVideo(5), context: { course_id: COURSE, user_id: 'id\u0000' } }]));
    expect(surrogate.status).toBe(202);
    expect(await surrogate.json()).toMatchObject({ received: 3, translated: 2, rejected: 1, added: 2, errors: [{ at: 'line 2' }] });
    const { rows } = await t.database.query<{ position: string; reason: string }>(`SELECT position, reason FROM rejected_records ORDER BY id`);
    expect(rows.map((r) => r.position)).toEqual(['body[0]', 'line 2']);
    expect(rows.map((r) => r.reason).join()).not.toContain('secret');
  });

  it('answers 202 for an event nested 5,000 deep, stored or refused but never a 500', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const answers = `{"q1_2_1":${deep}}`;
    const event = JSON.stringify(problemCheck(1)).replace(/"answers":\{[^}]*\}/, `"answers":${answers}`);
    expect(event).toContain(deep);
    const res = await post(`[${event},${JSON.stringify(playVideo(2))}]`, { 'content-type': 'application/json' });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ received: 2, translated: 1, rejected: 1, added: 1 });
  });

  it('takes one JSON event or a JSON array as well as NDJSON', async () => {
    const one = await post(JSON.stringify(playVideo(1)), { 'content-type': 'application/json' });
    expect(await one.json()).toMatchObject({ received: 1, translated: 1 });
    const many = await post(JSON.stringify([playVideo(2), problemCheck(3)]), { 'content-type': 'application/json' });
    expect(await many.json()).toMatchObject({ received: 2, translated: 2 });
    expect(await pending()).toBe(3);
  });

  it('refuses a body over the limit with 413 and an empty body with 400', async () => {
    const big = ndjson(Array.from({ length: 200 }, (_, i) => playVideo(i, i)));
    expect(big.length).toBeGreaterThan(64 * 1024);
    expect((await post(big)).status).toBe(413);
    expect((await post('  \n')).status).toBe(400);
    expect(await pending()).toBe(0);
  });

  it('yields one statement for the same event posted twice and then imported from a log', async () => {
    const event = problemCheck(7, 2);
    expect(await (await post(ndjson([event]))).json()).toMatchObject({ added: 1, known: 0 });
    expect(await (await post(ndjson([event]))).json()).toMatchObject({ added: 0, known: 1 });
    const log = join(dir, 'tracking.log-20260302.gz');
    await writeFile(log, gzipSync(ndjson([event, playVideo(8)])));
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    const { summary } = await importEdx({ paths: [dir] }, { config, database: t.database, outbox, logger: silent });
    expect(summary).toMatchObject({ read: 2, translated: 2, added: 1, known: 1 });
    expect((await outbox.status()).counts.pending).toBe(2);
  });

  it('names a linked learner by the ECO user id, live and imported, as soon as the link exists', async () => {
    const actorNames = async () =>
      (await t.database.query<{ name: string }>(`SELECT statement->'actor'->'account'->>'name' AS name FROM statement_outbox ORDER BY statement->>'timestamp'`)).rows.map((r) => r.name);
    await post(ndjson([playVideo(7, 1)]));
    await upsertIdentityLinks(t.database, [{ platform: 'edx', platformUserId: '7', ecoUserId: 'eco-sub-7' }]);
    await post(ndjson([playVideo(7, 2)]));
    await writeFile(join(dir, 'tracking.log'), ndjson([playVideo(7, 3), playVideo(8, 4)]));
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    await importEdx({ paths: [dir] }, { config, database: t.database, outbox, logger: silent });
    expect(await actorNames()).toEqual([EDX_OPTIONS.actorName('7'), 'eco-sub-7', 'eco-sub-7', EDX_OPTIONS.actorName('8')]);
  });

  it('imports a log, flushes it to the embedded LRS and reads the statements back', async () => {
    const events = [playVideo(1), playVideo(1, 5), problemCheck(1, 2), { ...playVideo(2), event_type: '/jsi18n/', name: undefined }];
    await writeFile(join(dir, 'OrgX-edx-events-2026-03-02.log'), ndjson(events));
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS, EDX_COURSE_IDS: 'OrgX/CS101/2026' });
    const { summary } = await importEdx({ paths: [dir] }, { config, database: t.database, outbox, logger: silent });
    expect(summary).toMatchObject({ read: 4, translated: 3, ignored: 1, rejected: 0 });
    expect(summary.byType).toMatchObject({ play_video: { translated: 2 }, problem_check: { translated: 1 }, '/jsi18n/...': { ignored: 1 } });

    const client = new LrsClient({ endpoint: app.endpoint, ...LRS_USER, timeoutMs: 10_000 });
    const flushed = await new Flusher({ outbox, client, stats: new DeliveryStats(), logger: silent, batchSize: 100, leaseSeconds: 30 }).flushUntilIdle();
    expect(flushed.sent).toBe(3);
    const played = [];
    for await (const s of allStatements(client, { verb: VERB.played.id })) played.push(s);
    expect(played).toHaveLength(2);
    expect(played[0]!.context?.contextActivities?.parent?.[0]?.id).toBe(`${LMS}courses/${COURSE}`);
    const answered = [];
    for await (const s of allStatements(client, { verb: VERB.answered.id })) answered.push(s);
    expect(answered).toHaveLength(1);
    expect(answered[0]!.result).toMatchObject({ success: true, score: { raw: 2, max: 2, scaled: 1 } });
  });
});
