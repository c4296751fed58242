/**
 * FutureLearn benchmark: the import of a generated `step-activity` dataset of N rows
 * (N/40 learners over 4 weeks of 10 steps, nine rows in ten completed) into the
 * PostgreSQL outbox: rows/s and peak memory.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFutureLearnRun } from '../src/pipelines/futurelearn.js';
import { Outbox } from '../src/lrs/outbox.js';
import { withBenchDatabase } from './bench-database.js';
import { importFigures, measured } from './measured.js';

const START = Date.UTC(2026, 0, 5);
const stamp = (ms: number) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

/** Writes `rows` step-activity rows into a run folder of the data layout; returns the folder. */
async function writeStepActivity(root: string, rows: number): Promise<string> {
  const folder = join(root, 'bench-uni', 'bench-course', '1 - 2026-01-05 - 2026-02-01');
  await mkdir(folder, { recursive: true });
  const out = createWriteStream(join(folder, 'step-activity.csv'));
  out.write('learner_id,step,week_number,step_number,first_visited_at,last_completed_at\n');
  for (let r = 0; r < rows; r++) {
    const learner = Math.floor(r / 40);
    const week = Math.floor((r % 40) / 10) + 1;
    const step = (r % 10) + 1;
    const visited = START + (week - 1) * 7 * 86_400_000 + (learner % 1000) * 60_000 + step * 600_000;
    const completed = r % 10 === 9 ? '' : stamp(visited + 300_000);
    if (!out.write(`learner-${learner.toString(16).padStart(8, '0')},${week}.${step},${week},${step},${stamp(visited)},${completed}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return folder;
}

/** Imports `rows` step-activity rows into the PostgreSQL outbox; returns the figures. */
export async function benchFutureLearn(rows: number): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'xgw-bench-futurelearn-'));
  try {
    const folder = await writeStepActivity(dir, rows);
    return await withBenchDatabase(async (database) => {
      const outbox = new Outbox(database, { baseMs: 1000, maxMs: 60_000, maxAttempts: 50 });
      const run = await measured(() => importFutureLearnRun({ database, outbox, secret: 'bench-pseudonym-secret-0123456789', path: folder }));
      const results = importFigures(run);
      console.error(`step-activity import of ${results.rows} rows: ${results.rowsPerSecond} rows/s (${results.statementsPerSecond} statements/s), peak RSS ${results.peakRssMb} MB`);
      return results;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
