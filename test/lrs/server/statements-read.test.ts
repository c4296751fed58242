import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { realistic, sid, useLrs } from './lrs-app.js';
import { tickingClock } from '../../support/clock.js';

const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const ann = { objectType: 'Agent', account: { homePage: 'https://courses.example.org', name: 'ann' } };
const teacher = { objectType: 'Agent', mbox: 'mailto:Teacher@Example.org' };

const ids = (body: { statements: { id: string }[] }): string[] => body.statements.map((s) => s.id);

describe.each(DATABASE_KINDS)('reading statements from the embedded LRS on %s', (kind) => {
  // `stored` times come from this clock: a later batch is made later at once, without waiting.
  const clock = tickingClock();
  const lrs = useLrs(kind, { now: clock.now });

  const query = async (params: Record<string, string>) => {
    const res = await lrs.get(`/xapi/statements?${new URLSearchParams(params)}`).expect(200);
    return ids(res.body).sort();
  };

  it('returns a statement by id with Last-Modified and Consistent-Through, and 404 for an unknown id', async () => {
    await lrs.post('/xapi/statements', realistic(1)).expect(200);
    const res = await lrs.get(`/xapi/statements?statementId=${sid(1).toUpperCase()}`).expect(200);
    expect(res.body.actor).toEqual(realistic(1).actor);
    expect(res.body.object).toEqual(realistic(1).object);
    expect(new Date(res.headers['last-modified']!).getTime()).toBe(Math.floor(Date.parse(res.body.stored) / 1000) * 1000);
    expect(Date.parse(res.headers['x-experience-api-consistent-through']!)).toBeGreaterThanOrEqual(Date.parse(res.body.stored) - 1);
    await lrs.get(`/xapi/statements?statementId=${sid(2)}`).expect(404);
  });

  it('answers HEAD like GET without a body', async () => {
    await lrs.post('/xapi/statements', realistic(1)).expect(200);
    const res = await lrs.head(`/xapi/statements?statementId=${sid(1)}`).expect(200);
    expect(res.headers['last-modified']).toBeDefined();
    expect(res.headers['x-experience-api-consistent-through']).toBeDefined();
    expect(res.text ?? '').toBe('');
    await lrs.head(`/xapi/statements?statementId=${sid(2)}`).expect(404);
  });

  it('hides a voided statement from queries and statementId, and serves it by voidedStatementId only', async () => {
    await lrs.post('/xapi/statements', [realistic(1), realistic(2)]).expect(200);
    const voiding = {
      id: sid(3),
      actor: { mbox: 'mailto:admin@example.org' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      object: { objectType: 'StatementRef', id: sid(1) },
    };
    await lrs.post('/xapi/statements', voiding).expect(200);
    expect(await query({})).toEqual([sid(2), sid(3)]);
    await lrs.get(`/xapi/statements?statementId=${sid(1)}`).expect(404);
    expect((await lrs.get(`/xapi/statements?voidedStatementId=${sid(1)}`).expect(200)).body.id).toBe(sid(1));
    await lrs.get(`/xapi/statements?voidedStatementId=${sid(2)}`).expect(404);
    expect((await lrs.get(`/xapi/statements?statementId=${sid(3)}`).expect(200)).body.id).toBe(sid(3));
  });

  it('filters by agent as actor, as object and as group member, and by related agents through the instructor', async () => {
    const { context: _context, ...plain } = realistic(2);
    const asObject = { ...plain, object: { ...ann } };
    const inGroup = { ...realistic(3), actor: { objectType: 'Group', name: 'team', member: [ann, teacher] } };
    const taught = { ...realistic(4), context: { instructor: { ...ann } } };
    await lrs.post('/xapi/statements', [realistic(1, { learner: 'ann' }), asObject, inGroup, taught, realistic(5)]).expect(200);
    expect(await query({ agent: JSON.stringify(ann) })).toEqual([sid(1), sid(2), sid(3)]);
    expect(await query({ agent: JSON.stringify(ann), related_agents: 'true' })).toEqual([sid(1), sid(2), sid(3), sid(4)]);
    // The e-mail domain is case-insensitive.
    expect(await query({ agent: JSON.stringify({ mbox: 'mailto:Teacher@example.ORG' }) })).toEqual([sid(3)]);
    // The authority is a related agent.
    const authority = { account: { homePage: 'urn:xapi-gateway', name: 'flusher' } };
    expect(await query({ agent: JSON.stringify(authority) })).toEqual([]);
    expect(await query({ agent: JSON.stringify(authority), related_agents: 'true' })).toHaveLength(5);
  });

  it('filters by verb and by registration', async () => {
    const registration = 'f1c2a3b4-0000-4000-8000-00000000abcd';
    await lrs.post('/xapi/statements', [
      realistic(1, { verb: COMPLETED }),
      realistic(2, { registration }),
      realistic(3, { verb: COMPLETED, registration }),
    ]).expect(200);
    expect(await query({ verb: COMPLETED })).toEqual([sid(1), sid(3)]);
    expect(await query({ registration })).toEqual([sid(2), sid(3)]);
    expect(await query({ registration: registration.toUpperCase(), verb: COMPLETED })).toEqual([sid(3)]);
  });

  it('filters by activity as object, and by related activities through the context parent', async () => {
    const course = 'https://courses.example.org/courses/course-v1:Org+C2+2024';
    await lrs.post('/xapi/statements', [
      realistic(1, { activity: course }),
      realistic(2, { parent: course }),
      realistic(3),
    ]).expect(200);
    expect(await query({ activity: course })).toEqual([sid(1)]);
    expect(await query({ activity: course, related_activities: 'true' })).toEqual([sid(1), sid(2)]);
  });

  it('filters by stored time with since (exclusive) and until (inclusive)', async () => {
    await lrs.post('/xapi/statements', [realistic(1), realistic(2)]).expect(200);
    clock.advance(5);
    await lrs.post('/xapi/statements', realistic(3)).expect(200);
    const first = (await lrs.get(`/xapi/statements?statementId=${sid(1)}`).expect(200)).body.stored as string;
    expect(await query({ since: first })).toEqual([sid(3)]);
    expect(await query({ until: first })).toEqual([sid(1), sid(2)]);
    // The same instant in another zone, with digits beyond the millisecond.
    const sameInstant = new Date(Date.parse(first) + 2 * 3600_000).toISOString().replace('Z', '999+02:00');
    expect(await query({ until: sameInstant })).toEqual([sid(1), sid(2)]);
  });

  it('orders by stored, newest first unless ascending', async () => {
    for (const n of [1, 2, 3]) {
      await lrs.post('/xapi/statements', realistic(n)).expect(200);
      clock.advance(3);
    }
    expect(ids((await lrs.get('/xapi/statements').expect(200)).body)).toEqual([sid(3), sid(2), sid(1)]);
    expect(ids((await lrs.get('/xapi/statements?ascending=true').expect(200)).body)).toEqual([sid(1), sid(2), sid(3)]);
  });

  for (const ascending of [false, true]) {
    it(`pages with more through every statement exactly once while others are stored (ascending=${ascending})`, async () => {
      let n = 0;
      for (const size of [4, 1, 7, 3, 6]) {
        await lrs.post('/xapi/statements', Array.from({ length: size }, () => realistic(++n))).expect(200);
      }
      const expected = Array.from({ length: n }, (_, i) => sid(i + 1));
      const seen: string[] = [];
      let res = await lrs.get(`/xapi/statements?limit=5&ascending=${ascending}`).expect(200);
      let pages = 1;
      for (;;) {
        seen.push(...ids(res.body));
        expect(res.body.statements.length).toBeLessThanOrEqual(5);
        // Statements stored between page fetches are not part of this query.
        await lrs.post('/xapi/statements', [realistic(1000 + pages), realistic(2000 + pages)]).expect(200);
        if (res.body.more === '') break;
        expect(res.body.more).toMatch(/^\/xapi\/statements\?more=[\w-]+\.[\w-]+$/);
        res = await lrs.get(res.body.more).expect(200);
        pages++;
      }
      expect(pages).toBe(5);
      expect(seen).toEqual(ascending ? expected : [...expected].reverse());
    });
  }

  it('treats limit=0 as the server maximum of 500 and keeps the filter across pages', async () => {
    const batch = Array.from({ length: 502 }, (_, i) => realistic(i + 1, { verb: i % 2 === 0 ? COMPLETED : undefined }));
    await lrs.post('/xapi/statements', batch).expect(200);
    const all = await lrs.get('/xapi/statements?limit=0').expect(200);
    expect(all.body.statements).toHaveLength(500);
    expect((await lrs.get(all.body.more).expect(200)).body.statements).toHaveLength(2);
    const completed = await lrs.get(`/xapi/statements?verb=${encodeURIComponent(COMPLETED)}&limit=200`).expect(200);
    const next = await lrs.get(completed.body.more).expect(200);
    expect(next.body.statements).toHaveLength(51);
    expect(next.body.statements.every((s: { verb: { id: string } }) => s.verb.id === COMPLETED)).toBe(true);
    expect(next.body.more).toBe('');
  });

  it('refuses with 400 unknown, repeated, malformed or conflicting parameters', async () => {
    const bad = [
      'Verb=http://x.org/v',
      'verb=http://x.org/v&verb=http://x.org/w',
      'verb=not an iri',
      `statementId=${sid(1)}&voidedStatementId=${sid(2)}`,
      `statementId=${sid(1)}&verb=http://x.org/v`,
      'statementId=12',
      'agent={"mbox":',
      `agent=${encodeURIComponent(JSON.stringify({ name: 'no ifi' }))}`,
      `agent=${encodeURIComponent(JSON.stringify({ objectType: 'Group', member: [ann] }))}`,
      `agent=${encodeURIComponent(JSON.stringify({ mbox: 'ann@example.org' }))}`,
      'since=yesterday',
      'until=2024-01-01',
      'limit=-1',
      'limit=ten',
      'ascending=yes',
      'registration=abc',
      'format=full',
      'more=bm90IGEgdG9rZW4',
      'more=x&limit=3',
    ];
    for (const q of bad) {
      const res = await lrs.get(`/xapi/statements?${q}`);
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
    }
    await lrs.get(`/xapi/statements?statementId=${sid(1)}&format=exact&attachments=false`).expect(404);
  });

  it('refuses methods the Statement Resource does not have with 405', async () => {
    const res = await lrs.delete('/xapi/statements').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD, PUT, POST');
  });
});
