/**
 * The run's video figures, as FutureLearn exported them (`video-stats`). They describe
 * videos, not learners' actions, so the import keeps them in `futurelearn_video_stats`
 * rather than as statements, and this report reads that table.
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import { futurelearnVideoStats } from '../../ingest/futurelearn/schema.js';
import type { RunKey } from '../../translators/futurelearn/iris.js';

/** One video of the run. */
export interface VideoRow {
  /** The step of the video, `week.step`. */
  stepPosition: string;
  title: string | null;
  durationSeconds: number | null;
  totalViews: number | null;
  /** Every column of the exported row, for the figures not named above. */
  stats: Record<string, string>;
}

// `1.10` comes after `1.9`: compare the numbers, not the text.
const positionOrder = (p: string): number[] => p.split('.').map((n) => (/^\d+$/.test(n) ? Number(n) : Infinity));
const compareStepPositions = (a: string, b: string): number => {
  const x = positionOrder(a);
  const y = positionOrder(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
};

/** The videos of a run, in step order. */
export async function videoStatsOf(database: Database, key: RunKey): Promise<VideoRow[]> {
  const rows = await database.db
    .select()
    .from(futurelearnVideoStats)
    .where(and(eq(futurelearnVideoStats.course, key.course), eq(futurelearnVideoStats.run, key.run)));
  return rows
    .map((r) => ({ stepPosition: r.stepPosition, title: r.title, durationSeconds: r.videoDurationSeconds, totalViews: r.totalViews, stats: r.stats }))
    .sort((a, b) => compareStepPositions(a.stepPosition, b.stepPosition));
}
