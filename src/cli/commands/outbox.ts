/** The outbox commands: `migrate`, `flush`, `status`, `requeue` and `import xapi`. */
import { openNdjson } from '../../ingest/xapi/ndjson.js';
import { printJson, withContext } from '../context.js';
import { flushOnce } from '../flush.js';
import { importXapi } from '../../pipelines/xapi.js';

export function migrate(): Promise<void> {
  return withContext(async ({ database }) => {
    printJson({ migrated: true, database: database.kind });
  });
}

export function flush(): Promise<void> {
  return withContext(async ({ config, logger, database, outbox }) => {
    printJson(await flushOnce(config, { database, outbox, logger }));
  });
}

export function status(opts: { limit: string }): Promise<void> {
  return withContext(async ({ outbox }) => {
    const counts = await outbox.status();
    printJson({ ...counts, failed: await outbox.failed(Number(opts.limit) || 50) });
  });
}

export function requeue(opts: { conflicts?: boolean; id?: string[] }): Promise<void> {
  return withContext(async ({ outbox }) => {
    printJson({ requeued: await outbox.requeue({ includeConflicts: opts.conflicts === true, ...(opts.id && { ids: opts.id }) }) });
  });
}

export async function importXapiFile(file: string): Promise<void> {
  // A missing input is known before the database is opened.
  const input = await openNdjson(file);
  await withContext(async ({ database, outbox, logger }) => {
    const { runId, summary } = await importXapi(input, file === '-' ? 'stdin' : file, { database, outbox, logger });
    printJson({ runId, ...summary });
  });
}
