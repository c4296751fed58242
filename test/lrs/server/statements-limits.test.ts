import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { holdsMoreItems } from '../../../src/lrs/server/statement-count.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { BASIC_AUTH, realistic, useLrs } from './lrs-app.js';

/** A statement that fails validation three ways: no actor, no object, a verb id that is no IRI. */
const invalid = { verb: { id: 'x' } };

const storedCount = async (lrs: ReturnType<typeof useLrs>) =>
  (await lrs.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM lrs_statements`)).rows[0]!.n;

describe.each(DATABASE_KINDS)('the statement cap of the embedded LRS on %s', (kind) => {
  const lrs = useLrs(kind, { maxStatements: 30 });

  it('refuses a POST of more statements than the cap with 413 naming it, before validating any; takes one at the cap', async () => {
    const over = await lrs.post('/xapi/statements', Array.from({ length: 31 }, () => invalid)).expect(413);
    expect(over.body.detail).toBe('a POST holds at most 30 statements (LRS_MAX_STATEMENTS): split it');
    await lrs.post('/xapi/statements', Array.from({ length: 31 }, (_, i) => realistic(i + 1))).expect(413);
    // Counted before parsing: the body is refused for its size even though it is not JSON to the end.
    const unparsed = `[${Array.from({ length: 31 }, () => '{"verb":{"id":"x, ]"}}').join(',')}, and then no JSON`;
    await lrs.post('/xapi/statements', unparsed).set('Content-Type', 'application/json').expect(413);
    // Through the alternate request syntax the body is parsed as a form field, and counted after.
    const form = new URLSearchParams({
      Authorization: BASIC_AUTH, 'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json', content: JSON.stringify(Array.from({ length: 31 }, () => invalid)),
    });
    await request(lrs.server).post('/xapi/statements?method=POST').type('form').send(form.toString()).expect(413);
    expect(await storedCount(lrs)).toBe(0);
    // At the cap: stored, or refused whole with the first 20 issues and a count of the rest.
    await lrs.post('/xapi/statements', Array.from({ length: 30 }, (_, i) => realistic(i + 1))).expect(200);
    expect(await storedCount(lrs)).toBe(30);
    const res = await lrs.post('/xapi/statements', Array.from({ length: 30 }, () => invalid)).expect(400);
    expect(res.body.detail).toMatch(/^statements\[0\]\.actor: /);
    expect(res.body.detail).toMatch(/; and 70 more issues$/);
  });
});

describe('counting the statements of a raw JSON body', () => {
  it.each([
    ['[]', 0],
    [' [ ] ', 0],
    ['{"actor":{}}', 1],
    ['[{"a":"x,y]}"},{"b":[1,2,{"c":"\\"}"}]}]', 2],
    ['[ 1 , "two" , [3, 4] , {"five": 5}, null ]', 5],
    ['[{"é, ü":"日本, 語"},{}]', 2],
  ])('counts %s as %i items', (body, items) => {
    const bytes = Buffer.from(body);
    expect(holdsMoreItems(bytes, items)).toBe(false);
    if (items > 0) expect(holdsMoreItems(bytes, items - 1)).toBe(true);
  });
});
