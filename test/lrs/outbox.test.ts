import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/lrs/outbox.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';

const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 3 };

function statements(n: number, offset = 0) {
  return Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i + offset).padStart(12, '0')}`,
    actor: { account: { homePage: 'https://x.org', name: `u\\${i}\t"q"` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object: { id: `https://x.org/a/${i}` },
  }));
}

describe.each(DATABASE_KINDS)('outbox on %s', (kind) => {
  let t: TestDatabase;
  let outbox: Outbox;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    outbox = new Outbox(t.database, policy);
  });
  afterEach(() => t.drop());

  it('adds new statements once and counts the known ones when enqueued again', async () => {
    expect(await outbox.enqueue(statements(1200), 'test')).toEqual({ added: 1200, known: 0 });
    expect(await outbox.enqueue(statements(1300), 'test')).toEqual({ added: 100, known: 1200 });
    expect((await outbox.status()).counts.pending).toBe(1300);
  });

  it('keeps the statement JSON exactly, escapes included', async () => {
    const [s] = statements(1);
    await outbox.enqueue([s!], 'test');
    const [row] = await outbox.claim('me', 10, 60);
    expect(JSON.parse(row!.json)).toEqual(s);
  });

  it('stores every statement of a batch but those the database refuses, reported by index without their values', async () => {
    const batch = statements(10);
    (batch[3]!.object as { id: string }).id = 'https://x.org/secret\u0000';
    (batch[7]!.actor.account as { name: string }).name = 'secret\ud800';
    const result = await outbox.enqueue(batch, 'test');
    expect(result).toEqual({
      added: 8,
      known: 0,
      refused: [
        { index: 3, reason: 'the database refused it: it holds text the database cannot store (U+0000 or an unsupported escape) (SQLSTATE 22P05)' },
        { index: 7, reason: 'the database refused it: it holds a value the database cannot read (e.g. a lone UTF-16 surrogate) (SQLSTATE 22P02)' },
      ],
    });
    expect((await outbox.status()).counts.pending).toBe(8);
    expect(await outbox.enqueue(statements(10), 'test')).toEqual({ added: 2, known: 8 });
  });
});
