import { describe, expect, it } from 'vitest';
import { ACTIVITY_TYPE, EXT, GATEWAY_EXTENSION_BASE, PROFILE, VERB, validateStatement } from '../../src/xapi/index.js';

const actor = { mbox: 'mailto:a@example.com' };
const object = { id: 'http://example.com/a' };

describe('vocabulary', () => {
  it('has verbs that each make a valid statement', () => {
    for (const verb of Object.values(VERB)) {
      const statement = verb === VERB.voided
        ? { actor, verb, object: { objectType: 'StatementRef', id: 'e05aa883-acaf-40ad-bf54-02c8ce485fb0' } }
        : { actor, verb, object };
      expect(validateStatement(statement), verb.id).toEqual([]);
    }
  });

  it('has activity types and profiles that each make a valid statement', () => {
    for (const type of Object.values(ACTIVITY_TYPE)) {
      const statement = { actor, verb: VERB.experienced, object: { ...object, definition: { type: type.id, name: type.name } } };
      expect(validateStatement(statement), type.id).toEqual([]);
    }
    const withProfile = { actor, verb: VERB.played, object, context: { contextActivities: { category: [PROFILE.video] } } };
    expect(validateStatement(withProfile)).toEqual([]);
  });

  it('has extension IRIs that are valid extension keys', () => {
    const extensions = Object.fromEntries(Object.values(EXT).map((iri) => [iri, 1]));
    expect(validateStatement({ actor, verb: VERB.played, object, result: { extensions }, context: { extensions } })).toEqual([]);
  });

  it('has no IRI twice', () => {
    const verbIds = Object.values(VERB).map((v) => v.id);
    const typeIds = Object.values(ACTIVITY_TYPE).map((t) => t.id);
    const extIds = Object.values(EXT);
    for (const ids of [verbIds, typeIds, extIds]) expect(new Set(ids).size).toBe(ids.length);
  });

  it('puts the gateway extensions under the gateway base', () => {
    for (const key of ['moduleIndex', 'itemType', 'sessionId', 'sourceType'] as const) {
      expect(EXT[key].startsWith(GATEWAY_EXTENSION_BASE)).toBe(true);
    }
  });
});
