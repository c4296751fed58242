/**
 * The rows of learners FutureLearn erased, counted per run, dataset and question as an
 * import reads them (futurelearn_erased_rows), and read back by the run reports, which
 * show beside a figure how many rows it leaves out (docs/futurelearn.md).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import type { RunKey } from './records.js';
import { futurelearnErasedRows } from './schema.js';

/** Counts erased rows while an import reads, and writes them when it is done. */
export interface ErasedRowCounter {
  count(run: RunKey, dataset: string, question?: string): void;
  /** Writes the counts, replacing those an earlier import of the same runs gave. */
  flush(): Promise<void>;
}

/**
 * The counter of `database`.
 * @example const erased = erasedRowCounter(database); erased.count(run, 'comments'); await erased.flush();
 */
export function erasedRowCounter(database: Database): ErasedRowCounter {
  let counts = new Map<string, typeof futurelearnErasedRows.$inferInsert>();
  return {
    count(run, dataset, question = '') {
      const key = `${run.course}\n${run.run}\n${dataset}\n${question}`;
      const known = counts.get(key);
      if (known === undefined) counts.set(key, { course: run.course, run: run.run, dataset, question, rows: 1 });
      else known.rows += 1;
    },
    async flush() {
      const rows = [...counts.values()];
      counts = new Map();
      for (let i = 0; i < rows.length; i += 500) {
        await database.db.insert(futurelearnErasedRows).values(rows.slice(i, i + 500)).onConflictDoUpdate({
          target: [futurelearnErasedRows.course, futurelearnErasedRows.run, futurelearnErasedRows.dataset, futurelearnErasedRows.question],
          set: { rows: sql`excluded.rows` },
        });
      }
    },
  };
}

/** A run's erased rows: by dataset, and answers by question (`week.step.question`). */
export interface ErasedRows {
  byDataset: Record<string, number>;
  byQuestion: Record<string, number>;
}

/**
 * The erased rows of one run.
 * @example (await readErasedRows(database, { course: 'intro-to-x', run: '3' })).byDataset['question-response']
 */
export async function readErasedRows(database: Database, key: RunKey): Promise<ErasedRows> {
  const rows = await database.db.select().from(futurelearnErasedRows)
    .where(and(eq(futurelearnErasedRows.course, key.course), eq(futurelearnErasedRows.run, key.run)));
  const result: ErasedRows = { byDataset: {}, byQuestion: {} };
  for (const r of rows) {
    result.byDataset[r.dataset] = (result.byDataset[r.dataset] ?? 0) + r.rows;
    if (r.question !== '') result.byQuestion[r.question] = r.rows;
  }
  return result;
}
