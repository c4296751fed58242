/**
 * `translate <platform>`: import items written as NDJSON statements to a stream, with
 * no database (DESIGN.md, interfaces). Statements are validated as an import would;
 * the summary counts what an import would count.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { firstInvalid, type ImportItem, type StatementValidator } from '../lrs/import-run.js';
import { SummaryCounter, type RunSummary } from '../xapi/run-summary.js';
import { statementText } from '../xapi/statement-text.js';

const CHUNK = 1 << 16;

/** Writes the statements of `items` to `out`, one JSON per line, and returns the summary; `validate` as for an import. */
export async function translateToNdjson(
  items: AsyncIterable<ImportItem>,
  out: Writable,
  onProgress?: (s: RunSummary) => void,
  validate?: StatementValidator,
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
    else if ('erasedByPlatform' in item) counter.erasedByPlatform(item.type);
    else if ('ignored' in item) counter.ignored(item.type, item.reason);
    else {
      const invalid = firstInvalid(item.statements, validate);
      if (invalid !== undefined) counter.rejected(item.type, item.at, invalid);
      else {
        counter.translated(item.type, item.statements.length, item.unresolved === true);
        // The text the validator scanned, where it took one: each statement is serialized once.
        for (const statement of item.statements) buffer += `${statementText(statement)}\n`;
        if (buffer.length >= CHUNK) await drain();
      }
    }
    if (onProgress !== undefined && ++n % 10_000 === 0) onProgress(counter.summary);
  }
  if (buffer.length > 0) await drain();
  return counter.summary;
}
