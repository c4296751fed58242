import { describe, expect, it } from 'vitest';
import { CELL_WORDS, cellFields, FieldError, jsonFields, type FieldDialect, type Fields } from '../../src/xapi/fields.js';

const CELLS: FieldDialect = { text: true, time: (v) => (/^\d{4}-\d\d-\d\d$/.test(v) ? `${v}T00:00:00.000Z` : undefined), words: CELL_WORDS };
const JSON_VALUES: FieldDialect = {
  text: false,
  time: (v) => (/^\d{4}-\d\d-\d\dT/.test(v) ? new Date(v).toISOString() : undefined),
  words: { missing: 'absent, null or empty', text: 'is not a string', number: 'is not a number', count: 'is not a whole number from 0', bool: 'is not true or false', time: 'is not an ISO 8601 time' },
};

const row = (cells: Record<string, string>, names?: ReadonlyMap<string, string>) =>
  cellFields(new Map(Object.keys(cells).map((name, i) => [name, i])), Object.values(cells), CELLS, { nulls: ['\\N'], trim: true, ...(names && { names }) });

/** The rejection a read throws. */
function rejection(read: () => unknown) {
  try {
    read();
  } catch (err) {
    if (err instanceof FieldError) return err.rejection;
    throw err;
  }
  throw new Error('the read was accepted');
}

describe('the one field reader', () => {
  it('reads typed values from CSV cells, trimmed, with empty and \\N cells absent', () => {
    const f = row({ name: ' Ada ', n: '2.5', c: '7', ok: 'T', at: '2026-09-14', none: '\\N', empty: '' });
    expect([f.req('name'), f.num('n'), f.count('c'), f.bool('ok'), f.reqTime('at')]).toEqual(['Ada', 2.5, 7, true, '2026-09-14T00:00:00.000Z']);
    expect([f.opt('none'), f.opt('empty'), f.opt('missing'), f.count('empty'), f.time('empty')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect([f.has('empty'), f.has('missing')]).toEqual([true, false]);
    expect(f.all()).toMatchObject({ name: ' Ada ', none: '\\N' });
  });

  it.each<[string, (f: Fields) => unknown, object]>([
    ['a required cell is empty', (f) => f.req('empty'), { code: 'missing_field', field: 'empty', detail: 'empty' }],
    ['a number is not one', (f) => f.num('word'), { code: 'bad_value', field: 'word', detail: 'is not a number' }],
    ['a whole number has decimals', (f) => f.int('half'), { code: 'bad_value', field: 'half', detail: 'is not a whole number' }],
    ['a count is negative', (f) => f.count('negative'), { code: 'bad_value', field: 'negative', detail: 'is not a whole number' }],
    ['a grade is above 1', (f) => f.fraction('two'), { code: 'bad_value', field: 'two', detail: 'is not between 0 and 1' }],
    ['a boolean is neither', (f) => f.bool('word'), { code: 'bad_value', field: 'word', detail: 'is neither true nor false' }],
    ['a timestamp is none', (f) => f.time('word'), { code: 'bad_value', field: 'word', detail: 'is not a timestamp' }],
  ])('rejects a cell when %s, naming the column', (_, read, expected) => {
    const f = row({ empty: '', word: 'maybe', half: '1.5', negative: '-1', two: '2' });
    expect(rejection(() => read(f))).toEqual(expected);
  });

  it('names a logical column by its header', () => {
    const f = row({ '<user>_user_id': '' }, new Map([['<user>_user_id', 'erasmus_user_id']]));
    expect(rejection(() => f.req('<user>_user_id'))).toMatchObject({ field: 'erasmus_user_id' });
  });

  it('reads JSON values by their type, absent flags as false, nested objects with their path', () => {
    const f = jsonFields({ s: 'x', n: 3, on: true, none: null, at: '2013-05-21T17:24:53Z', sub: { level: 'mastery1' }, list: [1] }, JSON_VALUES);
    expect([f.req('s'), f.reqCount('n'), f.flag('on'), f.flag('none'), f.reqTime('at'), f.reqObj('sub').req('level'), f.list('list'), f.list('none')])
      .toEqual(['x', 3, true, false, '2013-05-21T17:24:53.000Z', 'mastery1', [1], []]);
    expect(f.keys()).toEqual(['s', 'n', 'on', 'none', 'at', 'sub', 'list']);
  });

  it.each<[string, (f: Fields) => unknown, object]>([
    ['a required value is null', (f) => f.req('none'), { code: 'missing_field', field: 'none', detail: 'absent, null or empty' }],
    ['a text is a number', (f) => f.opt('n'), { code: 'bad_value', field: 'n', detail: 'is not a string' }],
    ['a count is text', (f) => f.count('s'), { code: 'bad_value', field: 's', detail: 'is not a whole number from 0' }],
    ['a flag is text', (f) => f.flag('s'), { code: 'bad_value', field: 's', detail: 'is not true or false' }],
    ['a time is not ISO 8601', (f) => f.time('s'), { code: 'bad_value', field: 's', detail: 'is not an ISO 8601 time' }],
    ['an object is a list', (f) => f.obj('list'), { code: 'bad_value', field: 'list', detail: 'is not an object' }],
    ['a list is an object', (f) => f.list('sub'), { code: 'bad_value', field: 'sub', detail: 'is not an array' }],
    ['a nested value is missing', (f) => f.reqObj('sub').req('level'), { code: 'missing_field', field: 'sub.level', detail: 'absent, null or empty' }],
  ])('rejects a JSON value when %s, naming its path', (_, read, expected) => {
    const f = jsonFields({ s: '5', n: 5, none: null, list: [], sub: {} }, JSON_VALUES);
    expect(rejection(() => read(f))).toEqual(expected);
  });
});
