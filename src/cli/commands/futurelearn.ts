/** The FutureLearn commands: `import futurelearn`, `translate futurelearn`, `futurelearn pull`, `report futurelearn`. */
import { configuredStatementQuery } from '../../configured.js';
import { listDatasetFiles } from '../../ingest/futurelearn/datasets.js';
import { futurelearnRunTables } from '../../ingest/futurelearn/side-tables.js';
import { writeFutureLearnReports } from '../../reports/futurelearn/csv.js';
import { configAndLogger, printJson, pullNow, withContext, type CliIo } from '../context.js';
import { printSummary, PULLS, RUNS, type SummaryOptions } from '../summaries.js';
import { importFutureLearn, translateFutureLearn, type FutureLearnRunInput } from '../../pipelines/futurelearn.js';
import { pullFutureLearn } from '../../pipelines/futurelearn-pull.js';
import { ADVISORY_LOCKS } from '../../db/advisory-locks.js';

/** The input of a FutureLearn run; a missing path, or one with no dataset CSV, is known before the database is opened. */
async function futurelearnRunInput(paths: string[]): Promise<FutureLearnRunInput> {
  for (const path of paths) await listDatasetFiles(path);
  return { paths };
}

export async function importDatasets(io: CliIo, paths: string[], opts: SummaryOptions): Promise<void> {
  const input = await futurelearnRunInput(paths);
  await withContext(io, async (ctx) => {
    const { runId, summary } = await importFutureLearn(input, ctx);
    printSummary(io, opts, { runId, ...summary }, RUNS);
  });
}

export async function translateDatasets(io: CliIo, paths: string[], opts: SummaryOptions): Promise<void> {
  const input = await futurelearnRunInput(paths);
  const summary = await translateFutureLearn(input, { ...configAndLogger(io), out: io.stdout });
  printSummary(io, opts, summary, RUNS, io.stderr);
}

export function pull(io: CliIo, opts: SummaryOptions): Promise<void> {
  return pullNow(io, opts, ADVISORY_LOCKS.futurelearnPull, 'FutureLearn', pullFutureLearn, PULLS.futurelearn);
}

export function report(io: CliIo, opts: { course: string; run: string; out: string }): Promise<void> {
  return withContext(io, async ({ config, database }) => {
    printJson(io, await writeFutureLearnReports(configuredStatementQuery(config, database), futurelearnRunTables(database), { course: opts.course, run: opts.run }, opts.out));
  });
}
