/**
 * `import xapi <file.ndjson|->`: ready-made statements, validated and enqueued, for
 * moving data from one LRS to another. Each line is kept with its rejection.
 */
import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import { readStatementLines, type NdjsonLine } from '../ingest/xapi/ndjson.js';
import type { ImportResult } from '../lrs/import-run.js';
import type { Outbox } from '../lrs/outbox.js';
import { translateXapiStatement } from '../translators/xapi.js';
import { runPipeline, type SourceItem, type Translation } from './runner.js';

/** Source type of every line in the summary's `byType`. */
const TYPE = 'statement';

async function* lines(read: AsyncIterable<NdjsonLine>): AsyncGenerator<SourceItem<unknown>> {
  for await (const line of read) {
    yield line.ok ? { at: line.at, type: TYPE, payload: line.raw, record: line.record } : { at: line.at, type: TYPE, payload: line.raw, rejection: line.rejection };
  }
}

function translate(value: unknown): Translation {
  const t = translateXapiStatement(value);
  return 'rejection' in t ? t : { statements: [t.statement] };
}

/** Imports an opened NDJSON file (see `openNdjson`) into the outbox and returns the run; a file that holds no statements is refused first. */
export async function importXapi(input: NodeJS.ReadableStream, name: string, deps: { database: Database; outbox: Outbox; logger: Logger }): Promise<ImportResult> {
  const read = await readStatementLines(input, name);
  const sink = { database: deps.database, outbox: deps.outbox, source: 'xapi', input: name };
  return runPipeline({ source: lines(read), translate }, sink, { what: 'statements read', logger: deps.logger });
}
