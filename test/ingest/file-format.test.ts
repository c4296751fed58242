import { describe, expect, it } from 'vitest';
import { isCoded } from '../../src/errors.js';
import { jsonVerdict, SNIFF_LINES, sniffFormat, type LineVerdict } from '../../src/ingest/file-format.js';

const FORMAT = { name: 'a test log', expected: 'one JSON record per line' };
const hasKind = (value: Record<string, unknown>) => typeof value.kind === 'string';

/** Lines as a source, each judged as a JSON record with `kind`; null stands for a line the reader could not read. */
function source(lines: (string | null)[]) {
  const items = lines.map((text, i) => ({ n: String(i + 1), text }));
  return { iterator: items[Symbol.iterator](), verdict: (item: { n: string; text: string | null }): LineVerdict => (item.text === null ? undefined : jsonVerdict(item.text, item.n, 'a record', hasKind)) };
}

async function sniff(lines: (string | null)[]) {
  const { iterator, verdict } = source(lines);
  const asyncIterator: AsyncIterator<{ n: string; text: string | null }> = { next: async () => iterator.next() };
  return sniffFormat(asyncIterator, verdict, 'data.txt', FORMAT);
}

describe('sniffFormat', () => {
  it(`takes a file whose first fitting line is among the first ${SNIFF_LINES} counted, and returns the lines read`, async () => {
    const lines = [...Array.from({ length: SNIFF_LINES - 1 }, () => 'noise'), '{"kind":"a"}', '{"kind":"b"}'];
    expect((await sniff(lines)).map((l) => l.n)).toEqual(Array.from({ length: SNIFF_LINES }, (_, i) => String(i + 1)));
  });

  it('refuses a file whose first counted lines all miss, naming it, the first line\'s problem and the format', async () => {
    const lines = ['[1, 2]', ...Array.from({ length: SNIFF_LINES - 1 }, () => 'noise'), '{"kind":"late"}'];
    const err: unknown = await sniff(lines).catch((e: unknown) => e);
    expect(isCoded(err, 'invalid')).toBe(true);
    expect((err as Error).message).toBe('data.txt is not a test log: line 1 is not a record (expected one JSON record per line)');
  });

  it('does not count lines the reader could not read, and takes a file with no counted line', async () => {
    expect(await sniff([null, null, '{"kind":"a"}'])).toHaveLength(3);
    expect(await sniff([null])).toHaveLength(1);
    expect(await sniff([])).toEqual([]);
    await expect(sniff([null, 'not json'])).rejects.toThrow('data.txt is not a test log: line 2 is not JSON (expected one JSON record per line)');
  });

  it('never quotes the text of a line', async () => {
    await expect(sniff(['{"email": "learner@example.org"}', 'secret-answer'])).rejects.toThrow(/^data\.txt is not a test log: line 1 is not a record \(expected one JSON record per line\)$/);
  });
});
