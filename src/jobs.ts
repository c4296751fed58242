/**
 * The scheduled jobs besides the flush: each platform pull, a thin job around its
 * pipeline that runs only where the settings let it, and the Coursera weekly choice;
 * each runs on one instance at a time (its advisory lock).
 */
import type { Logger } from 'pino';
import { courseraPullReadiness, futurelearnPullReadiness, khanReadiness, type Config } from './config/index.js';
import type { Database } from './db/connection.js';
import { FUTURELEARN_FETCH_LOCK } from './ingest/futurelearn/fetch-run.js';
import type { Outbox } from './lrs/outbox.js';
import { openWeeklyChoices, WEEKLY_CHOICE_LOCK } from './reports/coursera/choice.js';
import { COURSERA_FETCH_LOCK, pullCoursera, type CourseraPullDeps } from './pipelines/coursera-pull.js';
import { pullFutureLearn } from './pipelines/futurelearn-pull.js';
import { KHAN_PULL_LOCK, pullKhanNow } from './pipelines/khan.js';
import type { Job } from './scheduler.js';

/** What a scheduled pull needs. */
export interface PullDeps {
  config: Config;
  database: Database;
  outbox: Outbox;
  logger: Logger;
}

/**
 * The scheduled Coursera pull (COURSERA_FETCH_CRON).
 * @example startScheduler([courseraPullJob({ config, database, outbox, logger })], database, logger);
 */
export function courseraPullJob(deps: CourseraPullDeps): Job {
  return {
    name: 'coursera-pull',
    cron: deps.config.courseraFetchCron,
    lockKey: COURSERA_FETCH_LOCK,
    run: async () => {
      const summary = await pullCoursera(deps);
      deps.logger[summary.errors.length > 0 ? 'warn' : 'info']({ ...summary, imported: summary.imported.length }, 'coursera pull finished');
      return summary;
    },
  };
}

/**
 * The daily FutureLearn pull (FUTURELEARN_FETCH_CRON).
 * @example startScheduler([futurelearnPullJob({ config, database, outbox, logger })], database, logger);
 */
export function futurelearnPullJob(deps: PullDeps): Job {
  return {
    name: 'futurelearn-pull',
    cron: deps.config.futurelearnFetchCron,
    lockKey: FUTURELEARN_FETCH_LOCK,
    run: async () => {
      const summary = await pullFutureLearn(deps);
      deps.logger[summary.errors.length > 0 ? 'warn' : 'info']({ ...summary, imported: summary.imported.length }, 'futurelearn pull finished');
      return summary;
    },
  };
}

/**
 * The nightly Khan pull (KHAN_PULL_CRON).
 * @example startScheduler([khanPullJob({ config, database, outbox, logger })], database, logger);
 */
export function khanPullJob(deps: PullDeps): Job {
  return {
    name: 'khan-pull',
    cron: deps.config.khanPullCron,
    lockKey: KHAN_PULL_LOCK,
    // The pull logs its own progress and summary ('khan pull: finished').
    run: () => pullKhanNow(deps),
  };
}

/** The pulls the settings allow, as the settings' readiness says. */
export function pullJobs(deps: PullDeps): Job[] {
  const { config } = deps;
  return [
    ...(courseraPullReadiness(config).ready ? [courseraPullJob(deps)] : []),
    ...(futurelearnPullReadiness(config).ready ? [futurelearnPullJob(deps)] : []),
    ...(khanReadiness(config).ready ? [khanPullJob(deps)] : []),
  ];
}

/**
 * The job that opens the Coursera indicator choices on `cron` (COURSERA_WEEKLY_CRON).
 * @example startScheduler([weeklyChoiceJob(database, config.courseraWeeklyCron)], database, logger);
 */
export function weeklyChoiceJob(database: Database, cron: string): Job {
  return { name: 'coursera-weekly-choice', cron, lockKey: WEEKLY_CHOICE_LOCK, run: () => openWeeklyChoices(database, new Date()) };
}
