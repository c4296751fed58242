/**
 * Reads ready-made xAPI statements, one JSON document per line (NDJSON), from a file
 * or standard input, in constant memory. A line that is not JSON is a rejection at
 * `file:line`, and reading goes on; a file none of whose first lines is a statement is
 * refused before any is read into a run (`readStatementLines`).
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Sourced } from '../../xapi/run-summary.js';
import { notJson } from '../json-problem.js';
import { lineOf, sniffFormat, type LineFormat } from '../file-format.js';

/** A parsed line of an NDJSON stream, with its text. */
export type NdjsonLine = Sourced<unknown> & { raw: string };

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
export async function* readNdjson(input: NodeJS.ReadableStream, name: string): AsyncGenerator<NdjsonLine> {
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

const XAPI_NDJSON: LineFormat = { name: 'an xAPI NDJSON file', expected: 'one JSON statement per line' };

/** Whether a value has the three parts every statement has. */
const statementShaped = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && ['actor', 'verb', 'object'].every((key) => key in value);

/**
 * The lines of `input` as `readNdjson` reads them, once its first lines are known to
 * hold a statement; else an `invalid` error naming `name` and why (see `sniffFormat`).
 * @example for await (const line of await readStatementLines(await openNdjson(path), path)) ...
 */
export async function readStatementLines(input: NodeJS.ReadableStream, name: string): Promise<AsyncGenerator<NdjsonLine>> {
  const lines = readNdjson(input, name);
  const verdict = (l: NdjsonLine) => {
    if (!l.ok) return { fits: false as const, why: `line ${lineOf(l.at)} is not JSON` };
    return statementShaped(l.record) ? { fits: true as const } : { fits: false as const, why: `line ${lineOf(l.at)} is not an xAPI statement (a JSON object with actor, verb and object)` };
  };
  let head: NdjsonLine[];
  try {
    head = await sniffFormat(lines, verdict, name, XAPI_NDJSON);
  } catch (err) {
    await lines.return(undefined);
    throw err;
  }
  return (async function* () {
    yield* head;
    yield* lines;
  })();
}
