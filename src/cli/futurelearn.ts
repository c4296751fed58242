/**
 * `import futurelearn` and `translate futurelearn`: FutureLearn dataset CSVs (run
 * folders or a data root) through the FutureLearn translator, into the outbox or to
 * standard output; and `importFutureLearnRun`, the same import for the scheduled fetch
 * of one downloaded run.
 */
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { futurelearnActorName, futurelearnItems, type FutureLearnItemsOptions } from '../ingest/futurelearn/pipeline.js';
import { databaseSideTables } from '../ingest/futurelearn/side-tables.js';
import { loadLinkedEcoUsers } from '../catalog/identity-links.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import { runImport, type ImportItem, type ImportResult } from '../lrs/import-run.js';
import type { Outbox } from '../lrs/outbox.js';
import type { RunSummary } from '../xapi/run-summary.js';
import { startProgress } from './progress.js';
import { translateToNdjson } from './translate-run.js';

/** What to read: run folders, data roots or single dataset CSVs. */
export interface FutureLearnRunInput {
  paths: string[];
}

/** Thrown when FutureLearn datasets cannot be translated with the settings given. */
export class FutureLearnSetupError extends Error {
  override readonly name = 'FutureLearnSetupError';
}

function progressDetail(s: RunSummary): Record<string, number> {
  return { translated: s.translated, ignored: s.ignored, rejected: s.rejected };
}

async function* allItems(paths: readonly string[], opts: FutureLearnItemsOptions): AsyncGenerator<ImportItem> {
  for (const path of paths) yield* futurelearnItems(path, opts);
}

/**
 * Imports one downloaded run folder (or data root) into the outbox, demographics and
 * video figures into their tables: the scheduled fetch's entrance.
 * @example const { runId, summary } = await importFutureLearnRun({ database, outbox, secret, path });
 */
export async function importFutureLearnRun(args: {
  database: Database;
  outbox: Outbox;
  secret: string;
  path: string;
  onProgress?: (summary: RunSummary) => void;
}): Promise<ImportResult> {
  const options = { actorName: futurelearnActorName(args.secret, await loadLinkedEcoUsers(args.database, 'futurelearn')), side: databaseSideTables(args.database) };
  return runImport(futurelearnItems(args.path, options), {
    database: args.database,
    outbox: args.outbox,
    source: 'futurelearn',
    input: args.path,
    ...(args.onProgress === undefined ? {} : { onProgress: args.onProgress }),
  });
}

/** Imports FutureLearn datasets into the outbox and returns the run. */
export async function importFutureLearn(input: FutureLearnRunInput, deps: { config: Config; database: Database; outbox: Outbox; logger: Logger }): Promise<ImportResult> {
  const secret = await pseudonymSecret(deps.config, deps.database);
  const options = { actorName: futurelearnActorName(secret, await loadLinkedEcoUsers(deps.database, 'futurelearn')), side: databaseSideTables(deps.database) };
  const progress = startProgress('rows read', deps.logger);
  try {
    return await runImport(allItems(input.paths, options), {
      database: deps.database,
      outbox: deps.outbox,
      source: 'futurelearn',
      input: input.paths.join(' '),
      onProgress: (s) => progress.update(s.read, progressDetail(s)),
    });
  } finally {
    progress.stop();
  }
}

/**
 * Translates FutureLearn datasets to NDJSON statements on `out`, touching no database
 * (demographics and video figures are only counted); returns the summary.
 */
export async function translateFutureLearn(input: FutureLearnRunInput, deps: { config: Config; logger: Logger; out: Writable }): Promise<RunSummary> {
  if (deps.config.pseudonymSecret === undefined) {
    throw new FutureLearnSetupError('PSEUDONYM_SECRET is not set: translate touches no database, so the pseudonym key must be given');
  }
  const progress = startProgress('rows read', deps.logger);
  try {
    const items = allItems(input.paths, { actorName: futurelearnActorName(deps.config.pseudonymSecret) });
    return await translateToNdjson(items, deps.out, (s) => progress.update(s.read, progressDetail(s)));
  } finally {
    progress.stop();
  }
}
