/**
 * The scheduled jobs besides the flush: each platform pull, a thin job around its
 * pipeline that runs only where the settings let it, and the Coursera weekly choice;
 * each runs on one instance at a time (its advisory lock). A pull's pipeline (its
 * platform client, HTML parser, OAuth) is loaded when the job first runs, not at start.
 */
import type { Logger } from 'pino';
import { courseraPullReadiness, edxS3SyncScheduled, futurelearnPullReadiness, khanReadiness, type Config } from './config/index.js';
import type { Database } from './db/connection.js';
import type { Outbox } from './lrs/outbox.js';
import type { StatementQuery } from './lrs/statement-query.js';
import { openWeeklyChoices } from './reports/coursera/choice.js';
import { CourseraIndicatorService } from './reports/coursera/course-indicators.js';
import { snapshotAllCourses } from './reports/coursera/snapshots.js';
import type { CourseraPullDeps } from './pipelines/coursera-pull.js';
import type { Job } from './scheduler.js';
import { ADVISORY_LOCKS } from './db/advisory-locks.js';

/** What a scheduled pull needs. */
export interface PullDeps {
  config: Config;
  database: Database;
  outbox: Outbox;
  logger: Logger;
}

/** A pull whose summary lists its errors and imports: the job logs it, as a warning where something failed. */
function summarisedPull<S extends { errors: unknown[]; imported: unknown[] }>(name: string, cron: string, lockKey: number, pull: () => Promise<S>, logger: Logger): Job {
  return {
    name,
    cron,
    lockKey,
    run: async () => {
      const summary = await pull();
      const fields: Record<string, unknown> = { ...summary, imported: summary.imported.length };
      logger[summary.errors.length > 0 ? 'warn' : 'info'](fields, `${name.replace('-', ' ')} finished`);
      return summary;
    },
  };
}

/**
 * The scheduled Coursera pull (COURSERA_FETCH_CRON).
 * @example startScheduler([courseraPullJob({ config, database, outbox, logger })], database, logger);
 */
export function courseraPullJob(deps: CourseraPullDeps): Job {
  return summarisedPull('coursera-pull', deps.config.courseraFetchCron, ADVISORY_LOCKS.courseraPull, async () => (await import('./pipelines/coursera-pull.js')).pullCoursera(deps), deps.logger);
}

/**
 * The daily FutureLearn pull (FUTURELEARN_FETCH_CRON).
 * @example startScheduler([futurelearnPullJob({ config, database, outbox, logger })], database, logger);
 */
export function futurelearnPullJob(deps: PullDeps): Job {
  return summarisedPull('futurelearn-pull', deps.config.futurelearnFetchCron, ADVISORY_LOCKS.futurelearnPull, async () => (await import('./pipelines/futurelearn-pull.js')).pullFutureLearn(deps), deps.logger);
}

/**
 * The nightly Khan pull (KHAN_PULL_CRON).
 * @example startScheduler([khanPullJob({ config, database, outbox, logger })], database, logger);
 */
export function khanPullJob(deps: PullDeps): Job {
  return {
    name: 'khan-pull',
    cron: deps.config.khanPullCron,
    lockKey: ADVISORY_LOCKS.khanPull,
    // The pull logs its own progress and summary ('khan pull: finished').
    run: async () => (await import('./pipelines/khan.js')).pullKhanNow(deps),
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
 * The scheduled edX S3 sync (EDX_S3_SYNC_CRON), when set up; its summary is logged, as a warning where an object failed.
 * @example startScheduler([...edxS3SyncJobs({ config, database, outbox, logger })], database, logger);
 */
export function edxS3SyncJobs(deps: PullDeps): Job[] {
  if (!edxS3SyncScheduled(deps.config)) return [];
  const run = async () => {
    const { skipped, errors, runs, ...counts } = await (await import('./pipelines/edx-s3-sync.js')).syncEdxS3(deps);
    deps.logger[errors.length > 0 ? 'warn' : 'info']({ ...counts, runs: runs.length, skipped: skipped.length, errors: errors.map((e) => e.code) }, 'edx s3 sync finished');
  };
  return [{ name: 'edx-s3-sync', cron: deps.config.edxS3SyncCron!, lockKey: ADVISORY_LOCKS.edxS3Sync, run }];
}

/**
 * The job that opens the Coursera indicator choices on `cron` (COURSERA_WEEKLY_CRON).
 * @example startScheduler([weeklyChoiceJob(database, config.courseraWeeklyCron)], database, logger);
 */
export function weeklyChoiceJob(database: Database, cron: string): Job {
  return { name: 'coursera-weekly-choice', cron, lockKey: ADVISORY_LOCKS.courseraWeeklyChoice, run: () => openWeeklyChoices(database, new Date()) };
}

/**
 * The job that keeps the day's Coursera indicators of every known course (COURSERA_SNAPSHOT_CRON).
 * @example startScheduler([indicatorSnapshotJob({ database, statements }, config.courseraSnapshotCron)], database, logger);
 */
export function indicatorSnapshotJob(deps: { database: Database; statements: StatementQuery }, cron: string): Job {
  const service = new CourseraIndicatorService(deps);
  return { name: 'coursera-indicator-snapshot', cron, lockKey: ADVISORY_LOCKS.courseraSnapshot, run: () => snapshotAllCourses(service, deps.database, new Date()) };
}
