/**
 * `translate <platform>`: import items written as NDJSON statements to a stream, with
 * no database (DESIGN.md, interfaces). Statements are validated as an import would;
 * the summary counts what an import would count.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { firstInvalid, type ImportItem } from '../lrs/import-run.js';
import { SummaryCounter, type RunSummary } from '../xapi/run-summary.js';
import type { StatementIssue } from '../xapi/validate.js';

/** A statement validator, as for an import, that may be given the statement's JSON text to scan. */
export type TextValidator = (statement: unknown, text?: string) => StatementIssue[];

const CHUNK = 1 << 16;

/** Writes the statements of `items` to `out`, one JSON per line, and returns the summary; `validate` as for an import. */
export async function translateToNdjson(
  items: AsyncIterable<ImportItem>,
  out: Writable,
  onProgress?: (s: RunSummary) => void,
  validate?: TextValidator,
): Promise<RunSummary> {
  const counter = new SummaryCounter();
  let buffer = '';
  const drain = async () => {
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  let n = 0;
  for await (const item of items) {
    if ('rejection' in item) counter.rejected(item.type, item.at, item.rejection);
    else if ('ignored' in item) counter.ignored(item.type, item.reason);
    else {
      // Each statement is serialized once: its text is what is written and what the validator scans.
      const texts = item.statements.map((s) => JSON.stringify(s));
      let next = 0; // firstInvalid validates the statements in order
      const invalid = firstInvalid(item.statements, validate === undefined ? undefined : (s) => validate(s, texts[next++]));
      if (invalid !== undefined) counter.rejected(item.type, item.at, invalid);
      else {
        counter.translated(item.type, item.statements.length, item.unresolved === true);
        for (const text of texts) buffer += `${text}\n`;
        if (buffer.length >= CHUNK) await drain();
      }
    }
    if (onProgress !== undefined && ++n % 10_000 === 0) onProgress(counter.summary);
  }
  if (buffer.length > 0) await drain();
  return counter.summary;
}
