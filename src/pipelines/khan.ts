/**
 * The Khan Academy pipeline as the scheduler and `khan pull` run it: every authorized
 * coach's students fetched into the warehouse tables (ingest/khan/pull.ts), their
 * records translated into the outbox through ONE import run for the whole pull, while
 * students are still being fetched. One instance runs it at a time (DESIGN.md invariant 6).
 */
import type { Logger } from 'pino';
import { loadLinkedEcoUsers } from '../catalog/identity-links.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { fetchKhan, type KhanFetchOptions, type KhanFetchSummary, type KhanPulled } from '../ingest/khan/pull.js';
import type { KhanRecord } from '../ingest/khan/records.js';
import { khanSetup } from '../ingest/khan/setup.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import type { Outbox } from '../lrs/outbox.js';
import { translateKhanRecord } from '../translators/khan.js';
import { pseudonym } from '../xapi/ids.js';
import type { RunSummary } from '../xapi/run-summary.js';
import { ItemQueue } from './item-queue.js';
import { startProgress, type Progress } from './progress.js';
import { runPipeline } from './runner.js';

/** What a pull needs: the fetch's inputs and the outbox. */
export interface KhanPullOptions extends Omit<KhanFetchOptions, 'put'> {
  outbox: Outbox;
}

/** A finished pull: the fetch's counts, the records rejected, and the import's summary. */
export interface KhanPullSummary extends KhanFetchSummary {
  rejected: number;
  import: RunSummary;
}

/**
 * Pulls every authorized coach's students into the warehouse tables and the outbox.
 * @example
 * const summary = await pullKhan({ database, outbox, client, key: parseVaultKey(config.khanTokenKey), secret, concurrency: 4, logger });
 */
export async function pullKhan(opts: KhanPullOptions): Promise<KhanPullSummary> {
  const { database, logger } = opts;
  // Statements name a student linked to an ECO user by the ECO id; the tables keep the pseudonym as a stable key.
  const linked = await loadLinkedEcoUsers(database, 'khan');
  const actorName = (userId: string) => linked(userId) ?? pseudonym(opts.secret, userId);
  const queue = new ItemQueue<KhanPulled>();
  const translate = (record: KhanRecord) => {
    const t = translateKhanRecord(record, { actorName });
    return 'statements' in t ? t : { ignored: true as const };
  };
  // The run record and its statements flow while students are fetched.
  const importing = runPipeline({ source: queue, translate }, { database, outbox: opts.outbox, source: 'khan', input: 'khan api' });
  importing.catch((err: unknown) => queue.fail(err));
  let fetched: KhanFetchSummary;
  try {
    fetched = await fetchKhan({ ...opts, put: (records) => queue.put(records) });
  } finally {
    queue.close();
  }
  const { summary } = await importing;
  const { coaches, students, requests, errors, erased } = fetched;
  logger?.info({ coaches, students, requests, rejected: summary.rejected, added: summary.added, errors: errors.length, erased }, 'khan pull: finished');
  return { coaches, students, requests, rejected: summary.rejected, errors, ...(erased !== undefined && { erased }), import: summary };
}

/** What a pull with the settings needs. */
export interface KhanPullDeps {
  config: Config;
  database: Database;
  outbox: Outbox;
  logger: Logger;
}

/**
 * One pull of every authorized coach with the client and key of the settings; a coach or
 * student that fails is in the summary's errors. With `showProgress` (the command line),
 * students done show as a bar on a terminal, else as a log line every few seconds.
 * @example const summary = await pullKhanNow({ config, database, outbox, logger });
 */
export async function pullKhanNow(deps: KhanPullDeps, options: { showProgress?: boolean } = {}): Promise<KhanPullSummary> {
  const { config, database, logger } = deps;
  const { client, key } = khanSetup(config);
  let progress: Progress | undefined;
  try {
    return await pullKhan({
      database, outbox: deps.outbox, client, key, logger,
      secret: await pseudonymSecret(config, database),
      concurrency: config.khanConcurrency,
      storeNames: config.khanStoreNames,
      // The number of students is known once the rosters are read: the bar starts then.
      ...(options.showProgress && { onProgress: (done: number, total: number) => (progress ??= startProgress('khan students', logger, total)).update(done) }),
    });
  } finally {
    progress?.stop();
  }
}
