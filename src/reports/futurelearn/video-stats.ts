/**
 * The run's video figures, as FutureLearn exported them (`video-stats`). They describe
 * videos, not learners' actions, so the import keeps them in `futurelearn_video_stats`
 * rather than as statements; this report reads that table through the reader it is
 * handed (ingest/futurelearn/side-tables.ts `readVideoStats`).
 */
import type { RunKey } from '../../translators/futurelearn/iris.js';
import { rounded } from '../numbers.js';
import type { Cell, ReportTable } from '../table.js';

const PERCENT_WORDS = { five: 5, twentyfive: 25, fifty: 50, seventyfive: 75, ninetyfive: 95, onehundred: 100 } as const;

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

/** The columns of FutureLearn's `video-stats` export (platforms.md) beyond the four named above, in its order. */
const EXPORTED: [column: string, description: string][] = [
  ['total_downloads', 'downloads of the video'],
  ['total_caption_views', 'views with captions on'],
  ['total_transcript_views', 'views of the transcript'],
  ['viewed_hd', 'views in HD, in percent of views'],
  ...(['five', 'twentyfive', 'fifty', 'seventyfive', 'ninetyfive', 'onehundred'] as const).map((p): [string, string] => [`viewed_${p}_percent`, `views that reached ${PERCENT_WORDS[p]}% of the video, in percent of views`]),
];

// Figures named in columns of their own, not repeated from `stats`.
const NAMED = new Set(['step_position', 'title', 'video_duration', 'total_views']);

/** A cell of the export: a number (one decimal: counts and percentages) or the text as exported. */
const figure = (text: string | undefined): Cell => (text === undefined || text === '' ? null : /^-?\d+(\.\d+)?$/.test(text.trim()) ? rounded(Number(text), 'percent') : text);

/**
 * The videos as a report table: one column per figure (no JSON in a cell). Every column
 * FutureLearn is known to export comes in its order; any other column a run's export
 * has follows, by name.
 */
export function videoStatsTable(videos: readonly VideoRow[]): ReportTable {
  const known = new Set(EXPORTED.map(([c]) => c));
  const others = [...new Set(videos.flatMap((v) => Object.keys(v.stats)))].filter((c) => !known.has(c) && !NAMED.has(c)).sort();
  const columns: [string, string][] = [...EXPORTED, ...others.map((c): [string, string] => [c, 'as exported by FutureLearn (a column not described here)'])];
  return {
    name: 'video_stats',
    description: "per video, FutureLearn's own figures (the video-stats dataset, not statements); empty where the export has no such column",
    columns: [
      { name: 'step_position', description: 'the step of the video, week.step' },
      { name: 'title', description: 'title of the video' },
      { name: 'video_duration_seconds', description: 'length of the video in seconds' },
      { name: 'total_views', description: 'views counted by FutureLearn' },
      ...columns.map(([name, description]) => ({ name, description })),
    ],
    rows: videos.map((v) => [v.stepPosition, v.title, v.durationSeconds, v.totalViews, ...columns.map(([c]) => figure(v.stats[c]))]),
  };
}
