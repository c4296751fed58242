import { describe, expect, it } from 'vitest';
import { CodedError, isCoded } from '../src/errors.js';

describe('coded errors', () => {
  it('carry their code, the offending field and the cause without showing it', () => {
    const cause = new Error('socket hang up');
    const err = new CodedError('invalid', 'verb.id is not an IRI', { field: 'verb.id', cause });
    expect(err.code).toBe('invalid');
    expect(err.field).toBe('verb.id');
    expect(err.message).toBe('verb.id is not an IRI');
    expect(err.cause).toBe(cause);
    expect(err.members).toEqual({});
  });

  it('are told apart by code', () => {
    const err = new CodedError('unavailable', 'the database is unavailable', { retryAfterSeconds: 5 });
    expect(isCoded(err)).toBe(true);
    expect(isCoded(err, 'unavailable')).toBe(true);
    expect(isCoded(err, 'not-found')).toBe(false);
    expect(isCoded(new Error('x'))).toBe(false);
    expect(err.retryAfterSeconds).toBe(5);
  });
});
