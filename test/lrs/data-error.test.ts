import { describe, expect, it } from 'vitest';
import { isDataError } from '../../src/db/errors.js';
import { dataErrorReason } from '../../src/lrs/data-error.js';

const pgError = (code: string, message = 'refused') => Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('telling a refused row from an unavailable database', () => {
  it.each([
    ['22P05', true], ['22P02', true], ['22008', true], ['23505', true], ['23514', true], ['54001', true],
    ['08006', false], ['08001', false], ['57P01', false], ['57P03', false], ['53300', false], ['42P01', false],
  ])('SQLSTATE %s is a data error: %s', (code, data) => {
    expect(isDataError(pgError(code))).toBe(data);
  });

  it('counts socket errors and errors without a SQLSTATE as unavailability', () => {
    expect(isDataError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isDataError(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isDataError(undefined)).toBe(false);
  });

  it('words the reason by SQLSTATE, never quoting the message with the value', () => {
    const err = pgError('22P02', 'invalid input syntax for type uuid: "learner@example.org"');
    expect(dataErrorReason(err)).not.toContain('learner');
    expect(dataErrorReason(pgError('22999'))).toBe('the database refused it: it holds a value the database refuses (SQLSTATE 22999)');
  });
});
