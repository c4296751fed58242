/**
 * The FutureLearn reports of one course run: one read of the run's statements through
 * `StatementQuery` (the run as object or context activity: every FutureLearn statement
 * has the run first among its parents, docs/futurelearn.md), fed to every accumulator,
 * plus what the import keeps beside statements (video figures, the joiners'
 * demographics), read through the readers handed in.
 */
import { allStatements, type StatementQuery } from '../../lrs/statement-query.js';
import type { ErasedRows } from '../../ingest/futurelearn/erased-rows.js';
import type { RunKey } from '../../translators/futurelearn/iris.js';
import { commentActivity, type CommentRow } from './comment-activity.js';
import { commentWeeks, type CommentWeeks } from './comment-weeks.js';
import { dailyEnrolments, type EnrolmentDays } from './daily-enrolments.js';
import { demographicsOf, type DemographicTable, type ProfileReader } from './demographics.js';
import { learnerActivity } from './learner-activity.js';
import { overviewOf, type OverviewFigure } from './overview.js';
import { quizResults, type QuizRow } from './quiz-results.js';
import { RunIris } from './run-iris.js';
import { stepFunnelOf, type FunnelRow } from './step-funnel.js';
import { stepHeatmap, type StepHeatmap } from './step-heatmap.js';
import { videoStatsOf, type VideoRow, type VideoStatsReader } from './video-stats.js';
import { weekFunnelOf, type WeekFunnelRow } from './week-funnel.js';

/** What the import keeps beside statements, as the reports read it. */
export interface RunTableReaders {
  videos: VideoStatsReader;
  profiles: ProfileReader;
  /** Rows of learners FutureLearn erased, which no figure counts. */
  erasedRows: (key: RunKey) => Promise<ErasedRows>;
}

/** Every report of a run, as the JSON API returns it. */
export interface FutureLearnRunReports {
  course: string;
  run: string;
  /** The run's activity IRI. */
  runIri: string;
  /** The run's display name where a statement gives one, else the course slug. */
  title: string;
  /** Statements read. */
  statements: number;
  /** Distinct steps seen in the statements: the denominator of the completion shares. */
  steps: number;
  overview: OverviewFigure[];
  stepFunnel: FunnelRow[];
  weekFunnel: WeekFunnelRow[];
  comments: CommentRow[];
  quiz: QuizRow[];
  videos: VideoRow[];
  demographics: DemographicTable[];
  signups: EnrolmentDays;
  stepHeatmap: StepHeatmap;
  commentWeeks: CommentWeeks;
  /**
   * Rows of learners FutureLearn erased (empty learner_id), by dataset: no figure here
   * counts them, while FutureLearn's own statistics may (docs/futurelearn.md).
   */
  erasedByPlatform: Record<string, number>;
}

// The embedded LRS's largest page: fewer round trips to an external LRS too.
const PAGE = 500;

/**
 * Computes every report of a run.
 * @example const reports = await runFutureLearnReports(new EmbeddedStatementQuery(db), futurelearnRunTables(db), { course: 'intro-to-x', run: '3' });
 */
export async function runFutureLearnReports(query: StatementQuery, tables: RunTableReaders, key: RunKey): Promise<FutureLearnRunReports> {
  const iris = new RunIris(key);
  const activity = learnerActivity(iris);
  const comments = commentActivity(iris);
  const quiz = quizResults(iris);
  const signups = dailyEnrolments(iris);
  const heatmap = stepHeatmap(iris);
  const weeks = commentWeeks(iris);
  let statements = 0;
  let title: string | undefined;
  // Ascending, so that a later export of a comment is also read later.
  for await (const s of allStatements(query, { activity: iris.run, relatedActivities: true, ascending: true, limit: PAGE })) {
    statements += 1;
    title ??= iris.runNameIn(s);
    activity.add(s);
    comments.add(s);
    quiz.add(s);
    signups.add(s);
    heatmap.add(s);
    weeks.add(s);
  }
  const learners = activity.result();
  const erased = await tables.erasedRows(key);
  const joiners = [...learners.learners].filter(([, r]) => r.joined).map(([learner]) => learner);
  return {
    course: key.course,
    run: key.run,
    runIri: iris.run,
    title: title ?? key.course,
    statements,
    steps: learners.steps.size,
    overview: overviewOf(learners),
    stepFunnel: stepFunnelOf(learners),
    weekFunnel: weekFunnelOf(learners),
    comments: comments.result(),
    quiz: quiz.result().map((q) => ({ ...q, leftOut: erased.byQuestion[`${q.week}.${q.step}.${q.question}`] ?? 0 })),
    videos: await videoStatsOf(tables.videos, key),
    demographics: demographicsOf(joiners.length, await tables.profiles(joiners)),
    signups: signups.result(),
    stepHeatmap: heatmap.result(),
    commentWeeks: weeks.result(),
    erasedByPlatform: erased.byDataset,
  };
}
