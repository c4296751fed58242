import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outbox } from '../../src/lrs/outbox.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { makeStatements } from '../support/statements.js';
import { consoleApp, signedIn } from './console-app.js';

const REFUSED = 'the LRS refused the statement (400): bad verb';
const GAVE_UP = 'gave up after 5 attempts: unreachable';
const CONFLICT = 'the LRS holds another statement with this id';

/** 60 rows: 52 dead of REFUSED, 3 dead of GAVE_UP, 2 conflict, 3 pending; returns the ids by reason. */
async function seed(outbox: Outbox): Promise<Record<string, string[]>> {
  await outbox.enqueue(makeStatements(60, 'console'), 'test');
  const rows = await outbox.claim('seed', 57, 60);
  const groups = { [REFUSED]: rows.slice(0, 52), [GAVE_UP]: rows.slice(52, 55), [CONFLICT]: rows.slice(55, 57) };
  await outbox.settle('seed', groups[REFUSED]!, { state: 'dead', reason: REFUSED });
  await outbox.settle('seed', groups[GAVE_UP]!, { state: 'dead', reason: GAVE_UP });
  await outbox.settle('seed', groups[CONFLICT]!, { state: 'conflict', reason: CONFLICT });
  return Object.fromEntries(Object.entries(groups).map(([reason, claimed]) => [reason, claimed.map((r) => r.id)]));
}

/** The statement ids listed on a page of the flow. */
const listedIds = (html: string): string[] => [...html.matchAll(/name="id" value="([^"]+)"/g)].map((m) => m[1]!);

describe.each(DATABASE_KINDS)('the console\'s outbox page on %s', (kind) => {
  let t: TestDatabase;
  let ids: Record<string, string[]>;
  let outbox: Outbox;
  let signed: Awaited<ReturnType<typeof signedIn>>;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    const made = consoleApp(t.database);
    outbox = made.outbox;
    ids = await seed(outbox);
    signed = await signedIn(made.app);
  });
  afterEach(() => t.drop());

  it('shows the outbox by state, its reasons and a chart of the hour the rows were made and settled in', async () => {
    const page = await signed.agent.get('/console/outbox').expect(200);
    for (const [label, n] of [['Pending', 3], ['Dead', 55], ['Conflict', 2]] as const) expect(page.text).toContain(`<dt>${label}</dt><dd>${n}</dd>`);
    expect(page.text).toContain(`Requeue all 52</button>`);
    // Summed over the hours: seeding may cross the turn of an hour.
    const charted = (metric: string) => [...page.text.matchAll(new RegExp(`data-metric="${metric}" data-value="(\\d+)"`, 'g'))].reduce((n, m) => n + Number(m[1]), 0);
    expect({ created: charted('created'), dead: charted('dead'), conflict: charted('conflict'), sent: charted('sent') }).toEqual({ created: 60, dead: 55, conflict: 2, sent: 0 });
    expect(page.text).toContain('<th scope="col">Reason</th>');
  });

  it('lists failed rows 50 a page, and filters them by state and by reason', async () => {
    const first = await signed.agent.get('/console/outbox').expect(200);
    expect(listedIds(first.text)).toHaveLength(50);
    expect(first.text).toContain('rel="next"');
    const second = await signed.agent.get('/console/outbox?page=2').expect(200);
    expect(listedIds(second.text)).toHaveLength(7);
    expect(new Set([...listedIds(first.text), ...listedIds(second.text)]).size).toBe(57);
    const conflicts = await signed.agent.get('/console/outbox?state=conflict').expect(200);
    expect(listedIds(conflicts.text).sort()).toEqual([...ids[CONFLICT]!].sort());
    const gaveUp = await signed.agent.get('/console/outbox').query({ reason: GAVE_UP }).expect(200);
    expect(listedIds(gaveUp.text).sort()).toEqual([...ids[GAVE_UP]!].sort());
  });

  it('requeues one row, the selected rows, and all rows of a reason', async () => {
    const one = await signed.agent.post('/console/outbox/requeue').type('form').send(`csrf=${signed.csrf}&id=${ids[GAVE_UP]![1]}&one=${ids[CONFLICT]![0]}`).expect(303);
    expect(one.headers.location).toBe('/console/outbox?requeued=1');
    expect((await outbox.status()).counts).toMatchObject({ pending: 4, conflict: 1, dead: 55 });
    await signed.agent.post('/console/outbox/requeue').type('form').send(`csrf=${signed.csrf}&id=${ids[GAVE_UP]![0]}&id=${ids[GAVE_UP]![1]}`).expect(303).expect('Location', '/console/outbox?requeued=2');
    expect((await outbox.status()).counts).toMatchObject({ pending: 6, dead: 53 });
    await signed.agent.post('/console/outbox/requeue').type('form').send({ csrf: signed.csrf, state: 'dead', reason: REFUSED }).expect(303).expect('Location', '/console/outbox?requeued=52');
    expect((await outbox.status()).counts).toMatchObject({ pending: 58, dead: 1, conflict: 1 });
    const after = await signed.agent.get('/console/outbox?requeued=52').expect(200);
    expect(after.text).toContain('52 statement(s) put back to pending');
  });

  it('answers a bad field with the page\'s 400 naming the field, and changes nothing', async () => {
    const bad = await signed.agent.get('/console/outbox?state=sent').expect(400);
    expect(bad.text).toContain('state: must be one of dead, conflict');
    const badId = await signed.agent.post('/console/outbox/requeue').type('form').send({ csrf: signed.csrf, id: 'not-a-uuid' }).expect(400);
    expect(badId.text).toContain('id: must be statement ids (UUIDs)');
    await signed.agent.get('/console/outbox?page=0').expect(400);
    expect((await outbox.status()).counts).toMatchObject({ pending: 3, dead: 55, conflict: 2 });
  });
});
