/**
 * The Coursera indicators of a course's learners, read through `StatementQuery`: the
 * course's statements once (the course IRI with related activities, so every statement
 * whose parent is the course), all learners computed together, then scaled. The
 * previous cohort's maxima and each course's context (item catalogue, cohort maxima)
 * are cached in memory, so that a widget asking for one learner reads only that
 * learner's statements (the `agent` filter) most of the time.
 */
import type { Database } from '../../db/connection.js';
import { sessionCohortStarts } from '../../ingest/coursera/sessions.js';
import { allStatements, type StatementQuery } from '../../lrs/statement-query.js';
import { COURSERA_HOME, courseraIri } from '../../translators/coursera/iris.js';
import { accountActor } from '../../xapi/ids.js';
import { getCourseSettings, type CourseraCourseSettings } from './course-settings.js';
import { CourseraIndicatorAccumulator, mergeCatalogues, type CourseCatalogue } from './indicators.js';
import { indicatorMaxima, scaleIndicators, type MaximaSources, type ScaledIndicator } from './scaling.js';

/** Every learner of a course with their scaled indicators. */
export interface CourseIndicators {
  courseId: string;
  at: string;
  statements: number;
  learners: { learner: string; indicators: ScaledIndicator[] }[];
}

/** What the service reads from, and how long it keeps what it computed. */
export interface CourseIndicatorDeps {
  database: Database;
  statements: StatementQuery;
  /** How long a course's context (catalogue, cohort maxima) serves learner requests; default 60 s. */
  contextTtlMs?: number;
  /** How long a previous cohort's maxima are kept; default 10 minutes (that cohort is over). */
  previousTtlMs?: number;
  now?: () => Date;
}

interface CourseContext {
  catalogue: CourseCatalogue;
  cohort: Map<number, number>;
}

/** A small map whose entries expire; the oldest goes when it is full. */
class TtlCache<V> {
  private readonly entries = new Map<string, { until: number; value: Promise<V> }>();
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly capacity = 200,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit !== undefined && hit.until > this.now()) return hit.value;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    // The promise is cached, so concurrent requests share one read; a failure is not kept.
    const value = load();
    this.entries.set(key, { until: this.now() + this.ttlMs, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

const PAGE = 500;

/**
 * Computes and caches the indicators of Coursera courses.
 * @example const all = await new CourseraIndicatorService({ database, statements }).courseIndicators('C1');
 */
export class CourseraIndicatorService {
  private readonly now: () => Date;
  private readonly contexts: TtlCache<CourseContext>;
  private readonly previous: TtlCache<Map<number, number> | undefined>;

  constructor(private readonly deps: CourseIndicatorDeps) {
    this.now = deps.now ?? (() => new Date());
    const clock = () => this.now().getTime();
    this.contexts = new TtlCache(deps.contextTtlMs ?? 60_000, clock);
    this.previous = new TtlCache(deps.previousTtlMs ?? 10 * 60_000, clock);
  }

  /** Every learner's indicators at `at` (default now), from one read of the course's statements. */
  async courseIndicators(courseId: string, at: Date = this.now()): Promise<CourseIndicators> {
    const settings = await getCourseSettings(this.deps.database, courseId);
    const { acc, statements } = await this.read(courseId, at);
    const raw = acc.indicators(settings, acc.catalogue(), await this.cohorts(courseId, settings, at));
    const sources = await this.sources(settings, indicatorMaxima(raw.values()));
    return {
      courseId,
      at: at.toISOString(),
      statements,
      learners: [...raw].map(([learner, indicators]) => ({ learner, indicators: scaleIndicators(indicators, sources) })),
    };
  }

  /**
   * One learner's indicators (by account name, the pseudonym) at `at` (default now): the
   * learner's statements are read fresh, the course context comes from the cache.
   */
  async learnerIndicators(courseId: string, learner: string, at?: Date): Promise<ScaledIndicator[]> {
    const when = at ?? this.now();
    const settings = await getCourseSettings(this.deps.database, courseId);
    // Keyed by the `at` asked for: "now" shares one entry per course for the TTL.
    const context = await this.contexts.get(`${courseId}\u0000${at?.toISOString() ?? 'now'}`, () => this.context(courseId, when, settings));
    const { acc } = await this.read(courseId, when, learner);
    const cohortOf = await this.cohorts(courseId, settings, when, learner);
    const own = { ...settings, cohortStart: settings.cohortStart ?? cohortOf(learner) ?? null };
    const indicators = acc.indicatorsOf(learner, own, mergeCatalogues(context.catalogue, acc.catalogue()));
    return scaleIndicators(indicators, await this.sources(settings, context.cohort));
  }

  private async context(courseId: string, at: Date, settings: CourseraCourseSettings): Promise<CourseContext> {
    const { acc } = await this.read(courseId, at);
    return { catalogue: acc.catalogue(), cohort: indicatorMaxima(acc.indicators(settings, acc.catalogue(), await this.cohorts(courseId, settings, at)).values()) };
  }

  /**
   * Each learner's cohort start from the exports' sessions (sessions.ts), unless the
   * settings set one for the course by hand: that one overrides them.
   */
  private async cohorts(courseId: string, settings: CourseraCourseSettings, at: Date, learner?: string): Promise<(learner: string) => Date | undefined> {
    if (settings.cohortStart !== null) return () => undefined;
    const starts = await sessionCohortStarts(this.deps.database, courseId, at, learner);
    return (name) => starts.get(name);
  }

  private async sources(settings: CourseraCourseSettings, cohort: Map<number, number>): Promise<MaximaSources> {
    const previousId = settings.previousCourseId;
    const previous = previousId === null ? undefined : await this.previous.get(previousId, () => this.previousMaxima(previousId));
    return { ...(previous !== undefined && { previous }), settings: settings.maxima, cohort };
  }

  /** The maxima over the previous cohort's learners, with its own settings, over all its statements; undefined when it has none. */
  private async previousMaxima(courseId: string): Promise<Map<number, number> | undefined> {
    const settings = await getCourseSettings(this.deps.database, courseId);
    const at = this.now();
    const { acc, statements } = await this.read(courseId, at);
    return statements === 0 ? undefined : indicatorMaxima(acc.indicators(settings, acc.catalogue(), await this.cohorts(courseId, settings, at)).values());
  }

  /** The course's statements up to `at` (of one learner, when given) in an accumulator. */
  private async read(courseId: string, at: Date, learner?: string): Promise<{ acc: CourseraIndicatorAccumulator; statements: number }> {
    const acc = new CourseraIndicatorAccumulator(courseId, at);
    let statements = 0;
    const filter = {
      activity: courseraIri.course(courseId),
      relatedActivities: true,
      ...(learner !== undefined && { agent: accountActor(COURSERA_HOME, learner) }),
      limit: PAGE,
    };
    // `until` would bound the stored time, not the timestamp: imports store old events late,
    // so `at` is applied to timestamps in the accumulator instead.
    for await (const s of allStatements(this.deps.statements, filter)) {
      statements += 1;
      acc.add(s);
    }
    return { acc, statements };
  }
}
