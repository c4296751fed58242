/**
 * What an import keeps of FutureLearn datasets besides statements: learners'
 * demographics (`enrolments`) in `learner_profiles`, per-video figures (`video-stats`)
 * in `futurelearn_video_stats` and the runs read in `futurelearn_runs` (run-list.ts). Upserts in batches, so re-importing a run changes
 * nothing but `updated_at`; an empty cell never erases a value an earlier run gave.
 * The run reports read the video figures back through `readVideoStats`.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import { mergeFutureLearnProfiles, readFutureLearnProfiles, type ProfileRow, type StoredFutureLearnProfile } from '../learner-profiles.js';
import { recordRunsSeen, type RunSeen } from './run-list.js';
import { futurelearnVideoStats } from './schema.js';
import type { FutureLearnProfile, RunKey, VideoStatsRecord } from './records.js';
import { erasedRowCounter, readErasedRows, type ErasedRows } from './erased-rows.js';

/** Where the pipeline puts demographics and video figures; `translate` has none. */
export interface FutureLearnSideTables {
  /** A learner's demographics, by account name (the pseudonym). */
  profile(learner: string, profile: FutureLearnProfile): Promise<void>;
  /** One video's figures. */
  videoStats(record: VideoStatsRecord): Promise<void>;
  /** The runs one imported path held, with their days and learners. */
  runs(seen: readonly RunSeen[]): Promise<void>;
  /** Counts a row of a learner FutureLearn erased (erased-rows.ts). */
  erasedRow(run: RunKey, dataset: string, question?: string): void;
  /** Writes what is buffered. */
  flush(): Promise<void>;
}

const BATCH = 500;

type VideoRow = typeof futurelearnVideoStats.$inferInsert;

/**
 * The side tables in `database`, written in batches of 500.
 * @example const side = databaseSideTables(database); ...; await side.flush();
 */
export function databaseSideTables(database: Database): FutureLearnSideTables {
  // Keyed, so that a batch never names one row twice (ON CONFLICT cannot update a row twice).
  let profiles = new Map<string, ProfileRow>();
  let videos = new Map<string, VideoRow>();
  const erased = erasedRowCounter(database);
  const writeProfiles = async () => {
    if (profiles.size === 0) return;
    const rows = [...profiles.values()];
    profiles = new Map();
    await mergeFutureLearnProfiles(database, rows);
  };
  const writeVideos = async () => {
    if (videos.size === 0) return;
    const rows = [...videos.values()];
    videos = new Map();
    await database.db
      .insert(futurelearnVideoStats)
      .values(rows)
      .onConflictDoUpdate({
        target: [futurelearnVideoStats.course, futurelearnVideoStats.run, futurelearnVideoStats.stepPosition],
        set: { title: sql`excluded.title`, videoDurationSeconds: sql`excluded.video_duration_seconds`, totalViews: sql`excluded.total_views`, stats: sql`excluded.stats`, updatedAt: sql`now()` },
      });
  };
  return {
    async profile(learner, p) {
      profiles.set(learner, {
        platform: 'futurelearn', learner, gender: p.gender ?? null, country: p.country ?? null, ageRange: p.ageRange ?? null,
        levelOfEducation: p.highestEducation ?? null, employmentStatus: p.employmentStatus ?? null, employmentArea: p.employmentArea ?? null,
        detectedCountry: p.detectedCountry ?? null,
      });
      if (profiles.size >= BATCH) await writeProfiles();
    },
    async videoStats(r) {
      videos.set(`${r.run.course}\n${r.run.run}\n${r.stepPosition}`, {
        course: r.run.course, run: r.run.run, stepPosition: r.stepPosition, title: r.title ?? null,
        videoDurationSeconds: r.durationSeconds ?? null, totalViews: r.totalViews ?? null, stats: r.stats,
      });
      if (videos.size >= BATCH) await writeVideos();
    },
    runs: (seen) => recordRunsSeen(database, seen),
    erasedRow: (run, dataset, question) => erased.count(run, dataset, question),
    async flush() {
      await writeProfiles();
      await writeVideos();
      await erased.flush();
    },
  };
}

/** One video's figures as stored. */
export interface StoredVideoStats {
  /** The step of the video, `week.step`. */
  stepPosition: string;
  title: string | null;
  durationSeconds: number | null;
  totalViews: number | null;
  /** Every column of the exported row. */
  stats: Record<string, string>;
}

/** The stored figures of a run's videos, in no particular order. */
export async function readVideoStats(database: Database, key: { course: string; run: string }): Promise<StoredVideoStats[]> {
  const rows = await database.db
    .select()
    .from(futurelearnVideoStats)
    .where(and(eq(futurelearnVideoStats.course, key.course), eq(futurelearnVideoStats.run, key.run)));
  return rows.map((r) => ({ stepPosition: r.stepPosition, title: r.title, durationSeconds: r.videoDurationSeconds, totalViews: r.totalViews, stats: r.stats }));
}

/**
 * The readers of what an import keeps beside statements, as the run reports take them.
 * @example await runFutureLearnReports(query, futurelearnRunTables(database), { course: 'intro-to-x', run: '3' });
 */
export function futurelearnRunTables(database: Database): {
  videos: (key: { course: string; run: string }) => Promise<StoredVideoStats[]>;
  profiles: (learners: readonly string[]) => Promise<StoredFutureLearnProfile[]>;
  erasedRows: (key: RunKey) => Promise<ErasedRows>;
} {
  return {
    videos: (key) => readVideoStats(database, key), profiles: (learners) => readFutureLearnProfiles(database, learners),
    erasedRows: (key) => readErasedRows(database, key),
  };
}
