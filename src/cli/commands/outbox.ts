/** The outbox commands: `migrate`, `flush`, `status`, `requeue` and `import xapi`. */
import { openNdjson } from '../../ingest/xapi/ndjson.js';
import { printJson, withContext, type CliIo } from '../context.js';
import { flushOnce } from '../flush.js';
import { importXapi } from '../../pipelines/xapi.js';
import { CodedError } from '../../errors.js';
import { LrsMisconfiguredError } from '../../lrs/deliver.js';
import { safeUrl } from '../../net/net-error.js';
import { FLUSHES, printSummary, RUNS, type SummaryOptions } from '../summaries.js';

export function migrate(io: CliIo): Promise<void> {
  return withContext(io, async ({ database }) => {
    printJson(io, { migrated: true, database: database.kind });
  });
}

export function flush(io: CliIo, opts: SummaryOptions): Promise<void> {
  return withContext(io, async ({ config, logger, database, outbox }) => {
    const target = config.lrsEndpoint ? `the LRS of LRS_ENDPOINT (${safeUrl(config.lrsEndpoint)})` : 'the embedded LRS';
    const waiting = async () => `${(await outbox.status()).counts.pending.toLocaleString('en-US')} statements wait in the outbox`;
    let summary;
    try {
      summary = await flushOnce(config, { database, outbox, logger });
    } catch (err) {
      if (!(err instanceof LrsMisconfiguredError)) throw err;
      throw new CodedError('unauthorized', `${target} refused the gateway: ${err.message}; check LRS_ENDPOINT, LRS_USERNAME and LRS_PASSWORD; ${await waiting()}`, { cause: err });
    }
    printSummary(io, opts, summary, FLUSHES);
    // Delivered nothing, yet something was due: the LRS is away or unwell.
    if (summary.stoppedBy !== undefined && summary.sent + summary.dead + summary.conflict === 0) {
      throw new CodedError('unavailable', `nothing delivered to ${target}: ${summary.stoppedBy}; ${await waiting()}`);
    }
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

export async function importXapiFile(io: CliIo, file: string, opts: SummaryOptions): Promise<void> {
  // A missing input is known before the database is opened.
  const input = file === '-' ? io.stdin : await openNdjson(file);
  await withContext(io, async ({ database, outbox, logger }) => {
    const { runId, summary } = await importXapi(input, file === '-' ? 'stdin' : file, { database, outbox, logger });
    printSummary(io, opts, { runId, ...summary }, RUNS);
  });
}
