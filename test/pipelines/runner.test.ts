import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodedError } from '../../src/errors.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { runPipeline, translateSecret, type Pipeline, type SourceItem, type Translation } from '../../src/pipelines/runner.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { makeStatement } from '../support/statements.js';

/** A platform record of the test: what its translator should make of it. */
type Row = { n: number; makes: 'statement' | 'two' | 'nothing' | 'wrong' | 'invalid' };

const FILE = 'exports/day1.csv';

/** Every kind of source item, each at its own line: read, unreadable, skipped by the source. */
const ITEMS: SourceItem<Row>[] = [
  { at: `${FILE}:2`, type: 'video', record: { n: 1, makes: 'statement' } },
  { at: `${FILE}:3`, type: 'video', payload: 'raw,line,3', rejection: { code: 'unreadable', detail: 'not CSV' } },
  { at: `${FILE}:4`, type: 'quiz', record: { n: 4, makes: 'two' } },
  { at: `${FILE}:5`, type: 'page', ignored: true },
  { at: `${FILE}:6`, type: 'page', record: { n: 6, makes: 'nothing' } },
  { at: `${FILE}:7`, type: 'quiz', record: { n: 7, makes: 'wrong' } },
  { at: `${FILE}:8`, type: 'video', record: { n: 8, makes: 'invalid' } },
];

function translate(r: Row): Translation {
  switch (r.makes) {
    case 'statement':
      return { statements: [makeStatement(`runner-${r.n}`, r.n)] };
    case 'two':
      return { statements: [makeStatement(`runner-${r.n}a`, r.n), makeStatement(`runner-${r.n}b`, r.n)] };
    case 'nothing':
      return { ignored: true, reason: 'not learning activity' };
    case 'wrong':
      return { rejection: { code: 'missing_field', field: 'user_id', detail: 'empty' } };
    case 'invalid': {
      // A verb without its id: the statement fails validation.
      const invalid = { ...makeStatement(`runner-${r.n}`, r.n), verb: { display: { 'en-US': 'played' } } };
      return { statements: [invalid] };
    }
  }
}

const pipeline = (): Pipeline<Row> => ({ source: ITEMS, translate, payloadOf: (r) => JSON.stringify(r) });

const EXPECTED = {
  read: 7,
  translated: 2,
  statements: 3,
  ignored: 2,
  rejected: 3,
  byType: {
    video: { translated: 1, ignored: 0, rejected: 2 },
    quiz: { translated: 1, ignored: 0, rejected: 1 },
    page: { translated: 0, ignored: 2, rejected: 0, ignoredBy: { 'not learning activity': 1 } },
  },
  ignoredBy: { 'not learning activity': 1 },
  errors: [
    { at: `${FILE}:3`, reason: 'cannot be read: not CSV' },
    { at: `${FILE}:7`, reason: 'missing field user_id: empty' },
    { at: `${FILE}:8`, reason: expect.stringMatching(/^statement is not valid xAPI: .*verb/) },
  ],
};

describe('the pipeline runner as NDJSON', () => {
  it('writes the statements of good records, one per line, and counts every record by type without a database', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const summary = await runPipeline(pipeline(), { out });
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(lines.map((s) => s.id)).toEqual([makeStatement('runner-1').id, makeStatement('runner-4a').id, makeStatement('runner-4b').id]);
    expect(summary).toEqual(EXPECTED);
  });

  it('shows its progress off a terminal as a log line of the records read when it ends', async () => {
    const lines: string[] = [];
    const log = new PassThrough();
    log.on('data', (c: Buffer) => lines.push(...c.toString('utf8').trim().split('\n')));
    await runPipeline(pipeline(), { out: new PassThrough().resume() }, { what: 'rows read', logger: pino({ level: 'info' }, log) });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(expect.objectContaining({ progress: 'rows read', done: 7, msg: 'progress done' }));
  });
});

describe('the pseudonym key of translate', () => {
  it('is PSEUDONYM_SECRET, and without it a setup error with the one-line reason', () => {
    expect(translateSecret({ pseudonymSecret: 'k' })).toBe('k');
    const err = (() => {
      try {
        return translateSecret({ pseudonymSecret: undefined });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toMatchObject({ code: 'setup', message: 'PSEUDONYM_SECRET is not set: translate touches no database, so the pseudonym key must be given' });
  });
});

describe.each(DATABASE_KINDS)('the pipeline runner into the outbox on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(kind);
  });
  afterEach(async () => {
    await t.drop();
  });

  const sink = () => ({ database: t.database, outbox: new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 }), source: 'test', input: FILE });

  it('enqueues the good statements, stores each rejected record at its position with its payload, and keeps the run with its summary', async () => {
    const progress: number[] = [];
    const { runId, summary } = await runPipeline(pipeline(), sink(), { onProgress: (s) => progress.push(s.read) });
    expect(summary).toEqual({ ...EXPECTED, added: 3, known: 0 });
    expect(progress.at(-1)).toBe(7);

    const outbox = await t.database.query<{ id: string; source: string }>('SELECT id, source FROM statement_outbox ORDER BY id');
    expect(outbox.rows.map((r) => r.id).sort()).toEqual([makeStatement('runner-1').id, makeStatement('runner-4a').id, makeStatement('runner-4b').id].sort());
    const rejected = await t.database.query<{ position: string; code: string; payload: string | null; run_id: number }>(
      'SELECT position, code, payload, run_id FROM rejected_records ORDER BY position',
    );
    expect(rejected.rows).toEqual([
      { position: `${FILE}:3`, code: 'unreadable', payload: 'raw,line,3', run_id: runId },
      // A record its translator rejects is kept as the source's text, else as `payloadOf` gives it.
      { position: `${FILE}:7`, code: 'missing_field', payload: JSON.stringify({ n: 7, makes: 'wrong' }), run_id: runId },
      { position: `${FILE}:8`, code: 'invalid_statement', payload: null, run_id: runId },
    ]);
    const [run] = (await t.database.query<{ source: string; input: string; status: string; counts: unknown }>('SELECT source, input, status, counts FROM import_runs WHERE id = $1', [runId])).rows;
    expect(run).toEqual({ source: 'test', input: FILE, status: 'finished', counts: { ...EXPECTED, errors: summary.errors, added: 3, known: 0 } });
  });

  it('adds nothing the second time the same source runs', async () => {
    await runPipeline(pipeline(), sink());
    const { summary } = await runPipeline(pipeline(), sink());
    expect(summary).toMatchObject({ statements: 3, added: 0, known: 3 });
  });
});
