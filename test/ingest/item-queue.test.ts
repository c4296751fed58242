import { describe, expect, it } from 'vitest';
import { ItemQueue } from '../../src/pipelines/item-queue.js';
import type { ImportItem } from '../../src/lrs/import-run.js';

const item = (n: number): ImportItem => ({ at: `#${n}`, type: 't', ignored: true });
const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true), () => (done = true));
  // One turn of the event loop: every promise the queue could settle in memory has settled.
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('ItemQueue', () => {
  it('hands every item to the reader in order and ends when closed', async () => {
    const queue = new ItemQueue(2);
    const read: string[] = [];
    const reading = (async () => {
      for await (const i of queue) read.push(i.at);
    })();
    for (let n = 0; n < 7; n += 1) await queue.put([item(n)]);
    queue.close();
    await reading;
    expect(read).toEqual(['#0', '#1', '#2', '#3', '#4', '#5', '#6']);
  });

  it('makes a writer wait while more than highWater items are unread, until the reader takes them', async () => {
    const queue = new ItemQueue(2);
    const put = queue.put([item(0), item(1), item(2)]);
    expect(await settled(put)).toBe(false);
    const reader = queue[Symbol.asyncIterator]();
    await reader.next();
    expect(await settled(put)).toBe(true);
  });

  it('releases a waiting writer with the reader\'s failure, and refuses later items', async () => {
    const queue = new ItemQueue(1);
    const put = queue.put([item(0), item(1)]);
    const failure = new Error('the database went away');
    queue.fail(failure);
    await expect(put).rejects.toBe(failure);
    await expect(queue.put([item(2)])).rejects.toBe(failure);
  });
});
