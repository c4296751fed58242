// The statement rules that differ between xAPI 1.0.3 and 2.0 (xapi-2.0.md 1.3, 2.1, 2.3).
import { describe, expect, it } from 'vitest';
import { validateStatement, type XapiVersion } from '../../src/xapi/index.js';
import { minimalStatement, type Loose } from './fixtures.js';

const issuesOf = (statement: unknown, version: XapiVersion): Record<string, string> =>
  Object.fromEntries(validateStatement(statement, version).map((i) => [i.path, i.message]));

const patched = (patch: Loose): Loose => ({ ...minimalStatement(), ...patch });
const ann = { mbox: 'mailto:ann@example.org' };
const team = { objectType: 'Group', account: { homePage: 'https://example.org', name: 'team-1' } };
const withContext = (context: Loose): Loose => patched({ context });

describe('contextAgents and contextGroups (x1, x2)', () => {
  const valid = withContext({
    contextAgents: [{ objectType: 'contextAgent', agent: ann, relevantTypes: ['https://example.org/roles/tutor'] }, { objectType: 'contextAgent', agent: ann }],
    contextGroups: [{ objectType: 'contextGroup', group: team }, { objectType: 'contextGroup', group: { objectType: 'Group', member: [ann] } }],
  });

  it('accepts them under 2.0 and refuses them as unknown properties under 1.0.3', () => {
    expect(issuesOf(valid, '2.0.0')).toEqual({});
    expect(issuesOf(valid, '1.0.3')).toEqual({
      'context.contextAgents': 'is not a property xAPI allows here',
      'context.contextGroups': 'is not a property xAPI allows here',
    });
  });

  it('accepts them in a SubStatement context under 2.0', () => {
    const object = { objectType: 'SubStatement', actor: ann, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' }, object: { id: 'https://example.org/a' }, context: { contextAgents: [{ objectType: 'contextAgent', agent: ann }] } };
    expect(issuesOf(patched({ object }), '2.0.0')).toEqual({});
  });

  it('refuses a wrong objectType, an extra key, an agent without one IFI, a Group in a group and empty relevantTypes', () => {
    expect(issuesOf(withContext({ contextAgents: [{ objectType: 'ContextAgent', agent: ann }] }), '2.0.0')).toEqual({
      'context.contextAgents[0].objectType': 'must be one of: contextAgent',
    });
    expect(issuesOf(withContext({ contextAgents: [{ objectType: 'contextAgent', agent: ann, role: 'x' }] }), '2.0.0')).toEqual({
      'context.contextAgents[0].role': 'is not a property xAPI allows here',
    });
    expect(issuesOf(withContext({ contextAgents: [{ objectType: 'contextAgent', agent: { name: 'Ann' } }] }), '2.0.0')).toEqual({
      'context.contextAgents[0].agent': 'must have one inverse functional identifier: mbox, mbox_sha1sum, openid or account (2.4.2.1)',
    });
    const nested = { objectType: 'Group', member: [{ objectType: 'Group', member: [ann] }] };
    expect(issuesOf(withContext({ contextGroups: [{ objectType: 'contextGroup', group: nested }] }), '2.0.0')).toHaveProperty(['context.contextGroups[0].group.member[0].objectType']);
    expect(issuesOf(withContext({ contextGroups: [{ objectType: 'contextGroup', group: team, relevantTypes: [] }] }), '2.0.0')).toHaveProperty(['context.contextGroups[0].relevantTypes']);
    expect(issuesOf(withContext({ contextGroups: [{ objectType: 'contextGroup', group: team, relevantTypes: ['tutor'] }] }), '2.0.0')).toEqual({
      'context.contextGroups[0].relevantTypes[0]': 'must be an IRI with a scheme',
    });
  });
});

describe('version and timestamps (4.2.4.3, s19)', () => {
  it('accepts version 2.0.0 under 2.0 only, and the 1.0 line under both', () => {
    expect(issuesOf(patched({ version: '2.0.0' }), '2.0.0')).toEqual({});
    expect(issuesOf(patched({ version: '1.0' }), '2.0.0')).toEqual({});
    expect(issuesOf(patched({ version: '2.0.0' }), '1.0.3')).toEqual({ version: 'must be a 1.0.x version' });
    expect(issuesOf(patched({ version: '2.0.1' }), '2.0.0')).toEqual({ version: 'must be 1.0, a 1.0.x version or 2.0.0' });
  });

  it('accepts a space in place of T in a timestamp under 2.0 only, and -00:00 under neither', () => {
    expect(issuesOf(patched({ timestamp: '2024-03-01 09:30:00.250+00:00' }), '2.0.0')).toEqual({});
    expect(issuesOf(patched({ timestamp: '2024-03-01 09:30:00.250+00:00' }), '1.0.3')).toHaveProperty(['timestamp']);
    expect(issuesOf(patched({ timestamp: '2024-03-01 09:30:00-00:00' }), '2.0.0')).toHaveProperty(['timestamp']);
    expect(issuesOf(patched({ timestamp: '0000-03-01 09:30:00Z' }), '2.0.0')).toHaveProperty(['timestamp']);
  });
});
