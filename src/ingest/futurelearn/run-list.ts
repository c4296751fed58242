/**
 * The course runs an import has read (`futurelearn_runs`): written once per imported
 * path, read back for the index of runs. Folder days never go back to unknown, and the
 * learner count is the last enrolments file's, so a re-import of other datasets keeps it.
 */
import { asc, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import type { RunDates } from './datasets.js';
import type { RunKey } from './records.js';
import { futurelearnRuns } from './schema.js';

/** What one import read of a run. */
export interface RunSeen extends RunKey {
  dates: RunDates | undefined;
  /** Learner rows of its enrolments file; undefined when no enrolments file was read. */
  learners: number | undefined;
}

/** A run as the index lists it. */
export interface ImportedRun extends RunKey {
  startDate: string | null;
  endDate: string | null;
  learners: number | null;
  importedAt: string;
}

/** Stores the runs one import read. */
export async function recordRunsSeen(database: Database, runs: readonly RunSeen[]): Promise<void> {
  if (runs.length === 0) return;
  await database.db
    .insert(futurelearnRuns)
    .values(runs.map((r) => ({ course: r.course, run: r.run, startDate: r.dates?.start ?? null, endDate: r.dates?.end ?? null, learners: r.learners ?? null })))
    .onConflictDoUpdate({
      target: [futurelearnRuns.course, futurelearnRuns.run],
      set: {
        startDate: sql`coalesce(excluded.start_date, futurelearn_runs.start_date)`,
        endDate: sql`coalesce(excluded.end_date, futurelearn_runs.end_date)`,
        learners: sql`coalesce(excluded.learners, futurelearn_runs.learners)`,
        importedAt: sql`now()`,
      },
    });
}

/**
 * Every run imported, by course, then run number (2 before 10).
 * @example const runs = await listImportedRuns(database);
 */
export async function listImportedRuns(database: Database): Promise<ImportedRun[]> {
  const rows = await database.db
    .select()
    .from(futurelearnRuns)
    .orderBy(asc(futurelearnRuns.course), sql`length(${futurelearnRuns.run})`, asc(futurelearnRuns.run));
  return rows.map((r) => ({ course: r.course, run: r.run, startDate: r.startDate, endDate: r.endDate, learners: r.learners, importedAt: r.importedAt.toISOString() }));
}
