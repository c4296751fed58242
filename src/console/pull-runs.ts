/**
 * Pulls started from the console: each runs in the background under its job's advisory
 * lock (so never beside the scheduled run of another instance), and this instance keeps
 * how the last one it started went, for the pulls page. A pull takes minutes: the request
 * that starts it does not wait for it.
 */
import type { Database } from '../db/connection.js';

/** A pull the scheduler runs, as the console starts it (src/jobs.ts makes them). */
export interface PullJob {
  name: string;
  lockKey?: number;
  run(): Promise<unknown>;
}

/** How the last pull of a job started here went. */
export type PullRunState =
  | { state: 'running'; startedAt: number }
  | { state: 'finished' | 'skipped'; startedAt: number; endedAt: number }
  | { state: 'failed'; startedAt: number; endedAt: number; error: string };

/** The pulls started from the console on this instance. */
export class PullRuns {
  private readonly runs = new Map<string, { view: PullRunState; done: Promise<void> }>();

  constructor(
    private readonly database: Database,
    readonly jobs: readonly PullJob[],
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts the job named `name` unless this instance runs it already; false when there is no such job or it runs. */
  start(name: string): boolean {
    const job = this.jobs.find((j) => j.name === name);
    if (job === undefined || this.runs.get(name)?.view.state === 'running') return false;
    const startedAt = this.now();
    const entry = { view: { state: 'running', startedAt } as PullRunState, done: Promise.resolve() };
    entry.done = this.locked(job).then(
      (ran) => void (entry.view = { state: ran ? 'finished' : 'skipped', startedAt, endedAt: this.now() }),
      // The message of a pull's failure names the platform's answer, never a secret (the pulls log the same).
      (err: unknown) => void (entry.view = { state: 'failed', startedAt, endedAt: this.now(), error: err instanceof Error ? err.message : String(err) }),
    );
    this.runs.set(name, entry);
    return true;
  }

  /** How the last pull of `name` started here went, if one was. */
  last(name: string): PullRunState | undefined {
    return this.runs.get(name)?.view;
  }

  /** Resolves when the last pull of `name` started here has ended (at once when none runs). */
  async settled(name: string): Promise<void> {
    await this.runs.get(name)?.done;
  }

  private async locked(job: PullJob): Promise<boolean> {
    if (job.lockKey === undefined) {
      await job.run();
      return true;
    }
    return (await this.database.withAdvisoryLock(job.lockKey, () => job.run(), { wait: false })).ran;
  }
}
