/**
 * What can be reported, as data: per platform, each report's name, URL template,
 * parameters, formats and one line of meaning, and the CLI command writing its CSV
 * files. `GET /reports` and `GET /reports/<platform>` serve it (index-routes.ts); the
 * edX rows come from the edX report table itself, so a new report is listed at once.
 */
import { EDX_REPORTS } from './edx/reports.js';

/** A parameter of a report URL. */
export interface ReportParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description: string;
}

/** One report as the index lists it. */
export interface ReportEntry {
  name: string;
  /** The URL, `{name}` standing for each path parameter and required query parameter. */
  url: string;
  /** HTTP methods other than GET, where there are some. */
  methods?: string[];
  parameters: ReportParameter[];
  /** Media types the URL answers in. */
  formats: string[];
  description: string;
  /** The command line writing the same report as CSV files, where there is one. */
  cli?: string;
  /** The columns of its rows, where they are fixed. */
  columns?: string[];
}

/** The platforms whose reports are served over HTTP. */
export type IndexedPlatform = 'edx' | 'coursera' | 'futurelearn';

const param = (name: string, where: ReportParameter['in'], required: boolean, description: string): ReportParameter => ({ name, in: where, required, description });
const EDX_COURSE = param('course', 'query', true, 'the edX course id as typed: course-v1:Org+Course+Run (+ or %2B), Org/Course/Run, or a CCX id');
const SPAN = [param('from', 'query', false, 'first UTC day, YYYY-MM-DD'), param('to', 'query', false, 'last UTC day, YYYY-MM-DD')];
const PAGE = [param('offset', 'query', false, 'rows to skip, default 0'), param('limit', 'query', false, 'rows per page, 1 to 5000, default 1000')];
const COURSERA_COURSE = param('course', 'path', true, 'the Coursera course id');
const LEARNER = param('learner', 'path', true, 'the hashed Coursera user id of the exports');
const AT = param('at', 'query', false, 'the time the indicators are taken at, ISO 8601; default now');
const FL_RUN = [param('course', 'path', true, 'the FutureLearn course slug'), param('run', 'path', true, 'the run number')];

/** Per platform: a line of meaning and its reports. */
export const REPORT_INDEX: Record<IndexedPlatform, { description: string; reports: () => ReportEntry[] }> = {
  edx: {
    description: 'edX course-run reports from the course statements: video, problems, forum, textbook, pages, surveys, a daily summary',
    reports: () =>
      Object.entries(EDX_REPORTS).map(([name, r]) => ({
        name,
        url: `/reports/edx/${name}?course={course}`,
        parameters: [EDX_COURSE, ...SPAN, ...PAGE],
        formats: ['application/json'],
        description: r.description,
        cli: `report edx ${name} --course ID --out <folder>`,
        ...(r.columns.length > 0 && { columns: r.columns.map((c) => c.name) }),
      })),
  },
  coursera: {
    description: 'the 12 learner indicators of the Coursera learning-tracker widget, and learners\' choices of them',
    reports: () => [
      { name: 'learner_indicators', url: '/reports/coursera/{course}/learners/{learner}', parameters: [COURSERA_COURSE, LEARNER, AT], formats: ['application/json'], description: "a learner's 12 indicators: value, count and total, 0–10 scaled value (widget or admin token)" },
      { name: 'learner_choice', url: '/reports/coursera/{course}/learners/{learner}/choice', methods: ['PUT'], parameters: [COURSERA_COURSE, LEARNER, param('history', 'query', false, 'true: every earlier choice too')], formats: ['application/json'], description: "a learner's choice of indicators, goal and consent (widget or admin token)" },
      { name: 'indicators', url: '/reports/coursera/{course}/indicators.csv', parameters: [COURSERA_COURSE, AT], formats: ['text/csv'], description: 'every learner of a course with the 12 indicators, one row each (admin token); docs/reports/coursera.md lists the columns', cli: 'report coursera --course ID --out <file>' },
    ],
  },
  futurelearn: {
    description: 'FutureLearn course-run reports: the stats overview, the step funnel, comments, quizzes, videos, demographics, sign-ups, step activity by date; the runs imported and their comparison',
    reports: () => [
      { name: 'courses', url: '/reports/futurelearn/courses', parameters: [], formats: ['text/html', 'application/json'], description: 'the courses and runs imported, linking to each dashboard and comparison (.json for JSON)' },
      { name: 'run_comparison', url: '/reports/futurelearn/{course}/compare', parameters: [FL_RUN[0]!, param('runs', 'query', false, 'runs separated by commas, at most 8; default the latest 8 imported')], formats: ['text/html', 'application/json', 'text/csv'], description: 'runs of a course side by side: figures, quiz correctness, funnel per week (.json, .csv)' },
      { name: 'dashboard', url: '/reports/futurelearn/{course}/{run}', parameters: FL_RUN, formats: ['text/html'], description: 'the run dashboard: figures and bar charts, readable on a phone' },
      { name: 'run_reports', url: '/reports/futurelearn/{course}/{run}.json', parameters: FL_RUN, formats: ['application/json'], description: 'every report of the run as JSON', cli: 'report futurelearn --course SLUG --run N --out <folder>' },
    ],
  },
};
