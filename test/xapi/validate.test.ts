import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_TYPE,
  EXT,
  PROFILE,
  VERB,
  accountActor,
  formatIssues,
  isValidStatement,
  pseudonym,
  statementId,
  validateStatement,
  validateStatements,
  type Statement,
} from '../../src/xapi/index.js';
import { fullStatement, minimalStatement, withObject } from './fixtures.js';

describe('valid statements', () => {
  it('accepts a statement that uses every property', () => {
    expect(validateStatement(fullStatement())).toEqual([]);
  });

  it('accepts the minimal statement of the spec (2.4.s2)', () => {
    expect(validateStatement(minimalStatement())).toEqual([]);
  });

  it('accepts an account actor built from a pseudonym', () => {
    const actor = accountActor('https://courses.edx.org', pseudonym('secret', '12345'));
    expect(validateStatement({ ...minimalStatement(), actor })).toEqual([]);
  });

  it('accepts a video played statement with profile extensions', () => {
    const statement: Statement = {
      id: statementId('edx', 'event-1:played'),
      actor: accountActor('https://courses.edx.org', pseudonym('secret', '12345')),
      verb: VERB.played,
      object: {
        objectType: 'Activity',
        id: 'https://courses.edx.org/xblock/block-v1:MITx+6.00x+2T2024+type@video+block@intro',
        definition: { type: ACTIVITY_TYPE.video.id, name: { en: 'Introduction' } },
      },
      result: { extensions: { [EXT.videoTime]: 12.48 } },
      context: {
        contextActivities: {
          parent: [{ id: 'https://courses.edx.org/courses/course-v1:MITx+6.00x+2T2024', definition: { type: ACTIVITY_TYPE.course.id } }],
          category: [PROFILE.video],
        },
        extensions: { [EXT.videoSessionId]: 'f1d2', [EXT.videoLength]: 315.2, [EXT.sourceType]: 'play_video' },
      },
      timestamp: '2024-03-01T12:00:00.123Z',
    };
    expect(validateStatement(statement)).toEqual([]);
  });

  it('accepts a cmi.interaction choice question answered with a result', () => {
    const statement = {
      ...minimalStatement(),
      verb: VERB.answered,
      object: {
        id: 'https://www.coursera.org/learn/ml/quiz/q1',
        definition: {
          type: ACTIVITY_TYPE.cmiInteraction.id,
          interactionType: 'choice',
          correctResponsesPattern: ['b'],
          choices: [{ id: 'a', description: { en: 'Overfitting' } }, { id: 'b', description: { en: 'Underfitting' } }],
        },
      },
      result: { response: 'a', success: false, score: { scaled: 0, raw: 0, min: 0, max: 1 }, duration: 'PT1M2.25S' },
    };
    expect(validateStatement(statement)).toEqual([]);
  });

  it('accepts every object type: Agent, Group, StatementRef and SubStatement', () => {
    const objects = [
      { objectType: 'Agent', mbox: 'mailto:other@example.com' },
      { objectType: 'Group', member: [{ openid: 'https://openid.example.com/a' }] },
      { objectType: 'StatementRef', id: '8f87ccde-bb56-4c2e-ab83-44982ef22df0' },
      { objectType: 'SubStatement', ...minimalStatement(), timestamp: '2030-01-01T00:00:00+02:00' },
    ];
    for (const object of objects) expect(validateStatement(withObject(object))).toEqual([]);
  });

  it('accepts a single Activity as a contextActivities value (2.4.6.2.s4.b2)', () => {
    const statement = { ...minimalStatement(), context: { contextActivities: { parent: { id: 'http://example.com/a' } } } };
    expect(validateStatement(statement)).toEqual([]);
  });

  it('accepts each interaction type with the component lists it supports', () => {
    const lists: Record<string, string[]> = {
      choice: ['choices'], sequencing: ['choices'], likert: ['scale'], matching: ['source', 'target'],
      performance: ['steps'], 'true-false': [], 'fill-in': [], 'long-fill-in': [], numeric: [], other: [],
    };
    for (const [interactionType, keys] of Object.entries(lists)) {
      const definition = Object.fromEntries([['interactionType', interactionType], ...keys.map((k) => [k, [{ id: 'x' }]])]);
      expect(validateStatement(withObject({ id: 'http://example.com/q', definition })), interactionType).toEqual([]);
    }
  });
});

describe('validation API', () => {
  it('reports a wrong mbox as one issue, not one per schema branch', () => {
    const statement = { ...minimalStatement(), actor: { mbox: 'learner@example.com' } };
    expect(validateStatement(statement)).toEqual([{ path: 'actor.mbox', message: 'must be a mailto: IRI' }]);
  });

  it('reports every issue of a statement at once', () => {
    const statement = { actor: { mbox: 'bob@example.com' }, verb: { id: 'created' }, object: { id: 'http://example.com/a' } };
    expect(formatIssues(validateStatement(statement))).toBe(
      'actor.mbox: must be a mailto: IRI; verb.id: must be an IRI with a scheme',
    );
  });

  it('says what is wrong with a value that is not a statement', () => {
    expect(validateStatement('statement')).toEqual([{ path: '', message: 'must be an object' }]);
    expect(formatIssues(validateStatement(null))).toBe('(statement): must not be null');
    expect(validateStatement({}).map((i) => i.path)).toEqual(['actor', 'verb', 'object']);
  });

  it('narrows the type of a valid statement with isValidStatement', () => {
    const value: unknown = minimalStatement();
    expect(isValidStatement(value)).toBe(true);
    expect(isValidStatement({ ...minimalStatement(), verb: {} })).toBe(false);
  });

  it('reports the issues of a batch by index, leaving out valid statements', () => {
    const bad = { ...minimalStatement(), id: 'not-a-uuid' };
    expect(validateStatements([minimalStatement(), bad, fullStatement()])).toEqual([
      { index: 1, issues: [{ path: 'id', message: 'must be a UUID in standard string form' }] },
    ]);
    expect(validateStatements([])).toEqual([]);
  });

  it('quotes keys that are not identifiers in paths', () => {
    const statement = { ...minimalStatement(), verb: { id: 'http://example.com/v', display: { 'en US': 'x' } } };
    expect(validateStatement(statement)).toEqual([
      { path: 'verb.display["en US"]', message: 'key must be an RFC 5646 language tag' },
    ]);
  });

  it('formats no issues as an empty string', () => {
    expect(formatIssues([])).toBe('');
  });
});
