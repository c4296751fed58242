/**
 * The FutureLearn reports of one course run: one read of the run's statements through
 * `StatementQuery` (the run as object or context activity: every FutureLearn statement
 * has the run first among its parents, docs/futurelearn.md), fed to every accumulator,
 * plus the run's video figures, read through the reader handed in.
 */
import { allStatements, type StatementQuery } from '../../lrs/statement-query.js';
import type { RunKey } from '../../translators/futurelearn/iris.js';
import { commentActivity, type CommentRow } from './comment-activity.js';
import { learnerActivity } from './learner-activity.js';
import { overviewOf, type OverviewFigure } from './overview.js';
import { quizResults, type QuizRow } from './quiz-results.js';
import { RunIris } from './run-iris.js';
import { stepFunnelOf, type FunnelRow } from './step-funnel.js';
import { videoStatsOf, type VideoRow, type VideoStatsReader } from './video-stats.js';

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
  comments: CommentRow[];
  quiz: QuizRow[];
  videos: VideoRow[];
}

// The embedded LRS's largest page: fewer round trips to an external LRS too.
const PAGE = 500;

/**
 * Computes every report of a run.
 * @example const reports = await runFutureLearnReports(new EmbeddedStatementQuery(db), (key) => readVideoStats(db, key), { course: 'intro-to-x', run: '3' });
 */
export async function runFutureLearnReports(query: StatementQuery, videos: VideoStatsReader, key: RunKey): Promise<FutureLearnRunReports> {
  const iris = new RunIris(key);
  const activity = learnerActivity(iris);
  const comments = commentActivity(iris);
  const quiz = quizResults(iris);
  let statements = 0;
  let title: string | undefined;
  // Ascending, so that a later export of a comment is also read later.
  for await (const s of allStatements(query, { activity: iris.run, relatedActivities: true, ascending: true, limit: PAGE })) {
    statements += 1;
    title ??= iris.runNameIn(s);
    activity.add(s);
    comments.add(s);
    quiz.add(s);
  }
  const learners = activity.result();
  return {
    course: key.course,
    run: key.run,
    runIri: iris.run,
    title: title ?? key.course,
    statements,
    steps: learners.steps.size,
    overview: overviewOf(learners),
    stepFunnel: stepFunnelOf(learners),
    comments: comments.result(),
    quiz: quiz.result(),
    videos: await videoStatsOf(videos, key),
  };
}
