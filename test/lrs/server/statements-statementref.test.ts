import { describe, expect, it } from 'vitest';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { realistic, sid, useLrs } from './lrs-app.js';
import { tickingClock } from '../../support/clock.js';

const PASSED = 'http://adlnet.gov/expapi/verbs/passed';
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
const TRAINING = 'https://courses.example.org/explosives-training';
const registration = 'f1c2a3b4-0000-4000-8000-00000000abcd';
const ben = { objectType: 'Agent', account: { homePage: 'https://courses.example.org', name: 'ben' } };
const andrew = { mbox: 'mailto:andrew@example.org' };

/** "Andrew confirmed <target>" (Communication 2.1.3.s3's example). */
const confirming = (n: number, target: string, verb = 'http://example.org/verbs/confirmed') => ({
  id: sid(n),
  actor: andrew,
  verb: { id: verb },
  object: { objectType: 'StatementRef', id: target },
});

describe.each(DATABASE_KINDS)('filters and statements targeting statements in the embedded LRS on %s', (kind) => {
  // `stored` times come from this clock: a later batch is made later at once, without waiting.
  const clock = tickingClock();
  const lrs = useLrs(kind, { now: clock.now });

  const query = async (params: Record<string, string>) => {
    const res = await lrs.get(`/xapi/statements?${new URLSearchParams(params)}`).expect(200);
    return (res.body.statements as { id: string }[]).map((s) => s.id).sort();
  };
  const passed = () => ({ ...realistic(1, { learner: 'ben', verb: PASSED, activity: TRAINING, registration }), actor: ben });

  it('returns statements targeting a match for every filter but time and limit (Communication 2.1.3.s3)', async () => {
    await lrs.post('/xapi/statements', [passed(), confirming(2, sid(1)), realistic(3), confirming(4, sid(3))]).expect(200);
    expect(await query({ agent: JSON.stringify(ben) })).toEqual([sid(1), sid(2)]);
    expect(await query({ verb: PASSED })).toEqual([sid(1), sid(2)]);
    expect(await query({ activity: TRAINING })).toEqual([sid(1), sid(2)]);
    expect(await query({ registration })).toEqual([sid(1), sid(2)]);
    expect(await query({ agent: JSON.stringify(ben), verb: PASSED, activity: TRAINING })).toEqual([sid(1), sid(2)]);
    // The targeting statement's own content matches too.
    expect(await query({ agent: JSON.stringify(andrew) })).toEqual([sid(2), sid(4)]);
    expect(await query({})).toHaveLength(4);
  });

  it('follows chains of references, whatever the order the statements arrived in', async () => {
    await lrs.post('/xapi/statements', confirming(3, sid(2))).expect(200);
    await lrs.post('/xapi/statements', [passed(), confirming(2, sid(1))]).expect(200);
    // A cycle of references ends.
    await lrs.post('/xapi/statements', [confirming(5, sid(6)), confirming(6, sid(5))]).expect(200);
    expect(await query({ verb: PASSED })).toEqual([sid(1), sid(2), sid(3)]);
  });

  it('applies since and until to the targeting statement, not to its target', async () => {
    await lrs.post('/xapi/statements', passed()).expect(200);
    clock.advance(5);
    await lrs.post('/xapi/statements', confirming(2, sid(1))).expect(200);
    const first = (await lrs.get(`/xapi/statements?statementId=${sid(1)}`).expect(200)).body.stored as string;
    expect(await query({ verb: PASSED, since: first })).toEqual([sid(2)]);
    expect(await query({ verb: PASSED, until: first })).toEqual([sid(1)]);
  });

  it('returns the voiding statement of a voided match, but not the voided statement', async () => {
    await lrs.post('/xapi/statements', [passed(), confirming(2, sid(1), VOIDED), confirming(3, sid(1))]).expect(200);
    expect(await query({ verb: PASSED })).toEqual([sid(2), sid(3)]);
    expect(await query({ agent: JSON.stringify(ben) })).toEqual([sid(2), sid(3)]);
    expect(await query({ verb: VOIDED })).toEqual([sid(2)]);
  });

  it('ignores StatementRefs in context.statement', async () => {
    const withContext = { ...realistic(2), context: { statement: { objectType: 'StatementRef', id: sid(1) } } };
    await lrs.post('/xapi/statements', [passed(), withContext]).expect(200);
    expect(await query({ verb: PASSED })).toEqual([sid(1)]);
  });

  for (const ascending of [false, true]) {
    it(`pages through matches and targeting statements exactly once (ascending=${ascending})`, async () => {
      const expected: string[] = [];
      for (let n = 1; n <= 12; n += 3) {
        const target = { ...realistic(n, { verb: PASSED }) };
        await lrs.post('/xapi/statements', [target, realistic(n + 1), confirming(n + 2, sid(n))]).expect(200);
        expected.push(sid(n), sid(n + 2));
        clock.advance(2);
      }
      const seen: string[] = [];
      let res = await lrs.get(`/xapi/statements?verb=${encodeURIComponent(PASSED)}&limit=3&ascending=${ascending}`).expect(200);
      for (;;) {
        seen.push(...(res.body.statements as { id: string }[]).map((s) => s.id));
        if (res.body.more === '') break;
        res = await lrs.get(res.body.more).expect(200);
      }
      expect(seen).toHaveLength(expected.length);
      expect([...seen].sort()).toEqual([...expected].sort());
    });
  }

  it('returns targeting statements through the in-process query as well', async () => {
    await lrs.post('/xapi/statements', [passed(), confirming(2, sid(1))]).expect(200);
    const page = await new EmbeddedStatementQuery(lrs.database).page({ verb: PASSED });
    expect(page.statements.map((s) => s.id).sort()).toEqual([sid(1), sid(2)]);
  });
});
