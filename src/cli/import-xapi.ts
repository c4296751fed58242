/**
 * `import xapi <file.ndjson|->`: validates ready-made statements and enqueues them,
 * for moving data from one LRS to another.
 */
import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import { readNdjson } from '../ingest/xapi/ndjson.js';
import { runImport, type ImportItem, type ImportResult } from '../lrs/import-run.js';
import type { Outbox } from '../lrs/outbox.js';
import { translateXapiStatement } from '../translators/xapi.js';
import { startProgress } from './progress.js';

/** Source type of every line in the summary's `byType`. */
const TYPE = 'statement';

/** Imports an opened NDJSON file (see `openNdjson`) into the outbox and returns the run. */
export async function importXapi(input: NodeJS.ReadableStream, name: string, deps: { database: Database; outbox: Outbox; logger: Logger }): Promise<ImportResult> {
  async function* items(): AsyncGenerator<ImportItem> {
    for await (const line of readNdjson(input, name)) {
      if (!line.ok) {
        yield { at: line.at, type: TYPE, payload: line.raw, rejection: line.rejection };
        continue;
      }
      const translated = translateXapiStatement(line.record);
      yield 'rejection' in translated
        ? { at: line.at, type: TYPE, payload: line.raw, rejection: translated.rejection }
        : { at: line.at, type: TYPE, payload: line.raw, statements: [translated.statement] };
    }
  }
  const progress = startProgress('statements read', deps.logger);
  try {
    return await runImport(items(), {
      ...deps,
      source: 'xapi',
      input: name,
      onProgress: (s) => progress.update(s.read, { rejected: s.rejected, added: s.added ?? 0 }),
    });
  } finally {
    progress.stop();
  }
}
