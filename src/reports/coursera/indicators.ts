/**
 * The 12 learner indicators of the Coursera learning-tracker widget, computed from the
 * statements of one course as docs/coursera.md shapes them (definitions:
 * docs/coursera-indicators.md). Pure: statements in, unscaled indicators out; reading
 * and scaling live in course-indicators.ts and scaling.ts.
 */
import { INDICATOR_ITEM_GROUPS, courseraIri } from '../../translators/coursera/iris.js';
import type { Statement } from '../../xapi/types.js';
import { EXT, VERB } from '../../xapi/vocabulary.js';
import { sessionMs } from '../sessions.js';

/** One indicator of one learner before scaling; `value` null with a `reason` when it cannot be computed. */
export interface RawIndicator {
  indicator: number;
  name: string;
  value: number | null;
  absolute_value?: number;
  total?: number;
  reason?: string;
}

/** What the indicators need of the course settings (course-settings.ts gives more). */
export interface IndicatorSettings {
  cohortStart: Date | null;
  moduleLengthDays: number;
  /** Coursera item id → weight; empty = every item scored in the cohort weighs 1. */
  gradeWeights: Record<string, number>;
  forumWeights: { questions: number; ownThreadAnswers: number; otherAnswers: number };
}

/** The course's items as every learner's statements show them, and the items anyone was scored on. */
export interface CourseCatalogue {
  items: Map<string, { type?: string; module?: number }>;
  scoredItems: Set<string>;
}

/** Indicator names, by number (1 to 12). */
export const INDICATOR_NAMES: Record<number, string> = {
  1: 'reviewed', 2: 'forum', 3: 'efficiency', 4: 'time_spent', 5: 'early_start', 6: 'timeliness',
  7: 'completion_all', 8: 'completion_discussion_prompts', 9: 'completion_peer_assignments',
  10: 'completion_supplements', 11: 'completion_lectures', 12: 'current_grade',
};

/** The old tool's weights of questions, answers in own threads and other answers. */
export const DEFAULT_FORUM_WEIGHTS = { questions: 0.5, ownThreadAnswers: 0.2, otherAnswers: 0.3 } as const;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Sessions shorter than this are page loads, not study (the old tool's 5 s). */
const MIN_SESSION_MS = 5000;
/** Early start and timeliness count at most a week of days ahead. */
const MAX_DAYS = 7;
const GROUPS: [number, readonly string[] | undefined][] = [
  [7, undefined],
  [8, INDICATOR_ITEM_GROUPS.discussion],
  [9, INDICATOR_ITEM_GROUPS.peer],
  [10, INDICATOR_ITEM_GROUPS.supplement],
  [11, INDICATOR_ITEM_GROUPS.lecture],
];

interface LearnerState {
  times: number[];
  started: Map<string, number>;
  completed: Map<string, number>;
  lastViewed: Map<string, number>;
  forumVisits: number;
  questions: Set<string>;
  /** Answer IRI → the question (thread) it answers, if the statement names one. */
  answers: Map<string, string | undefined>;
  best: Map<string, number>;
}

const earliest = (map: Map<string, number>, key: string, at: number) => map.set(key, Math.min(map.get(key) ?? at, at));

/**
 * Collects the statements of one course up to `at`, per learner (the actor's account
 * name) and for the course catalogue, then computes every learner's indicators.
 * @example const acc = new CourseraIndicatorAccumulator('C1', new Date()); for (const s of statements) acc.add(s);
 */
export class CourseraIndicatorAccumulator {
  private readonly learnerStates = new Map<string, LearnerState>();
  private readonly items: CourseCatalogue['items'] = new Map();
  private readonly scored = new Set<string>();
  private readonly prefix: { item: string; forums: string; question: string };
  private readonly atMs: number;

  constructor(
    readonly courseId: string,
    readonly at: Date,
  ) {
    const course = courseraIri.course(courseId);
    this.prefix = { item: `${course}/items/`, forums: courseraIri.forums(courseId), question: `${course}/discussions/questions/` };
    this.atMs = at.getTime();
  }

  /** Takes one statement of the course; later than `at`, without a timestamp or an account actor, it is skipped. */
  add(s: Statement): void {
    const time = s.timestamp === undefined ? NaN : Date.parse(s.timestamp);
    const learner = s.actor.account?.name;
    if (Number.isNaN(time) || time > this.atMs || learner === undefined) return;
    const state = this.state(learner);
    state.times.push(time);
    const object = (s.object as { id?: string }).id ?? '';
    const verb = s.verb.id;
    if (object.startsWith(this.prefix.item)) {
      this.catalogueItem(object, s);
      if (verb === VERB.attempted.id) earliest(state.started, object, time);
      else if (verb === VERB.completed.id) earliest(state.completed, object, time);
      else if (verb === VERB.viewed.id) state.lastViewed.set(object, Math.max(state.lastViewed.get(object) ?? time, time));
      else if (verb === VERB.scored.id && typeof s.result?.score?.scaled === 'number') {
        this.scored.add(object);
        state.best.set(object, Math.max(state.best.get(object) ?? -Infinity, s.result.score.scaled));
      }
    } else if (verb === VERB.viewed.id && object === this.prefix.forums) state.forumVisits += 1;
    else if (verb === VERB.posted.id && object.startsWith(this.prefix.question)) state.questions.add(object);
    else if (verb === VERB.replied.id) {
      const thread = s.context?.contextActivities?.parent?.find((p) => p.id.startsWith(this.prefix.question))?.id;
      state.answers.set(object, thread);
    }
  }

  /** The learners seen (account names), sorted. */
  learners(): string[] {
    return [...this.learnerStates.keys()].sort();
  }

  /** The items seen so far, with their type and module, and those anyone was scored on. */
  catalogue(): CourseCatalogue {
    return { items: new Map(this.items), scoredItems: new Set(this.scored) };
  }

  /**
   * Every learner's 12 indicators, against `catalogue` (default: the one these statements
   * give); `cohortOf` gives a learner's own cohort start (their session) where the
   * settings set none for the course.
   */
  indicators(settings: IndicatorSettings, catalogue: CourseCatalogue = this.catalogue(), cohortOf?: (learner: string) => Date | undefined): Map<string, RawIndicator[]> {
    // One frame per cohort start: a course has a few sessions and thousands of learners.
    const frames = new Map<number | null, CourseFrame>();
    const frameOf = (learner: string) => {
      const start = settings.cohortStart ?? cohortOf?.(learner) ?? null;
      const key = start?.getTime() ?? null;
      let frame = frames.get(key);
      if (frame === undefined) frames.set(key, (frame = new CourseFrame(this.courseId, { ...settings, cohortStart: start }, this.atMs, catalogue)));
      return frame;
    };
    return new Map(this.learners().map((learner) => [learner, frameOf(learner).indicatorsOf(this.learnerStates.get(learner)!)]));
  }

  /** One learner's 12 indicators; a learner without statements has zeros where they can be computed. */
  indicatorsOf(learner: string, settings: IndicatorSettings, catalogue: CourseCatalogue = this.catalogue()): RawIndicator[] {
    return new CourseFrame(this.courseId, settings, this.atMs, catalogue).indicatorsOf(this.learnerStates.get(learner) ?? emptyState());
  }

  private catalogueItem(item: string, s: Statement): void {
    const ext = s.context?.extensions ?? {};
    const known = this.items.get(item) ?? {};
    const type = ext[EXT.itemType];
    const module = ext[EXT.moduleIndex];
    if (typeof type === 'string') known.type = type;
    if (typeof module === 'number' && Number.isInteger(module) && module >= 1) known.module = module;
    this.items.set(item, known);
  }

  private state(learner: string): LearnerState {
    let state = this.learnerStates.get(learner);
    if (state === undefined) {
      state = emptyState();
      this.learnerStates.set(learner, state);
    }
    return state;
  }
}

function emptyState(): LearnerState {
  return { times: [], started: new Map(), completed: new Map(), lastViewed: new Map(), forumVisits: 0, questions: new Set(), answers: new Map(), best: new Map() };
}

/** The union of two catalogues (the cached course one and a learner's fresh statements). */
export function mergeCatalogues(a: CourseCatalogue, b: CourseCatalogue): CourseCatalogue {
  const items = new Map(a.items);
  for (const [id, info] of b.items) items.set(id, { ...items.get(id), ...info });
  return { items, scoredItems: new Set([...a.scoredItems, ...b.scoredItems]) };
}

/** The course as every learner is measured against: module deadlines, open items, grade weights. */
class CourseFrame {
  private readonly openItems: [string, { type?: string }][];
  private readonly weights: [string, number][];

  constructor(
    courseId: string,
    private readonly settings: IndicatorSettings,
    private readonly at: number,
    private readonly catalogue: CourseCatalogue,
  ) {
    // An item whose module is unknown cannot be placed in time: it counts as open.
    this.openItems = [...catalogue.items].filter(([, info]) => info.module === undefined || this.opens(info.module) <= at);
    const configured = Object.entries(settings.gradeWeights).filter(([, w]) => w > 0);
    this.weights = configured.length > 0
      ? configured.map(([itemId, w]) => [courseraIri.item(courseId, itemId), w])
      : [...catalogue.scoredItems].sort().map((item) => [item, 1]);
  }

  indicatorsOf(l: LearnerState): RawIndicator[] {
    const completed = [...l.completed];
    const reviewed = completed.filter(([item, at]) => (l.lastViewed.get(item) ?? -Infinity) > at).length;
    const startOf = (item: string, completedAt?: number) => l.started.get(item) ?? completedAt;
    // An item completed without a start row was started and finished at once.
    const sameDay = completed.filter(([item, at]) => utcDay(startOf(item, at)!) === utcDay(at)).length;
    return [
      ratio(1, reviewed, completed.length),
      { indicator: 2, name: INDICATOR_NAMES[2]!, value: this.forum(l) },
      ratio(3, sameDay, completed.length),
      { indicator: 4, name: INDICATOR_NAMES[4]!, value: minutesInSessions(l.times) },
      this.earlyStart(l),
      this.timeliness(l),
      ...GROUPS.map(([n, types]) => this.completion(n, types, l)),
      this.grade(l),
    ];
  }

  private opens(module: number): number {
    return (this.settings.cohortStart?.getTime() ?? -Infinity) + (module - 1) * this.settings.moduleLengthDays * DAY_MS;
  }

  private deadline(module: number): number {
    return this.settings.cohortStart!.getTime() + module * this.settings.moduleLengthDays * DAY_MS;
  }

  private forum(l: LearnerState): number {
    const w = this.settings.forumWeights;
    const answers = [...l.answers.values()];
    const own = answers.filter((thread) => thread !== undefined && l.questions.has(thread)).length;
    const posts = l.questions.size + answers.length;
    return (w.questions * l.questions.size + w.ownThreadAnswers * own + w.otherAnswers * (answers.length - own)) / Math.max(l.forumVisits, posts, 1);
  }

  private earlyStart(l: LearnerState): RawIndicator {
    const base = { indicator: 5, name: INDICATOR_NAMES[5]! };
    if (this.settings.cohortStart === null) return { ...base, value: null, reason: 'the course settings give no cohortStart, so modules have no deadlines' };
    const firstStart = new Map<number, number>();
    for (const [item, at] of [...l.completed, ...l.started]) {
      const module = this.catalogue.items.get(item)?.module;
      if (module !== undefined) firstStart.set(module, Math.min(firstStart.get(module) ?? at, at));
    }
    return { ...base, value: mean([...firstStart].map(([module, at]) => daysAhead(at, this.deadline(module)))) };
  }

  private timeliness(l: LearnerState): RawIndicator {
    const base = { indicator: 6, name: INDICATOR_NAMES[6]! };
    if (this.settings.cohortStart === null) return { ...base, value: null, reason: 'the course settings give no cohortStart, so modules have no deadlines' };
    const days = [...l.completed].flatMap(([item, at]) => {
      const module = this.catalogue.items.get(item)?.module;
      return module === undefined ? [] : [daysAhead(at, this.deadline(module))];
    });
    return { ...base, value: mean(days) };
  }

  private completion(n: number, types: readonly string[] | undefined, l: LearnerState): RawIndicator {
    const group = this.openItems.filter(([, info]) => types === undefined || (info.type !== undefined && types.includes(info.type)));
    if (group.length === 0) return { indicator: n, name: INDICATOR_NAMES[n]!, value: null, reason: 'the course has no such items in the modules open so far' };
    return ratio(n, group.filter(([item]) => l.completed.has(item)).length, group.length);
  }

  private grade(l: LearnerState): RawIndicator {
    const base = { indicator: 12, name: INDICATOR_NAMES[12]! };
    const total = this.weights.reduce((sum, [, w]) => sum + w, 0);
    if (total === 0) return { ...base, value: null, reason: 'no graded items: no gradeWeights in the settings and nobody scored yet' };
    const earned = this.weights.reduce((sum, [item, w]) => sum + w * Math.max(0, l.best.get(item) ?? 0), 0);
    return { ...base, value: (100 * earned) / total };
  }
}

/** A percentage with its count and total; 0 of 0 is 0 (nothing done yet, nothing to praise). */
function ratio(n: number, count: number, total: number): RawIndicator {
  return { indicator: n, name: INDICATOR_NAMES[n]!, value: total === 0 ? 0 : (100 * count) / total, absolute_value: count, total };
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Days from `at` to `deadline`, within 0 to 7. */
function daysAhead(at: number, deadline: number): number {
  return Math.min(MAX_DAYS, Math.max(0, (deadline - at) / DAY_MS));
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Minutes in sessions: timestamps split at gaps over 30 minutes, sessions under 5 s dropped. */
export function minutesInSessions(times: number[]): number {
  return sessionMs(times, MIN_SESSION_MS) / 60000;
}
