import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { realistic, useLrs } from './lrs-app.js';

/** A statement that fails validation three ways: no actor, no object, a verb id that is no IRI. */
const invalid = { verb: { id: 'x' } };

const storedCount = async (lrs: ReturnType<typeof useLrs>) =>
  (await lrs.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM lrs_statements`)).rows[0]!.n;

describe.each(DATABASE_KINDS)('the statement cap of the embedded LRS on %s', (kind) => {
  const lrs = useLrs(kind, { maxStatements: 30 });

  it('refuses a POST of more statements than the cap with 413 naming it, before validating any; takes one at the cap', async () => {
    const over = await lrs.post('/xapi/statements', Array.from({ length: 31 }, () => invalid)).expect(413);
    expect(over.body.detail).toBe('a POST holds at most 30 statements (LRS_MAX_STATEMENTS); this one has 31: split it');
    await lrs.post('/xapi/statements', Array.from({ length: 31 }, (_, i) => realistic(i + 1))).expect(413);
    expect(await storedCount(lrs)).toBe(0);
    // At the cap: stored, or refused whole with the first 20 issues and a count of the rest.
    await lrs.post('/xapi/statements', Array.from({ length: 30 }, (_, i) => realistic(i + 1))).expect(200);
    expect(await storedCount(lrs)).toBe(30);
    const res = await lrs.post('/xapi/statements', Array.from({ length: 30 }, () => invalid)).expect(400);
    expect(res.body.detail).toMatch(/^statements\[0\]\.actor: /);
    expect(res.body.detail).toMatch(/; and 70 more issues$/);
  });
});
