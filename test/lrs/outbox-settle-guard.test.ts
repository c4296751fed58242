import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox, type Settlement } from '../../src/lrs/outbox.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { makeStatements } from '../support/statements.js';

// Every way a sender settles its rows, each of which must leave a row alone once another sender holds it.
const settlements: [string, Settlement][] = [
  ['sent', { state: 'sent' }],
  ['dead', { state: 'dead', reason: '400 late verdict' }],
  ['conflict', { state: 'conflict', reason: '409 late verdict' }],
  ['retry', { state: 'retry', reason: 'LRS answered 503' }],
];

describe.each(DATABASE_KINDS)('outbox settle guard on %s', (kind) => {
  let t: TestDatabase;
  let outbox: Outbox;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    outbox = new Outbox(t.database, { baseMs: 1000, maxMs: 60_000, maxAttempts: 5 });
  });
  afterEach(() => t.drop());

  // A lease runs out by an UPDATE rather than by waiting for it.
  const expireLeases = () => t.database.query('UPDATE statement_outbox SET lease_expires_at = now() - interval \'1 second\'');

  async function rows() {
    const { rows } = await t.database.query<{ id: string; state: string; lease_owner: string | null; last_error: string | null }>(
      'SELECT id::text AS id, state, lease_owner, last_error FROM statement_outbox ORDER BY id',
    );
    return rows;
  }

  it.each(settlements)('a sender whose lease expired cannot settle rows another sender has claimed since (%s)', async (_name, settlement) => {
    await outbox.enqueue(makeStatements(4, 'guard'), 'test');
    const late = await outbox.claim('late-sender', 4, 30);
    await expireLeases();
    const taken = await outbox.claim('new-sender', 4, 30);
    expect(taken.map((r) => r.id).sort()).toEqual(late.map((r) => r.id).sort());

    await outbox.settle('late-sender', late, settlement);
    expect(await rows()).toEqual(late.map((r) => ({ id: r.id, state: 'pending', lease_owner: 'new-sender', last_error: null })).sort((a, b) => a.id.localeCompare(b.id)));

    // The sender that holds the rows settles them as usual.
    await outbox.settle('new-sender', taken, { state: 'sent' });
    expect((await outbox.status()).counts).toMatchObject({ pending: 0, sent: 4 });
  });

  it('a sender whose lease expired cannot release rows another sender has claimed since', async () => {
    await outbox.enqueue(makeStatements(3, 'release'), 'test');
    const late = await outbox.claim('late-sender', 3, 30);
    await expireLeases();
    await outbox.claim('new-sender', 3, 30);
    await outbox.release('late-sender', late);
    const { rows: held } = await t.database.query<{ lease_owner: string; attempts: number }>('SELECT lease_owner, attempts FROM statement_outbox');
    expect(held).toEqual(Array.from({ length: 3 }, () => ({ lease_owner: 'new-sender', attempts: 2 })));
  });

  it('a sender whose lease expired cannot overwrite rows another sender has already settled', async () => {
    await outbox.enqueue(makeStatements(2, 'settled'), 'test');
    const late = await outbox.claim('late-sender', 2, 30);
    await expireLeases();
    const taken = await outbox.claim('new-sender', 2, 30);
    await outbox.settle('new-sender', taken, { state: 'conflict', reason: '409 another statement has this id' });
    await outbox.settle('late-sender', late, { state: 'sent' });
    expect((await outbox.status()).counts).toMatchObject({ sent: 0, conflict: 2 });
  });

  it('a sender whose lease expired still settles its rows when nobody claimed them since', async () => {
    await outbox.enqueue(makeStatements(2, 'unclaimed'), 'test');
    const late = await outbox.claim('late-sender', 2, 30);
    await expireLeases();
    await outbox.settle('late-sender', late, { state: 'sent' });
    expect((await outbox.status()).counts).toMatchObject({ pending: 0, sent: 2 });
  });
});
