/**
 * The FutureLearn pull as the scheduler and `futurelearn pull` run it: sign in to the
 * admin pages, download every run's changed datasets into the data layout, then import
 * each run whose files changed. One instance runs it at a time (DESIGN.md invariant 6).
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { futurelearnPullReadiness, type Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { CodedError } from '../errors.js';
import { runFutureLearnFetch, type FutureLearnFetchSummary } from '../ingest/futurelearn/fetch-run.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import type { Outbox } from '../lrs/outbox.js';
import type { RunSummary } from '../xapi/run-summary.js';
import { importFutureLearnRun } from './futurelearn.js';

/** What one pull did: the scrape's summary and each run's import. */
export interface FutureLearnPullSummary extends FutureLearnFetchSummary {
  imported: { folder: string; runId: number; summary: RunSummary }[];
}

/** What a pull needs. */
export interface FutureLearnPullDeps {
  config: Config;
  database: Database;
  outbox: Outbox;
  logger: Logger;
}

/** The root of the downloaded datasets: FUTURELEARN_DATA_DIR, else DATA_DIR/futurelearn. */
export function futurelearnDataDir(config: Config): string {
  return config.futurelearnDataDir ?? join(config.dataDir, 'futurelearn');
}

/**
 * One pull: the scrape, then the import of every run whose datasets changed. An import
 * that fails is reported and the others go on; the next pull downloads nothing new for
 * that run, so `import futurelearn <folder>` brings it in once fixed.
 * @example const summary = await pullFutureLearn({ config, database, outbox, logger });
 */
export async function pullFutureLearn(deps: FutureLearnPullDeps): Promise<FutureLearnPullSummary> {
  const { config, database, logger } = deps;
  const ready = futurelearnPullReadiness(config);
  if (!ready.ready) {
    throw new CodedError('setup', `${ready.missing.join(', ')} not set: FUTURELEARN_EMAIL, FUTURELEARN_PASSWORD and FUTURELEARN_ORGANISATION must all be set to pull FutureLearn`);
  }
  const fetched = await runFutureLearnFetch({
    baseUrl: config.futurelearnUrl,
    email: config.futurelearnEmail!,
    password: config.futurelearnPassword!,
    organisation: config.futurelearnOrganisation!,
    dataDir: futurelearnDataDir(config),
    logger,
  });
  const summary: FutureLearnPullSummary = { ...fetched, imported: [] };
  const secret = await pseudonymSecret(config, database);
  for (const folder of fetched.changedRuns) {
    try {
      const { runId, summary: run } = await importFutureLearnRun({ database, outbox: deps.outbox, secret, path: folder });
      summary.imported.push({ folder, runId, summary: run });
      logger.info({ folder, run: runId, read: run.read, statements: run.statements, rejected: run.rejected }, 'futurelearn run imported');
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      summary.errors.push({ at: folder, code: 'import_failed', reason });
      logger.warn({ folder, reason }, 'futurelearn run not imported');
    }
  }
  return summary;
}
