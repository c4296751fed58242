/**
 * Rules of the Khan Academy endpoints (docs/khan.md, "Endpoints → statements"), keyed by
 * the exact endpoint path, so a grep for an endpoint finds its rule. The engine
 * (`../khan.ts`) adds id, actor, timestamp, platform, grouping and the source type.
 */
import type { KhanProgressChangeRecord, KhanRecord } from '../../ingest/khan/records.js';
import type { Activity, Extensions, Result, Verb } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { activity, type RecordOfType } from '../rule-table.js';
import { khanIri } from './iris.js';

/** One statement a record may give. */
export interface KhanStatementRule<R> {
  /** Which statement of the record this is (`points`, `video-time`): a part of the id key. */
  what: string;
  /**
   * The values the statement states, after the endpoint, student and `what` in the id key.
   * WARNING: every value of the statement belongs here: the Khan API gives totals, not
   * events, so a re-pull must give the same id exactly when nothing changed (invariant 1).
   */
  key: (r: R) => string;
  /** Whether the record gives this statement; those that give none are counted as ignored. */
  applies?: (r: R) => boolean;
  /** When it happened; undefined for totals with no date: the LRS then sets it to when it stored them (4.1.2.1). */
  time?: (r: R) => string | undefined;
  verb: Verb | ((r: R) => Verb);
  object: (r: R) => Activity;
  result?: (r: R) => Result | undefined;
  /** Context extensions besides the source type. */
  extensions?: (r: R) => Extensions;
}

/** How one endpoint's record becomes statements. */
export interface KhanRule<R> {
  statements: KhanStatementRule<R>[];
}

/** A rule (or `'ignore'`) for every record type, keyed by the exact endpoint path. */
export type KhanRuleTable<U extends { type: string } = KhanRecord> = {
  [K in U['type']]: KhanRule<RecordOfType<U, K>> | 'ignore';
};

/** The site, the object of profile statements and the grouping of all others. */
export const homeActivity = () => activity(khanIri.home, ACTIVITY_TYPE.lms);
const exercise = (name: string) => activity(khanIri.exercise(name), ACTIVITY_TYPE.exercise);

/**
 * What reaching a level means. Khan's levels: struggling, practiced, mastery1, mastery2,
 * mastery3 (shown as "Mastered"); before 2014, proficient and review. A level not listed
 * (mastery1, mastery2, review, unstarted after a reset) is `progressed`.
 */
interface LevelMeaning {
  verb: Verb;
  success?: boolean;
}
const LEVEL_VERBS: Record<string, LevelMeaning> = {
  practiced: { verb: VERB.practiced },
  proficient: { verb: VERB.passed, success: true },
  mastery3: { verb: VERB.mastered, success: true },
  mastered: { verb: VERB.mastered, success: true },
  // Struggling is no failure of a test: an attempt, not yet successful.
  struggling: { verb: VERB.attempted, success: false },
};

const levelOf = (r: KhanProgressChangeRecord): LevelMeaning => LEVEL_VERBS[r.toLevel] ?? { verb: VERB.progressed };

// Category keys sorted, so that the same counts always write the same key and extension.
const sortedCounts = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));

/** Every endpoint read into records, and what its records become. */
export const KHAN_RULES = {
  '/api/v1/user': {
    statements: [
      { what: 'joined', applies: (r) => r.joined !== undefined, key: (r) => r.joined ?? '', time: (r) => r.joined, verb: VERB.registered, object: homeActivity },
      {
        what: 'points',
        key: (r) => `${r.points}|${JSON.stringify(sortedCounts(r.badgeCounts))}`,
        verb: VERB.scored,
        object: homeActivity,
        result: (r) => ({ score: { raw: r.points, min: 0 }, extensions: { [EXT.badgeCounts]: sortedCounts(r.badgeCounts) } }),
      },
      {
        what: 'video-time',
        applies: (r) => r.totalSecondsWatched > 0,
        key: (r) => String(r.totalSecondsWatched),
        verb: VERB.experienced,
        object: () => activity(khanIri.videos, ACTIVITY_TYPE.media),
        // The total over all videos to date, not the time of one viewing.
        result: (r) => ({ duration: `PT${r.totalSecondsWatched}S` }),
      },
    ],
  },
  '/api/v1/user/exercises': {
    statements: [
      {
        what: 'totals',
        // An exercise listed but never answered has nothing to score.
        applies: (r) => r.totalDone > 0,
        key: (r) => `${r.exercise}|${r.totalDone}|${r.totalCorrect}|${r.streak}|${r.longestStreak}|${r.level}|${r.lastDone ?? ''}`,
        time: (r) => r.lastDone,
        verb: VERB.scored,
        object: (r) => exercise(r.exercise),
        result: (r) => ({
          score: { raw: r.totalCorrect, min: 0, max: r.totalDone, scaled: r.totalCorrect / r.totalDone },
          extensions: { [EXT.streak]: r.streak, [EXT.longestStreak]: r.longestStreak, [EXT.level]: r.level },
        }),
      },
    ],
  },
  '/api/v1/user/exercises/progress_changes': {
    statements: [
      {
        what: 'level',
        key: (r) => `${r.exercise}|${r.date}|${r.fromLevel ?? ''}|${r.toLevel}`,
        time: (r) => r.date,
        verb: (r) => levelOf(r).verb,
        object: (r) => exercise(r.exercise),
        result: (r) => {
          const { success } = levelOf(r);
          const extensions = { [EXT.level]: r.toLevel, ...(r.fromLevel === undefined ? {} : { [EXT.levelFrom]: r.fromLevel }) };
          return { ...(success === undefined ? {} : { success }), extensions };
        },
      },
    ],
  },
  '/api/v1/user/badges': {
    statements: [
      {
        what: 'earned',
        // A badge may be earned again (streak badges, on other exercises): the date and context tell the awards apart.
        key: (r) => `${r.badge}|${r.date}|${r.targetContext ?? ''}|${r.pointsEarned ?? ''}`,
        time: (r) => r.date,
        verb: VERB.earned,
        object: (r) => activity(khanIri.badge(r.slug), ACTIVITY_TYPE.badge),
        result: (r) => (r.pointsEarned === undefined ? undefined : { score: { raw: r.pointsEarned, min: 0 } }),
        extensions: (r) => ({
          ...(r.category === undefined ? {} : { [EXT.badgeCategory]: r.category }),
          ...(r.targetContext === undefined ? {} : { [EXT.targetContext]: r.targetContext }),
        }),
      },
    ],
  },
} satisfies KhanRuleTable;
