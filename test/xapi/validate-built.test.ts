import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { validateBuiltStatement } from '../../src/xapi/validate-built.js';
import { validateStatement } from '../../src/xapi/validate.js';
import { FIXTURE_ROOT, fixtureEvents, translateRaw, type RawEvent } from '../translators/edx/fixtures.js';

// Values an event may hold where a rule expects a plain id, name or number.
const HOSTILE: unknown[] = ['', ' ', 'a b', 'x\u0000y', '\ud800', 'ünï cödé', '0000-01-01T00:00:00Z', -1, 1e308, 1e400, 2.5, 'NaN', null, true, [], {}];

/** Every raw event with one string or number leaf replaced by each hostile value. */
function* mutations(value: unknown): Generator<unknown> {
  if (typeof value !== 'object' || value === null) {
    yield* HOSTILE;
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    for (const m of mutations(child)) yield Array.isArray(value) ? value.map((v, i) => (String(i) === key ? m : v)) : { ...value, [key]: m };
  }
}

async function allFixtures(): Promise<RawEvent[]> {
  const families = (await readdir(FIXTURE_ROOT, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  const events: RawEvent[] = [];
  for (const family of families) events.push(...(await fixtureEvents(family)).values());
  return events;
}

describe('validating statements built by the edX rules', () => {
  it('finds what the full validator finds, on every fixture with any field made hostile', async () => {
    let statements = 0;
    for (const raw of await allFixtures()) {
      for (const mutated of [raw, ...mutations(raw)]) {
        const t = translateRaw(mutated);
        if (!('statements' in t)) continue;
        for (const s of t.statements) {
          statements++;
          // Round-tripped as the outbox stores it: what the rule built, less undefined members.
          // expect() only where the two differ: its deep comparison, run on every one of the
          // tens of thousands of statements, was a quarter of the test's time.
          const built = validateBuiltStatement(s);
          const full = validateStatement(s);
          if (JSON.stringify(built) !== JSON.stringify(full)) expect(built).toEqual(full);
        }
      }
    }
    expect(statements).toBeGreaterThan(1000);
  });

  it('refuses a statement whose input-built parts are wrong, with the full issues', async () => {
    const [raw] = await allFixtures();
    const t = translateRaw(raw);
    if (!('statements' in t)) throw new Error('the first fixture gives no statement');
    const s = t.statements[0]!;
    for (const broken of [
      { ...s, object: { ...s.object, id: 'not an iri' } },
      { ...s, timestamp: '0000-01-01T00:00:00.000000Z' },
      { ...s, result: { score: { raw: 3, min: 0, max: 2 } } },
      { ...s, result: { score: { scaled: 1.5 } } },
      { ...s, result: { duration: 'PT' } },
      { ...s, result: { response: 'a\u0000' } },
      { ...s, context: { ...s.context, contextActivities: { parent: [{ id: '/courses/x' }] } } },
      // The frame's MUST rules, which a rule's statement meets by construction.
      { ...s, actor: { ...s.actor, mbox: 'mailto:learner@example.org' } },
      { ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' } },
      { ...s, authority: { objectType: 'Group', member: [] } },
      { ...s, context: { ...s.context, instructor: { objectType: 'Agent' } } },
      { ...s, context: { ...s.context, contextActivities: { parent: { id: '/courses/x' } } } },
      // MUST rules on what input fills: an interaction's components.
      { ...s, object: { ...s.object, definition: { interactionType: 'choice', choices: [{ id: 'a' }, { id: 'a' }] } } },
      { ...s, object: { ...s.object, definition: { interactionType: 'true-false', correctResponsesPattern: ['yes'] } } },
      { ...s, context: { ...s.context, contextActivities: { parent: [{ id: 'https://x.org/a', definition: { choices: [] } }] } } },
    ]) {
      const issues = validateBuiltStatement(broken);
      expect(issues.length, JSON.stringify(broken)).toBeGreaterThan(0);
      expect(issues).toEqual(validateStatement(broken));
    }
  });
});
