import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EDX_RULES } from '../../src/translators/edx.js';

describe('docs/edx-events.md', () => {
  it('lists every event type of the edX rule table, and no other', async () => {
    const doc = await readFile(new URL('../../docs/edx-events.md', import.meta.url), 'utf8');
    const events = doc.slice(0, doc.indexOf('## Server page views'));
    const listed = [...events.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(EDX_RULES).sort());
  });
});
