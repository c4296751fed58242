import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { edxItems } from '../../src/pipelines/edx.js';
import { readTrackingLog } from '../../src/ingest/edx/tracking-log.js';
import { runImport } from '../../src/lrs/import-run.js';
import { Outbox, type UnstorableTextPolicy } from '../../src/lrs/outbox.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { EDX_OPTIONS, ndjson, playVideo, problemCheck } from '../support/edx-events.js';

const policy = { baseMs: 10, maxMs: 100, maxAttempts: 5 };
const PROBLEM = 'block-v1:OrgX+CS101+2026+type@problem+block@q1';

/** A problem_check of `user` whose answer (copied to result.response) is `answer`. */
const answered = (user: number, answer: string) =>
  problemCheck(user, 1, { time: `2026-03-02T10:${String(user).padStart(2, '0')}:00.000000+00:00`, event: { problem_id: PROBLEM, grade: 1, max_grade: 2, answers: { q1_2_1: answer } } });

describe.each(DATABASE_KINDS)('an import with poison values on %s', (kind) => {
  let t: TestDatabase;
  let dir: string;
  let log: string;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'xgw-poison-'));
    log = join(dir, 'tracking.log');
  });
  afterEach(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const run = (unstorable: UnstorableTextPolicy = 'reject') =>
    runImport(edxItems(readTrackingLog([log]), EDX_OPTIONS), {
      database: t.database,
      outbox: new Outbox(t.database, policy, unstorable),
      source: 'edx',
      input: log,
      batchSize: 4, // several chunks, with poison at their edges
    });
  const rejectedRows = async () =>
    (await t.database.query<{ position: string; code: string; reason: string; payload: string }>(
      `SELECT position, code, reason, payload FROM rejected_records ORDER BY id`,
    )).rows;
  const outboxCount = async () => (await t.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM statement_outbox`)).rows[0]!.n;

  it('stores every good statement and rejects each poison record at its line, on every run', async () => {
    const events = Array.from({ length: 12 }, (_, i) => answered(i + 1, `answer-${i + 1}`));
    events[3] = answered(4, 'secret-nul\u0000'); // last of the first chunk
    events[4] = answered(5, 'secret-surrogate\ud800'); // first of the second
    events[8] = answered(9, 'secret-low\udc00x');
    events[11] = { ...answered(12, 'a'), time: '0000-01-01T00:00:00.000000+00:00' }; // last line
    const lines = ndjson(events).split('\n');
    lines[9] = lines[9]!.replace('"answer-10"', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`); // 5,000 deep
    await writeFile(log, lines.join('\n'));

    const first = await run();
    expect(first.summary).toMatchObject({ read: 12, translated: 7, statements: 7, rejected: 5, added: 7, known: 0 });
    expect(first.summary.errors.map((e) => e.at)).toEqual([4, 5, 9, 10, 12].map((n) => `${log}:${n}`));
    expect(await outboxCount()).toBe(7);
    const rows = await rejectedRows();
    expect(rows.map((r) => [r.position, r.code])).toEqual([
      [`${log}:4`, 'invalid_statement'], [`${log}:5`, 'invalid_statement'], [`${log}:9`, 'invalid_statement'], [`${log}:10`, 'bad_value'], [`${log}:12`, 'invalid_statement'],
    ]);
    expect(rows[3]!.reason).toMatch(/^bad value in event\.answers\.q1_2_1\.a\.a.*: nests deeper than 100 levels/);
    expect(rows[4]!.reason).toMatch(/^statement is not valid xAPI: timestamp: must fall between 0001-01-01/);
    // The answer is in the response and, since issue 17, in its part of the parts extension.
    expect(rows[0]!.reason).toBe('statement is not valid xAPI: result.response: contains the character U+0000, which the database cannot store; result.extensions["https://w3id.org/xapi-gateway/extensions/parts"].q1_2_1.response: contains the character U+0000, which the database cannot store');
    expect(rows[1]!.reason).toMatch(/^statement is not valid xAPI: result\.response: contains a lone UTF-16 surrogate/);
    for (const r of rows) expect(r.reason).not.toMatch(/secret|learner/);
    expect(JSON.parse(rows[0]!.payload)).toEqual(events[3]);

    const again = await run();
    expect(again.summary).toMatchObject({ read: 12, translated: 7, rejected: 5, added: 0, known: 7 });
    expect(await outboxCount()).toBe(7);
    const runs = (await t.database.query<{ status: string }>(`SELECT status FROM import_runs ORDER BY id`)).rows;
    expect(runs.map((r) => r.status)).toEqual(['finished', 'finished']);
  });

  it('splits a batch the database refuses until the refused statements are alone, and stores the rest', async () => {
    // A refusal the validator cannot foresee: the database's own constraint (SQLSTATE 23514).
    await t.database.query(`ALTER TABLE statement_outbox ADD CONSTRAINT no_poison CHECK (statement->'result'->>'response' IS DISTINCT FROM 'poison')`);
    const events = Array.from({ length: 10 }, (_, i) => answered(i + 1, [4, 5, 10].includes(i + 1) ? 'poison' : `answer-${i + 1}`));
    events.splice(6, 0, { ...playVideo(20), event_type: '/static/app.js', name: undefined }); // an ignored line 7
    await writeFile(log, ndjson(events));

    const { summary } = await run();
    expect(summary).toMatchObject({ read: 11, translated: 7, statements: 7, ignored: 1, ignoredBy: { 'not learning activity': 1 }, rejected: 3, added: 7, known: 0 });
    expect(summary.byType.problem_check).toEqual({ translated: 7, ignored: 0, rejected: 3 });
    expect(await outboxCount()).toBe(7);
    const rows = await rejectedRows();
    expect(rows.map((r) => [r.position, r.code])).toEqual([[`${log}:4`, 'unstorable'], [`${log}:5`, 'unstorable'], [`${log}:11`, 'unstorable']]);
    expect(rows[0]!.reason).toBe('cannot be stored: the database refused it: it holds a value that breaks a database constraint (SQLSTATE 23514)');
    expect(JSON.parse(rows[2]!.payload)).toEqual(events[10]);
    expect((await run()).summary).toMatchObject({ rejected: 3, added: 0, known: 7 });
  });

  it('keeps an unreadable line holding U+0000 in rejected_records, escaped, and an event type holding it in the run summary', async () => {
    const broken = '{"event_type": "problem_check", "username": "learner7\u0000';
    await writeFile(log, `${JSON.stringify(answered(1, 'a'))}\n${broken}\n${JSON.stringify({ ...playVideo(2), event_type: 'play\u0000video', name: undefined })}\n`);
    const { runId, summary } = await run();
    expect(summary).toMatchObject({ read: 3, translated: 1, rejected: 1, ignored: 1, added: 1 });
    const [row] = await rejectedRows();
    expect(row).toMatchObject({ position: `${log}:2`, code: 'unreadable', payload: broken.replace('\u0000', '\\u0000') });
    const stored = (await t.database.query<{ status: string; counts: { byType: Record<string, unknown> } }>(`SELECT status, counts FROM import_runs WHERE id = $1`, [runId])).rows[0]!;
    expect(stored.status).toBe('finished');
    expect(Object.keys(stored.counts.byType)).toContain('play\\u0000video');
  });

  it('with UNSTORABLE_TEXT=replace, stores U+FFFD in place of U+0000 and lone surrogates and counts it', async () => {
    await writeFile(log, ndjson([answered(1, 'a\u0000b'), answered(2, 'c\ud800'), answered(3, 'fine \ud83d\ude00')]));
    const { summary } = await run('replace');
    expect(summary).toMatchObject({ read: 3, translated: 3, rejected: 0, added: 3, replaced: 2 });
    const responses = (await t.database.query<{ r: string }>(`SELECT statement->'result'->>'response' AS r FROM statement_outbox ORDER BY statement->>'timestamp'`)).rows.map((x) => x.r);
    expect(responses).toEqual(['a\ufffdb', 'c\ufffd', 'fine \ud83d\ude00']);
  });
});
