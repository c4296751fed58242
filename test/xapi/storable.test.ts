import { describe, expect, it } from 'vitest';
import { escapeUnstorable, MAX_DEPTH, replaceUnstorable, storableIssues, validateStatement } from '../../src/xapi/index.js';
import { isStorable, isStorableJson } from '../../src/xapi/storable.js';
import { fullStatement, minimalStatement } from './fixtures.js';

/** An object nested `depth` levels deep: { a: { a: ... { a: 1 } } }. */
function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 1; i < depth; i++) {
    const child: Record<string, unknown> = {};
    node.a = child;
    node = child;
  }
  node.a = 1;
  return root;
}

const EXT = 'https://example.org/ext';

describe('values the database can store', () => {
  it('refuses U+0000 in a string, naming the field and not the value', () => {
    const issues = validateStatement({ ...minimalStatement(), result: { response: 'secret-answer\u0000' } });
    expect(issues).toEqual([{ path: 'result.response', message: 'contains the character U+0000, which the database cannot store' }]);
    expect(JSON.stringify(issues)).not.toContain('secret-answer');
  });

  it('refuses a lone surrogate, high or low, but takes a surrogate pair', () => {
    for (const text of ['a\ud800', '\udc00b', 'a\ud800b\ud83d\ude00']) {
      expect(validateStatement({ ...minimalStatement(), result: { response: text } })).toEqual([
        { path: 'result.response', message: expect.stringMatching(/lone UTF-16 surrogate/) },
      ]);
    }
    expect(validateStatement({ ...minimalStatement(), result: { response: 'ok \ud83d\ude00' } })).toEqual([]);
  });

  it('refuses U+0000 in a key, as the name of the field', () => {
    const issues = validateStatement({ ...minimalStatement(), result: { extensions: { [`${EXT}\u0000`]: 1 } } });
    expect(issues).toEqual([{ path: 'result.extensions["https://example.org/ext\\u0000"]', message: expect.stringMatching(/^has a name that contains the character U\+0000/) }]);
  });

  it('refuses a score of 1e400, which JSON.parse reads as Infinity', () => {
    const statement = JSON.parse(JSON.stringify({ ...minimalStatement(), result: { score: { raw: 5 } } }).replace('"raw":5', '"raw":1e400')) as unknown;
    expect(validateStatement(statement)).toEqual([{ path: 'result.score.raw', message: expect.stringMatching(/^must be a finite number/) }]);
  });

  it(`refuses an extension nested 5,000 deep without overflowing the stack, and takes ${MAX_DEPTH} levels`, () => {
    const deep = validateStatement({ ...minimalStatement(), result: { extensions: { [EXT]: nested(5000) } } });
    expect(deep).toHaveLength(1);
    expect(deep[0]!.message).toBe(`nests deeper than ${MAX_DEPTH} levels, more than can be stored`);
    expect(deep[0]!.path.startsWith('result.extensions["https://example.org/ext"].a.a')).toBe(true);
    // The statement itself is level 1, result 2, extensions 3.
    expect(validateStatement({ ...minimalStatement(), result: { extensions: { [EXT]: nested(MAX_DEPTH - 3) } } })).toEqual([]);
    expect(validateStatement({ ...minimalStatement(), result: { extensions: { [EXT]: nested(MAX_DEPTH - 2) } } })).toHaveLength(1);
  });

  it('refuses timestamps whose UTC instant falls outside years 1 to 9999', () => {
    const at = (timestamp: string) => validateStatement({ ...minimalStatement(), timestamp });
    expect(at('0000-01-01T00:00:00Z')).toEqual([{ path: 'timestamp', message: expect.stringMatching(/^must fall between 0001-01-01/) }]);
    expect(at('0001-01-01T00:30:00+01:00')).toHaveLength(1);
    expect(at('9999-12-31T23:00:00-05:00')).toHaveLength(1);
    expect(at('0000-12-31T23:00:00-05:00')).toEqual([]);
    expect(at('0001-01-01T00:00:00Z')).toEqual([]);
    expect(at('9999-12-31T23:59:59.999Z')).toEqual([]);
    const sub = fullStatement();
    sub.stored = '0000-06-01T00:00:00Z';
    expect(validateStatement(sub).map((i) => i.path)).toContain('stored');
  });

  it('lists at most 20 issues for a value full of bad strings', () => {
    const responses = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`${EXT}/${i}`, '\u0000']));
    expect(storableIssues({ result: { extensions: responses } })).toHaveLength(20);
  });

  it('replaces U+0000 and lone surrogates by U+FFFD, or escapes them, keeping pairs', () => {
    expect(replaceUnstorable('a\u0000b\ud800c\ud83d\ude00')).toBe('a\ufffdb\ufffdc\ud83d\ude00');
    expect(escapeUnstorable('a\u0000b\udc01')).toBe('a\\u0000b\\udc01');
    const plain = 'nothing to do';
    expect(replaceUnstorable(plain)).toBe(plain);
  });
});

describe('telling storability from the JSON text', () => {
  const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { n: nested(depth - 1) });
  const values: unknown[] = [
    fullStatement(),
    minimalStatement(),
    { response: 'a\u0000b' },
    { 'key\u0000': 1 },
    { response: '\ud800 alone' },
    { response: 'pair \ud83d\ude00 fine' },
    { response: 'written \\u0000 and \\ud800 as text' },
    { score: Infinity },
    { score: NaN },
    { list: [1, -Infinity] },
    { value: null, name: 'nullable' },
    nested(MAX_DEPTH - 1),
    nested(MAX_DEPTH),
    [nested(MAX_DEPTH + 5)],
  ];

  it.each(values.map((v, i) => [i, v]))('agrees with the walk on value %i', (_i, value) => {
    expect(isStorableJson(value, JSON.stringify(value))).toBe(isStorable(value));
  });

  it('refuses what the walk refuses, though the text hides it', () => {
    expect(isStorableJson({ score: Infinity }, JSON.stringify({ score: Infinity }))).toBe(false);
    expect(isStorableJson({ r: '\ud800' }, JSON.stringify({ r: '\ud800' }))).toBe(false);
    expect(isStorableJson(nested(MAX_DEPTH + 1), JSON.stringify(nested(MAX_DEPTH + 1)))).toBe(false);
  });
});

describe('the depth check of records', () => {
  it('finds nothing in a shallow record, and names the place of a deep one', () => {
    expect(storableIssues({ a: [{ b: 'x\u0000' }] }, { depthOnly: true })).toEqual([]);
    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_DEPTH + 1; i++) deep = [deep];
    const issues = storableIssues({ event: deep }, { depthOnly: true });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/nests deeper than/);
  });
});
