import { describe, expect, it } from 'vitest';
import { statementText } from '../../src/xapi/statement-text.js';
import { validateBuiltStatement } from '../../src/xapi/validate-built.js';
import { minimalStatement } from './fixtures.js';

describe('the text of a statement', () => {
  it('is its JSON, written once: validation and the writers share it', () => {
    const statement = minimalStatement();
    const text = statementText(statement);
    expect(text).toBe(JSON.stringify(statement));
    // Taken once: a later change is not seen, which is why statements are not changed once written.
    (statement as Record<string, unknown>).timestamp = '2026-03-01T00:00:00Z';
    expect(statementText(statement)).toBe(text);
  });

  it('is what a built statement is checked on, and a new statement gets its own', () => {
    const statement = { ...minimalStatement(), actor: { objectType: 'Agent', account: { homePage: 'https://lms.example.org', name: 'p' } }, object: { id: 'https://lms.example.org/a' } };
    expect(validateBuiltStatement(statement)).toEqual([]);
    expect(statementText(statement)).toBe(JSON.stringify(statement));
    const bad = { ...statement, result: { response: 'a\u0000' } };
    expect(validateBuiltStatement(bad).map((i) => i.path)).toEqual(['result.response']);
  });
});
