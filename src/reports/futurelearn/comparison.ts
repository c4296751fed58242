/**
 * The comparison of runs of one course: for each run, side by side, the figures a course
 * team compares (joiners, learners, active, fully participating, leavers, comments and
 * replies, quiz correctness) and the funnel per week. Each run's figures are those of its
 * own reports (run-stats.ts), computed one run after another.
 */
import type { StatementQuery } from '../../lrs/statement-query.js';
import type { ReportTable } from '../table.js';
import { percentOf } from './overview.js';
import { runFutureLearnReports, type FutureLearnRunReports, type RunTableReaders } from './run-stats.js';
import type { WeekFunnelRow } from './week-funnel.js';

/** One run's figures in the comparison. */
export interface ComparedRun {
  run: string;
  title: string;
  statements: number;
  joiners: number;
  learners: number;
  activeLearners: number;
  fullyParticipating: number;
  leavers: number;
  comments: number;
  replies: number;
  quizResponses: number;
  quizCorrect: number;
  /** Correct in percent of responses, one decimal; null without responses. */
  quizPercentCorrect: number | null;
  weekFunnel: WeekFunnelRow[];
}

/** The comparison: the course and its runs in the order asked. */
export interface RunComparison {
  course: string;
  runs: ComparedRun[];
}

// The figures of the overview the comparison takes, by their overview name.
const FIGURES = {
  joiners: 'joiners',
  learners: 'learners',
  activeLearners: 'active_learners',
  fullyParticipating: 'fully_participating_learners',
  leavers: 'leavers',
} as const;

/** One run's line of the comparison, from its reports. */
export function comparedRun(r: FutureLearnRunReports): ComparedRun {
  const figure = (name: string) => r.overview.find((f) => f.figure === name)?.learners ?? 0;
  const sum = <T>(rows: readonly T[], of: (row: T) => number) => rows.reduce((n, row) => n + of(row), 0);
  const quizResponses = sum(r.quiz, (q) => q.responses);
  const quizCorrect = sum(r.quiz, (q) => q.correct);
  return {
    run: r.run,
    title: r.title,
    statements: r.statements,
    ...(Object.fromEntries(Object.entries(FIGURES).map(([key, name]) => [key, figure(name)])) as Record<keyof typeof FIGURES, number>),
    comments: sum(r.comments, (c) => c.comments),
    replies: sum(r.comments, (c) => c.replies),
    quizResponses,
    quizCorrect,
    quizPercentCorrect: percentOf(quizCorrect, quizResponses),
    weekFunnel: r.weekFunnel,
  };
}

/**
 * Compares `runs` of `course`, reading each run's statements in turn.
 * @example await compareRuns(query, futurelearnRunTables(database), 'intro-to-x', ['1', '2']);
 */
export async function compareRuns(query: StatementQuery, tables: RunTableReaders, course: string, runs: readonly string[]): Promise<RunComparison> {
  const compared: ComparedRun[] = [];
  for (const run of runs) compared.push(comparedRun(await runFutureLearnReports(query, tables, { course, run })));
  return { course, runs: compared };
}

/** The comparison as a report table, a row per run. */
export function comparisonTable(c: RunComparison): ReportTable {
  const weeks = [...new Set(c.runs.flatMap((r) => r.weekFunnel.map((w) => w.week)))].sort((a, b) => a - b);
  return {
    name: 'run_comparison',
    description: 'per run of the course: the overview figures, comments, quiz correctness and the share of learners who visited each week',
    columns: [
      { name: 'run', description: 'the run number' },
      { name: 'joiners', description: 'learners who registered' },
      { name: 'learners', description: 'joiners who visited a step' },
      { name: 'active_learners', description: 'joiners who completed a step' },
      { name: 'fully_participating_learners', description: 'joiners who fully participated' },
      { name: 'leavers', description: 'joiners who unenrolled or answered the leaving survey' },
      { name: 'comments', description: 'comments that start a thread, every author' },
      { name: 'replies', description: 'replies, every author' },
      { name: 'quiz_percent_correct', description: 'correct quiz responses in percent of responses, one decimal' },
      ...weeks.map((w) => ({ name: `week_${w}_visited_percent`, description: `learners who visited a step of week ${w}, in percent of learners` })),
    ],
    rows: c.runs.map((r) => [
      r.run, r.joiners, r.learners, r.activeLearners, r.fullyParticipating, r.leavers, r.comments, r.replies, r.quizPercentCorrect,
      ...weeks.map((w) => r.weekFunnel.find((f) => f.week === w)?.visitedPercent ?? null),
    ]),
  };
}
