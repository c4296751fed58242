/**
 * Reads ready-made xAPI statements, one JSON document per line (NDJSON), from a file
 * or standard input, in constant memory. A line that is not JSON is a rejection at
 * `file:line`, and reading goes on.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Sourced } from '../../xapi/run-summary.js';
import { notJson } from '../json-problem.js';

/** Opens `path` (`-` for stdin) and fails at once when it cannot be read. */
export async function openNdjson(path: string): Promise<NodeJS.ReadableStream> {
  if (path === '-') return process.stdin;
  await access(path);
  return createReadStream(path);
}

/**
 * Parsed lines of an NDJSON stream; blank lines are skipped.
 * @example for await (const line of readNdjson(await openNdjson('statements.ndjson'), 'statements.ndjson')) ...
 */
export async function* readNdjson(input: NodeJS.ReadableStream, name: string): AsyncGenerator<Sourced<unknown> & { raw: string }> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo += 1;
    if (raw.trim() === '') continue;
    const at = `${name}:${lineNo}`;
    try {
      yield { ok: true, at, record: JSON.parse(raw) as unknown, raw };
    } catch (err) {
      yield { ok: false, at, raw, rejection: { code: 'unreadable', detail: notJson(err) } };
    }
  }
}
