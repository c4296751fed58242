/**
 * The Khan Academy pull as the scheduler and `khan pull` run it: every authorized
 * coach's students into the warehouse tables and the outbox (ingest/khan/pull.ts), with
 * the client and key of the settings. One instance runs it at a time (DESIGN.md invariant 6).
 */
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { pullKhan, type KhanPullSummary } from '../ingest/khan/pull.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import type { Outbox } from '../lrs/outbox.js';
import type { Job } from '../scheduler.js';
import { khanSetup } from './khan-setup.js';
import { startProgress, type Progress } from './progress.js';

/** Advisory lock of the Khan pull: one instance pulls at a time. */
export const KHAN_PULL_LOCK = 7_241_003;

/** What a pull needs. */
export interface KhanPullDeps {
  config: Config;
  database: Database;
  outbox: Outbox;
  logger: Logger;
}

/**
 * One pull of every authorized coach; a coach or student that fails is in the summary's
 * errors. With `showProgress` (the command line), students done show as a bar on a
 * terminal, else as a log line every few seconds.
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

/**
 * The nightly pull (KHAN_PULL_CRON), under one runner across instances.
 * @example startScheduler([khanPullJob({ config, database, outbox, logger })], database, logger);
 */
export function khanPullJob(deps: KhanPullDeps): Job {
  return {
    name: 'khan-pull',
    cron: deps.config.khanPullCron,
    lockKey: KHAN_PULL_LOCK,
    // The pull logs its own progress and summary ('khan pull: finished').
    run: () => pullKhanNow(deps),
  };
}
