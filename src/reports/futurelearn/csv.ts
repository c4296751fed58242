/**
 * The FutureLearn run reports as CSV files with a README.txt of their columns, for the
 * CLI. The files are written by the edX reports' writer: same format (UTF-8, RFC 4180,
 * header row), same README, one place to change it.
 */
import type { StatementQuery } from '../../lrs/statement-query.js';
import type { RunKey } from '../../translators/futurelearn/iris.js';
import { writeReportFiles, type ReportTable } from '../table.js';
import { commentWeeksTables } from './comment-weeks.js';
import { enrolmentDaysTable } from './daily-enrolments.js';
import { demographicsTable } from './demographics.js';
import { runFutureLearnReports, type FutureLearnRunReports, type RunTableReaders } from './run-stats.js';
import { stepHeatmapTable } from './step-heatmap.js';
import { videoStatsTable } from './video-stats.js';

const STEP = [
  { name: 'week', description: 'week number' },
  { name: 'step', description: 'step number within the week' },
];

/** The reports of a run as tables (name, columns with their meaning, rows). */
export function futurelearnTables(r: FutureLearnRunReports): ReportTable[] {
  return [
    {
      name: 'overview',
      description: "FutureLearn's stats overview: each figure counts joiners; completion shares are of the run's steps (the distinct steps seen in its statements)",
      columns: [
        { name: 'figure', description: 'what is counted (docs/futurelearn-reports.md defines each)' },
        { name: 'description', description: 'the figure in words' },
        { name: 'learners', description: 'number of joiners the figure counts' },
        { name: 'percent_of_joiners', description: 'learners in percent of joiners, one decimal' },
      ],
      rows: r.overview.map((f) => [f.figure, f.description, f.learners, f.percentOfJoiners]),
    },
    {
      name: 'step_funnel',
      description: 'per step, in course order: joiners who visited and completed it',
      columns: [
        ...STEP,
        { name: 'visited', description: 'joiners who visited the step' },
        { name: 'completed', description: 'joiners who completed the step' },
        { name: 'visited_percent', description: 'visited in percent of learners (joiners who visited any step)' },
        { name: 'completed_percent', description: 'completed in percent of learners' },
      ],
      rows: r.stepFunnel.map((f) => [f.week, f.step, f.visited, f.completed, f.visitedPercent, f.completedPercent]),
    },
    {
      name: 'comment_activity',
      description: 'per step: comments, replies, likes and distinct commenters (every author, educators too)',
      columns: [
        { name: 'week', description: 'week number (empty for comments that name no step)' },
        { name: 'step', description: 'step number within the week' },
        { name: 'comments', description: 'comments that start a thread' },
        { name: 'replies', description: 'replies to a comment' },
        { name: 'likes', description: 'likes of those comments and replies, as last exported' },
        { name: 'commenters', description: 'distinct authors of comments and replies' },
      ],
      rows: r.comments.map((c) => [c.week, c.step, c.comments, c.replies, c.likes, c.commenters]),
    },
    {
      name: 'quiz_results',
      description: 'per quiz question: responses, correct responses and learners',
      columns: [
        ...STEP,
        { name: 'question', description: 'question number within the step' },
        { name: 'responses', description: 'responses submitted' },
        { name: 'correct', description: 'correct responses' },
        { name: 'percent_correct', description: 'correct in percent of responses, one decimal' },
        { name: 'learners', description: 'distinct learners who responded' },
        { name: 'learners_correct_first', description: 'learners whose first response was correct' },
        { name: 'responses_left_out', description: 'responses of learners FutureLearn erased (empty learner_id): counted in FutureLearn\'s own totals, not in the columns before' },
      ],
      rows: r.quiz.map((q) => [q.week, q.step, q.question, q.responses, q.correct, q.percentCorrect, q.learners, q.learnersCorrectFirst, q.leftOut ?? 0]),
    },
    videoStatsTable(r.videos),
    demographicsTable(r.demographics),
    enrolmentDaysTable(r.signups),
    stepHeatmapTable(r.stepHeatmap),
    ...commentWeeksTables(r.commentWeeks),
  ];
}

/**
 * Computes a run's reports and writes them into `outFolder` as CSV files and README.txt.
 * @example await writeFutureLearnReports(query, futurelearnRunTables(database), { course: 'intro-to-x', run: '3' }, 'out/intro-to-x-3');
 */
export async function writeFutureLearnReports(
  query: StatementQuery,
  tables: RunTableReaders,
  key: RunKey,
  outFolder: string,
): Promise<{ files: string[]; statements: number }> {
  const reports = await runFutureLearnReports(query, tables, key);
  const about = `FutureLearn reports of ${key.course} run ${key.run} (${reports.runIri}), from ${reports.statements} statements; the run has ${reports.steps} steps.`;
  const files = await writeReportFiles(outFolder, futurelearnTables(reports), about);
  return { files, statements: reports.statements };
}
