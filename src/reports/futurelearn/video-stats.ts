/**
 * The run's video figures, as FutureLearn exported them (`video-stats`). They describe
 * videos, not learners' actions, so the import keeps them in `futurelearn_video_stats`
 * rather than as statements; this report reads that table through the reader it is
 * handed (ingest/futurelearn/side-tables.ts `readVideoStats`).
 */
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

/** The stored videos of a run, in any order. */
export type VideoStatsReader = (key: RunKey) => Promise<VideoRow[]>;

/** The videos of a run, in step order. */
export async function videoStatsOf(read: VideoStatsReader, key: RunKey): Promise<VideoRow[]> {
  return (await read(key)).sort((a, b) => compareStepPositions(a.stepPosition, b.stepPosition));
}
