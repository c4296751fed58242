/** The outbox commands: `migrate`, `flush`, `status`, `requeue` and `import xapi`. */
import { openNdjson } from '../../ingest/xapi/ndjson.js';
import { printJson, withContext, type CliIo } from '../context.js';
import { flushOnce } from '../flush.js';
import { importXapi } from '../../pipelines/xapi.js';

export function migrate(io: CliIo): Promise<void> {
  return withContext(io, async ({ database }) => {
    printJson(io, { migrated: true, database: database.kind });
  });
}

export function flush(io: CliIo): Promise<void> {
  return withContext(io, async ({ config, logger, database, outbox }) => {
    printJson(io, await flushOnce(config, { database, outbox, logger }));
  });
}

export function status(io: CliIo, opts: { limit: string }): Promise<void> {
  return withContext(io, async ({ outbox }) => {
    const counts = await outbox.status();
    printJson(io, { ...counts, failed: await outbox.failed(Number(opts.limit) || 50) });
  });
}

export function requeue(io: CliIo, opts: { conflicts?: boolean; id?: string[] }): Promise<void> {
  return withContext(io, async ({ outbox }) => {
    printJson(io, { requeued: await outbox.requeue({ includeConflicts: opts.conflicts === true, ...(opts.id && { ids: opts.id }) }) });
  });
}

export async function importXapiFile(io: CliIo, file: string): Promise<void> {
  // A missing input is known before the database is opened.
  const input = file === '-' ? io.stdin : await openNdjson(file);
  await withContext(io, async ({ database, outbox, logger }) => {
    const { runId, summary } = await importXapi(input, file === '-' ? 'stdin' : file, { database, outbox, logger });
    printJson(io, { runId, ...summary });
  });
}
