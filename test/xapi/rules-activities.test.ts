// MUST rules of activities, language maps, extensions, results, context and attachments.
import { describe, expect, it } from 'vitest';
import { validateStatement } from '../../src/xapi/index.js';
import { fullStatement, minimalStatement, withObject, type Loose } from './fixtures.js';

const issuesOf = (statement: unknown): Record<string, string> =>
  Object.fromEntries(validateStatement(statement).map((i) => [i.path, i.message]));

const patched = (patch: Loose): Loose => ({ ...minimalStatement(), ...patch });
const withDefinition = (definition: Loose): Loose => withObject({ id: 'http://example.com/q', definition });

describe('interaction activities (2.4.4.1)', () => {
  it('refuses component lists the interactionType does not support', () => {
    expect(issuesOf(withDefinition({ interactionType: 'true-false', choices: [{ id: 'a' }] }))).toEqual({
      'object.definition.choices': 'is not allowed for interactionType true-false: it has no component lists (2.4.4.1)',
    });
    expect(issuesOf(withDefinition({ interactionType: 'likert', choices: [{ id: 'a' }] }))).toEqual({
      'object.definition.choices': 'is not allowed for interactionType likert: it allows scale (2.4.4.1)',
    });
  });

  it('requires interactionType when interaction properties are used', () => {
    expect(issuesOf(withDefinition({ correctResponsesPattern: ['a'] }))).toEqual({
      'object.definition.interactionType': 'is required when interaction properties are used (2.4.4.1)',
    });
  });

  it('refuses an unknown interactionType', () => {
    expect(issuesOf(withDefinition({ interactionType: 'essay' }))).toHaveProperty(['object.definition.interactionType']);
  });

  it('requires distinct component ids within a list', () => {
    const choices = [{ id: 'a' }, { id: 'b' }, { id: 'a' }];
    expect(issuesOf(withDefinition({ interactionType: 'choice', choices }))).toEqual({
      'object.definition.choices[2].id': 'must be distinct within its list (2.4.4.1)',
    });
  });

  it('requires a non-empty id on each component', () => {
    expect(issuesOf(withDefinition({ interactionType: 'matching', source: [{ description: { en: 'x' } }], target: [{ id: '' }] }))).toEqual({
      'object.definition.source[0].id': 'is required',
      'object.definition.target[0].id': 'must not be empty',
    });
  });

  it('refuses true-false response patterns other than true and false', () => {
    expect(issuesOf(withDefinition({ interactionType: 'true-false', correctResponsesPattern: ['yes'] }))).toHaveProperty([
      'object.definition.correctResponsesPattern[0]',
    ]);
  });

  it('checks interactions in context activities too', () => {
    const context = { contextActivities: { parent: [{ id: 'http://example.com/p', definition: { interactionType: 'numeric', steps: [] } }] } };
    expect(issuesOf(patched({ context }))).toHaveProperty(['context.contextActivities.parent[0].definition.steps']);
  });

  it('requires activity ids and types to be IRIs', () => {
    expect(issuesOf(withObject({ id: 'quiz-1', definition: { type: 'question', moreInfo: 'info' } }))).toEqual({
      'object.id': 'must be an IRI with a scheme',
      'object.definition.type': 'must be an IRI with a scheme',
      'object.definition.moreInfo': 'must be an IRI with a scheme',
    });
    const context = { contextActivities: { parent: [{ id: 'http://example.com/p' }, { id: 'p2' }] } };
    expect(issuesOf(patched({ context }))).toEqual({ 'context.contextActivities.parent[1].id': 'must be an IRI with a scheme' });
  });
});

describe('language maps and extensions (4.1, 4.2)', () => {
  it('requires language map keys to be RFC 5646 tags and values strings', () => {
    expect(issuesOf(withObject({ id: 'http://example.com/a', definition: { name: { en_US: 'x', fr: 3 } } }))).toEqual({
      'object.definition.name.en_US': 'key must be an RFC 5646 language tag',
      'object.definition.name.fr': 'must be a string',
    });
  });

  it('requires extension keys to be IRIs, wherever extensions are', () => {
    const statement = patched({
      object: { id: 'http://example.com/a', definition: { extensions: { difficulty: 1 } } },
      result: { extensions: { 'http://example.com/ok': 1, time: 2 } },
      context: { extensions: { 'session id': 'x' } },
    });
    expect(issuesOf(statement)).toEqual({
      'object.definition.extensions.difficulty': 'key must be an IRI',
      'result.extensions.time': 'key must be an IRI',
      'context.extensions["session id"]': 'key must be an IRI',
    });
  });

  it('refuses extensions that are not a map', () => {
    expect(issuesOf(patched({ result: { extensions: ['http://example.com/x'] } }))).toEqual({
      'result.extensions': 'must be an object',
    });
  });
});

describe('results (2.4.5)', () => {
  it('refuses a scaled score outside -1..1', () => {
    expect(issuesOf(patched({ result: { score: { scaled: 1.5 } } }))).toEqual({ 'result.score.scaled': 'must be <= 1' });
    expect(issuesOf(patched({ result: { score: { scaled: -2 } } }))).toEqual({ 'result.score.scaled': 'must be >= -1' });
  });

  it('refuses a raw score outside min..max', () => {
    expect(issuesOf(patched({ result: { score: { raw: 11, min: 0, max: 10 } } }))).toEqual({
      'result.score.raw': 'must not be greater than max (2.4.5.1)',
    });
    expect(issuesOf(patched({ result: { score: { raw: -1, min: 0 } } }))).toEqual({
      'result.score.raw': 'must not be less than min (2.4.5.1)',
    });
  });

  it('refuses a min that is not less than max', () => {
    expect(issuesOf(patched({ result: { score: { min: 10, max: 10 } } }))).toEqual({
      'result.score.max': 'must be greater than min (2.4.5.1)',
    });
  });

  it('accepts fractional seconds in a duration and refuses malformed ones', () => {
    expect(issuesOf(patched({ result: { duration: 'PT4.5S' } }))).toEqual({});
    expect(issuesOf(patched({ result: { duration: '4.5 seconds' } }))).toEqual({
      'result.duration': 'must be an ISO 8601 duration such as PT4.5S',
    });
  });
});

describe('context (2.4.6)', () => {
  it('refuses revision and platform when the object is an Agent or Group', () => {
    const message = 'must only be used when the object is an Activity (2.4.6)';
    const statement = withObject({ objectType: 'Agent', mbox: 'mailto:a@example.com' });
    statement.context = { revision: 'r1', platform: 'LMS' };
    expect(issuesOf(statement)).toEqual({ 'context.revision': message, 'context.platform': message });
    statement.object = { objectType: 'Group', member: [{ mbox: 'mailto:a@example.com' }] };
    expect(issuesOf(statement)).toEqual({ 'context.revision': message, 'context.platform': message });
  });

  it('refuses revision with a StatementRef object', () => {
    const statement = withObject({ objectType: 'StatementRef', id: 'e05aa883-acaf-40ad-bf54-02c8ce485fb0' });
    statement.context = { revision: 'r1' };
    expect(issuesOf(statement)).toHaveProperty(['context.revision']);
  });

  it('requires a UUID registration and an RFC 5646 language', () => {
    expect(issuesOf(patched({ context: { registration: 'r-1', language: 'English (US)' } }))).toEqual({
      'context.registration': 'must be a UUID in standard string form',
      'context.language': 'must be an RFC 5646 language tag',
    });
  });

  it('requires context.statement to be a StatementRef', () => {
    expect(issuesOf(patched({ context: { statement: { id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee' } } }))).toEqual({
      'context.statement.objectType': 'is required',
    });
  });
});

describe('attachments (2.4.11, 2.6)', () => {
  it('requires usageType, display, contentType, length and sha2', () => {
    expect(issuesOf(patched({ attachments: [{ fileUrl: 'https://example.com/f' }] }))).toEqual({
      'attachments[0].usageType': 'is required',
      'attachments[0].display': 'is required',
      'attachments[0].contentType': 'is required',
      'attachments[0].length': 'is required',
      'attachments[0].sha2': 'is required',
    });
  });

  it('requires an integer length, a media type and a hex SHA-2', () => {
    const s = fullStatement();
    Object.assign(s.attachments[0], {
      usageType: 'http://example.com/attachment-usage/certificate', length: 12.5, contentType: 'pdf', sha2: 'abc',
    });
    expect(issuesOf(s)).toEqual({
      'attachments[0].length': 'must be an integer',
      'attachments[0].contentType': 'must be an Internet media type',
      'attachments[0].sha2': 'must be a hex SHA-2 hash',
    });
  });

  it('requires application/octet-stream for a signature attachment', () => {
    const s = fullStatement();
    s.attachments[0].contentType = 'application/json';
    expect(issuesOf(s)).toEqual({
      'attachments[0].contentType': 'must be application/octet-stream for a signature (2.6)',
    });
  });
});
