/**
 * Cron jobs of the server. Each job never overlaps itself in one process; jobs that
 * must run on one instance only (scheduled pulls) also take a PostgreSQL advisory lock
 * (DESIGN.md invariant 6). The flush needs no lock: SKIP LOCKED shares the outbox.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Database } from './db/connection.js';

/** One scheduled job. */
export interface Job {
  name: string;
  cron: string;
  run: () => Promise<unknown>;
  /** Advisory lock key: when set, one instance across the cluster runs the job at a time. */
  lockKey?: number;
}

/** Running cron jobs. */
export interface Scheduler {
  /** Stops firing; jobs in flight finish on their own (their owners stop them). */
  stop(): Promise<void>;
}

/**
 * Starts the jobs on their cron expressions.
 * @example const scheduler = startScheduler([{ name: 'flush', cron: '*\/10 * * * * *', run: () => flusher.flushUntilIdle() }], db, logger);
 */
export function startScheduler(jobs: readonly Job[], database: Database, logger: Logger): Scheduler {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async () => {
        try {
          if (job.lockKey === undefined) {
            await job.run();
            return;
          }
          const result = await database.withAdvisoryLock(job.lockKey, job.run, { wait: false });
          if (!result.ran) logger.debug({ job: job.name }, 'another instance runs this job');
        } catch (err) {
          logger.error({ job: job.name, err: errorSummary(err) }, 'scheduled job failed');
        }
      },
      { name: job.name, noOverlap: true },
    ),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
    },
  };
}

function errorSummary(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}
