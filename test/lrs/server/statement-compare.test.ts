import { describe, expect, it } from 'vitest';
import { sameStatement } from '../../../src/lrs/server/statement-compare.js';
import type { Statement } from '../../../src/xapi/types.js';

const base = (): Statement => ({
  id: '00000000-0000-4000-8000-000000000001',
  actor: { mbox: 'mailto:Ann@Example.org' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
  object: { id: 'https://x.org/course', definition: { name: { 'en-US': 'Course' } } },
  context: {
    registration: 'abcdef00-0000-4000-8000-000000000001',
    contextActivities: { parent: [{ id: 'https://x.org/program' }] },
    extensions: { 'https://x.org/ext/a': 1, 'https://x.org/ext/b': { y: 2, x: 1 } },
  },
  result: { duration: 'PT1M', success: true },
  timestamp: '2024-05-01T10:00:00.000Z',
});

const stored = (): Statement => ({
  ...base(),
  stored: '2024-05-02T00:00:00.000Z',
  authority: { account: { homePage: 'urn:xapi-gateway', name: 'flusher' } },
  version: '1.0.0',
});

describe('statement comparison (Data 2.3.1)', () => {
  it('finds a statement equal to its stored form, whatever stored, authority and version say', () => {
    expect(sameStatement(base(), stored())).toBe(true);
  });

  it('compares timestamps as instants, and ignores a timestamp the LRS would have assigned', () => {
    expect(sameStatement({ ...base(), timestamp: '2024-05-01T12:00:00.0004+02:00' }, stored())).toBe(true);
    expect(sameStatement({ ...base(), timestamp: '2024-05-01T10:00:00.001Z' }, stored())).toBe(false);
    const { timestamp: _t, ...withoutTimestamp } = base();
    expect(sameStatement(withoutTimestamp, stored())).toBe(true);
  });

  it('ignores verb display and activity definitions, which are not part of the statement', () => {
    const other = base();
    other.verb = { id: other.verb.id, display: { 'de-DE': 'abgeschlossen' } };
    other.object = { id: 'https://x.org/course' };
    other.context!.contextActivities = { parent: [{ id: 'https://x.org/program', definition: { name: { en: 'P' } } }] };
    expect(sameStatement(other, stored())).toBe(true);
  });

  it('accepts a single context activity for an array of one', () => {
    const other = base();
    (other.context!.contextActivities as Record<string, unknown>).parent = { id: 'https://x.org/program' };
    expect(sameStatement(other, stored())).toBe(true);
  });

  it('ignores the case of e-mail domains, UUIDs and group member order, but not of the e-mail local part', () => {
    const other = base();
    other.actor = { mbox: 'mailto:Ann@EXAMPLE.ORG' };
    other.context!.registration = other.context!.registration!.toUpperCase();
    expect(sameStatement(other, stored())).toBe(true);
    expect(sameStatement({ ...base(), actor: { mbox: 'mailto:ann@example.org' } }, stored())).toBe(false);
    const group = (members: string[]) => ({
      ...base(),
      actor: { objectType: 'Group' as const, member: members.map((m) => ({ mbox: `mailto:${m}@x.org` })) },
    });
    expect(sameStatement(group(['a', 'b']), group(['b', 'a']))).toBe(true);
    expect(sameStatement(group(['a', 'b']), group(['a', 'c']))).toBe(false);
  });

  it('sees any other difference: actor, result duration as a string, extension values', () => {
    expect(sameStatement({ ...base(), actor: { mbox: 'mailto:Bob@example.org' } }, stored())).toBe(false);
    expect(sameStatement({ ...base(), result: { duration: 'PT60S', success: true } }, stored())).toBe(false);
    const other = base();
    other.context!.extensions = { 'https://x.org/ext/b': { x: 1, y: 2 }, 'https://x.org/ext/a': 1 };
    expect(sameStatement(other, stored())).toBe(true);
    other.context!.extensions = { 'https://x.org/ext/a': 2, 'https://x.org/ext/b': { x: 1, y: 2 } };
    expect(sameStatement(other, stored())).toBe(false);
  });

  it('compares durations to 0.01 s, truncating finer seconds (xAPI 2.0 s24, s25)', () => {
    const withDuration = (duration: string): Statement => ({ ...base(), result: { duration, success: true } });
    expect(sameStatement(withDuration('PT4.5183S'), { ...stored(), result: { duration: 'PT4.51S', success: true } })).toBe(true);
    expect(sameStatement(withDuration('PT4.5199S'), { ...stored(), result: { duration: 'PT4.52S', success: true } })).toBe(false);
  });

  it('compares context agents and groups by their canonical identifiers', () => {
    const withAgent = (mbox: string): Statement => ({ ...base(), context: { ...base().context, contextAgents: [{ objectType: 'contextAgent', agent: { mbox } }] } });
    expect(sameStatement(withAgent('mailto:Tutor@EXAMPLE.org'), { ...stored(), context: withAgent('mailto:Tutor@example.org').context! })).toBe(true);
    expect(sameStatement(withAgent('mailto:tutor@example.org'), { ...stored(), context: withAgent('mailto:Tutor@example.org').context! })).toBe(false);
  });
});
