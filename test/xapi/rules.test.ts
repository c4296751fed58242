// One test (at least) per MUST rule of xAPI 1.0.3 section 2, each naming the field path.
import { describe, expect, it } from 'vitest';
import { validateStatement } from '../../src/xapi/index.js';
import { fullStatement, minimalStatement, withObject, type Loose } from './fixtures.js';

/** The paths of the issues of a statement, each with its message. */
const issuesOf = (statement: unknown): Record<string, string> =>
  Object.fromEntries(validateStatement(statement).map((i) => [i.path, i.message]));

const patched = (patch: Loose): Loose => ({ ...minimalStatement(), ...patch });

describe('actors (2.4.2)', () => {
  it('refuses an Agent without an inverse functional identifier', () => {
    expect(issuesOf(patched({ actor: { name: 'Nobody' } }))).toEqual({
      actor: 'must have one inverse functional identifier: mbox, mbox_sha1sum, openid or account (2.4.2.1)',
    });
  });

  it('refuses an Agent with two inverse functional identifiers', () => {
    const actor = { mbox: 'mailto:a@example.com', account: { homePage: 'https://example.com', name: 'a' } };
    expect(issuesOf(patched({ actor }))).toEqual({
      actor: 'must have exactly one inverse functional identifier, not 2 (mbox, account) (2.4.2.1)',
    });
  });

  it('refuses an anonymous Group without members', () => {
    expect(issuesOf(patched({ actor: { objectType: 'Group', name: 'Ad hoc' } }))).toHaveProperty(['actor.member']);
  });

  it('refuses an identified Group with two identifiers', () => {
    const actor = { objectType: 'Group', mbox: 'mailto:g@example.com', openid: 'https://example.com/g' };
    expect(issuesOf(patched({ actor }))).toHaveProperty(['actor']);
  });

  it('refuses a Group inside a Group', () => {
    const actor = { objectType: 'Group', member: [{ objectType: 'Group', member: [{ mbox: 'mailto:a@example.com' }] }] };
    expect(issuesOf(patched({ actor }))).toEqual({
      'actor.member[0].objectType': 'must be Agent: a Group must not contain Groups (2.4.2.2)',
    });
  });

  it('checks the identifiers of Group members', () => {
    const actor = { objectType: 'Group', member: [{ mbox: 'mailto:a@example.com' }, { name: 'no id' }] };
    expect(issuesOf(patched({ actor }))).toHaveProperty(['actor.member[1]']);
  });

  it('refuses an mbox that is not a mailto: IRI', () => {
    expect(issuesOf(patched({ actor: { mbox: 'a@example.com' } }))).toEqual({ 'actor.mbox': 'must be a mailto: IRI' });
  });

  it('refuses an mbox_sha1sum that is not a hex SHA-1', () => {
    expect(issuesOf(patched({ actor: { mbox_sha1sum: 'xyz' } }))).toEqual({ 'actor.mbox_sha1sum': 'must be a hex SHA-1 hash' });
  });

  it('requires the homePage and name of an account, homePage an IRI', () => {
    expect(issuesOf(patched({ actor: { account: { homePage: 'example.com' } } }))).toEqual({
      'actor.account.homePage': 'must be an IRI with a scheme',
      'actor.account.name': 'is required',
    });
  });

  it('requires the context team to be a Group', () => {
    const context = { team: { mbox: 'mailto:t@example.com' } };
    expect(issuesOf(patched({ context }))).toEqual({ 'context.team.objectType': 'is required' });
  });

  it('checks the context instructor like an actor', () => {
    expect(issuesOf(patched({ context: { instructor: { objectType: 'Group' } } }))).toHaveProperty(['context.instructor.member']);
  });

  it('refuses an authority Group that does not have exactly two Agents (2.4.9)', () => {
    const member = [1, 2, 3].map((n) => ({ mbox: `mailto:m${n}@example.com` }));
    expect(issuesOf(patched({ authority: { objectType: 'Group', member } }))).toHaveProperty(['authority.member']);
  });
});

describe('statement properties', () => {
  it('requires actor, verb and object', () => {
    expect(issuesOf({ verb: { id: 'http://example.com/v' } })).toEqual({ actor: 'is required', object: 'is required' });
  });

  it('refuses an id that is not a UUID', () => {
    expect(issuesOf(patched({ id: '1234' }))).toEqual({ id: 'must be a UUID in standard string form' });
  });

  it('requires the verb id to be an IRI', () => {
    expect(issuesOf(patched({ verb: { id: 'answered' } }))).toEqual({ 'verb.id': 'must be an IRI with a scheme' });
    expect(issuesOf(patched({ verb: { display: { en: 'answered' } } }))).toEqual({ 'verb.id': 'is required' });
  });

  it('refuses a version that does not start with 1.0. (2.4.10)', () => {
    expect(issuesOf(patched({ version: '2.0.0' }))).toEqual({ version: 'must be a 1.0.x version' });
    expect(issuesOf(patched({ version: '1.0.3' }))).toEqual({});
  });

  it('refuses a timestamp without a time zone, or with -00:00', () => {
    const message = 'must be an ISO 8601 timestamp with a time zone (not -00:00)';
    expect(issuesOf(patched({ timestamp: '2024-01-01T10:00:00' }))).toEqual({ timestamp: message });
    expect(issuesOf(patched({ timestamp: '2024-01-01T10:00:00-00:00' }))).toEqual({ timestamp: message });
    expect(issuesOf(patched({ stored: '2024-02-30T10:00:00Z' }))).toEqual({ stored: message });
  });

  it('refuses null values outside extensions (2.2.s4.b1.b1)', () => {
    expect(issuesOf(patched({ result: { success: null } }))).toEqual({ 'result.success': 'must not be null' });
  });

  it('refuses values of the wrong type, such as a string for a boolean', () => {
    expect(issuesOf(patched({ result: { completion: 'true', score: { raw: '5' } } }))).toEqual({
      'result.completion': 'must be a boolean',
      'result.score.raw': 'must be a number',
    });
  });

  it('refuses unknown properties at every level', () => {
    const s = fullStatement();
    s.objectType = 'Statement';
    s.actor.nickname = 'x';
    s.verb.label = 'x';
    s.object.definition.title = 'x';
    s.object.definition.choices[0].label = 'x';
    s.result.grade = 'A';
    s.result.score.percent = 50;
    s.context.contextActivities.siblings = [];
    s.context.statement.note = 'x';
    s.context.instructor.account.email = 'x';
    s.attachments[0].Length = 1;
    expect(Object.keys(issuesOf(s)).sort()).toEqual([
      'actor.nickname', 'attachments[0].Length', 'context.contextActivities.siblings', 'context.instructor.account.email',
      'context.statement.note', 'object.definition.choices[0].label', 'object.definition.title', 'objectType',
      'result.grade', 'result.score.percent', 'verb.label',
    ]);
  });
});

describe('objects (2.4.4)', () => {
  it('refuses an unknown objectType', () => {
    expect(issuesOf(withObject({ objectType: 'Person', id: 'http://example.com/p' }))).toEqual({
      'object.objectType': 'must be one of: Activity, Agent, Group, StatementRef, SubStatement',
    });
  });

  it('requires objectType on an Agent object', () => {
    expect(issuesOf(withObject({ mbox: 'mailto:a@example.com' }))).toEqual({
      'object.objectType': 'is required when the object is an Agent or Group (2.4.4.2)',
    });
  });

  it('requires a StatementRef to carry a UUID id', () => {
    expect(issuesOf(withObject({ objectType: 'StatementRef', id: 'http://example.com/s' }))).toEqual({
      'object.id': 'must be a UUID in standard string form',
    });
    expect(issuesOf(withObject({ objectType: 'StatementRef' }))).toEqual({ 'object.id': 'is required' });
  });

  it('refuses id, stored, version and authority in a SubStatement (2.4.4.3)', () => {
    const sub = {
      objectType: 'SubStatement', ...minimalStatement(), id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0',
      stored: '2024-01-01T00:00:00Z', version: '1.0.0', authority: { mbox: 'mailto:a@example.com' },
    };
    const message = 'must not be used in a SubStatement (2.4.4.3)';
    expect(issuesOf(withObject(sub))).toEqual({
      'object.id': message, 'object.stored': message, 'object.version': message, 'object.authority': message,
    });
  });

  it('refuses a SubStatement inside a SubStatement', () => {
    const inner = { objectType: 'SubStatement', ...minimalStatement() };
    expect(issuesOf(withObject({ objectType: 'SubStatement', ...minimalStatement(), object: inner }))).toEqual({
      'object.object.objectType': 'must not be SubStatement: a SubStatement cannot contain one (2.4.4.3)',
    });
  });

  it('validates a SubStatement as a statement', () => {
    const sub = { objectType: 'SubStatement', actor: { mbox: 'nope' }, verb: { id: 'http://example.com/v' }, object: { id: 'x' } };
    expect(issuesOf(withObject(sub))).toEqual({
      'object.actor.mbox': 'must be a mailto: IRI',
      'object.object.id': 'must be an IRI with a scheme',
    });
  });

  it('refuses a voiding statement whose object is not a StatementRef (2.3.2)', () => {
    const statement = patched({ verb: { id: 'http://adlnet.gov/expapi/verbs/voided' } });
    expect(issuesOf(statement)).toHaveProperty(['object.objectType']);
    statement.object = { objectType: 'StatementRef', id: 'e05aa883-acaf-40ad-bf54-02c8ce485fb0' };
    expect(issuesOf(statement)).toEqual({});
  });
});
