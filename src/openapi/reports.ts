/**
 * Reports over HTTP (ADMIN_TOKEN): the index of what can be reported, the edX course
 * reports, and the FutureLearn run reports with their dashboard. Each is computed from
 * statements on each request. The Coursera widget: ./coursera.ts.
 */
import { json, type Param, type PathTable } from './kit.js';

const ADMIN = ['admin' as const];
const TEXT = { type: 'string' } as const;
const TEXTS = { type: 'array', items: TEXT } as const;
/** `GET /reports`: the platforms whose reports are on. */
const PLATFORMS = {
  type: 'object', required: ['platforms'],
  properties: { platforms: { type: 'array', items: { type: 'object', required: ['platform', 'url', 'description'], properties: { platform: TEXT, url: TEXT, description: TEXT } } } },
};
/** `GET /reports/<platform>`: each report with its URL template, parameters and formats. */
export const REPORT_INDEX_SCHEMA = {
  type: 'object', required: ['platform', 'description', 'reports'],
  properties: {
    platform: TEXT, description: TEXT,
    reports: {
      type: 'array',
      items: {
        type: 'object', required: ['name', 'url', 'parameters', 'formats', 'description'],
        properties: {
          name: TEXT, url: TEXT, methods: TEXTS, formats: TEXTS, description: TEXT, cli: TEXT, columns: TEXTS,
          parameters: { type: 'array', items: { type: 'object', required: ['name', 'in', 'required', 'description'], properties: { name: TEXT, in: TEXT, required: { type: 'boolean' }, description: TEXT } } },
        },
      },
    },
  },
};
const COURSE_RUN = { course: 'the FutureLearn course slug, e.g. intro-to-data', run: 'the run number, e.g. 3' };

const EDX_QUERY: Param[] = [
  { name: 'course', required: true, description: 'the edX course id, with + as typed or as %2B', example: 'course-v1:OrgX+CS101+2026' },
  { name: 'from', description: 'first day, YYYY-MM-DD', schema: { type: 'string', format: 'date' }, example: '2026-03-01' },
  { name: 'to', description: 'last day, YYYY-MM-DD', schema: { type: 'string', format: 'date' }, example: '2026-03-31' },
  { name: 'offset', description: 'rows to skip', schema: { type: 'integer', minimum: 0, default: 0 } },
  { name: 'limit', description: 'rows in this page', schema: { type: 'integer', minimum: 1, maximum: 5000, default: 1000 } },
];

const EDX_REPORT = {
  type: 'object',
  required: ['report', 'columns', 'total', 'rows'],
  properties: {
    report: { type: 'string' }, description: { type: 'string' },
    columns: { type: 'array', items: { type: 'string' } },
    statements: { type: 'integer', description: 'statements the report was computed from' },
    total: { type: 'integer', description: 'rows in the whole report' },
    rows: { type: 'array', items: { type: 'object' } },
    next: { type: 'string', description: 'the offset and limit of the next page' },
  },
};

const FUTURELEARN_RUN = {
  type: 'object',
  required: ['course', 'run', 'overview', 'stepFunnel', 'weekFunnel', 'comments', 'quiz', 'videos', 'demographics', 'signups', 'stepHeatmap', 'commentWeeks', 'erasedByPlatform'],
  properties: {
    course: { type: 'string' }, run: { type: 'string' },
    overview: { type: 'array' }, stepFunnel: { type: 'array' }, weekFunnel: { type: 'array' }, comments: { type: 'array' }, quiz: { type: 'array' }, videos: { type: 'array' },
    demographics: { type: 'array', description: "per question (gender, country, age_range, highest_education_level, employment_status, employment_area): inData, answered, notAnswered, answers [{ value, learners, percent }]" },
    signups: { type: 'object', description: 'days [{ day, joined, unenrolled, fullyParticipated }], hasUnenrolments, hasFullParticipation' },
    stepHeatmap: { type: 'object', description: 'unit (day or week), columns (days, or Mondays), steps [{ week, step, learners: a count per column }], max' },
    commentWeeks: { type: 'object', description: 'courseWeeks [{ week, comments, replies }], calendarWeeks [{ weekOf, comments, replies }]' },
    erasedByPlatform: {
      type: 'object', additionalProperties: { type: 'integer' },
      description: 'rows of learners FutureLearn erased (empty learner_id) by dataset: no figure here counts them, FutureLearn\'s own statistics may; quiz rows have them per question as leftOut',
    },
  },
};

const FUTURELEARN_COURSES = {
  type: 'object', required: ['courses'],
  properties: {
    courses: {
      type: 'array',
      items: {
        type: 'object', required: ['course', 'compare', 'runs'],
        properties: {
          course: TEXT, compare: TEXT,
          runs: { type: 'array', items: { type: 'object', required: ['course', 'run', 'dashboard'], properties: { course: TEXT, run: TEXT, startDate: { type: ['string', 'null'] }, endDate: { type: ['string', 'null'] }, learners: { type: ['integer', 'null'] }, importedAt: TEXT, dashboard: TEXT } } },
        },
      },
    },
  },
};

const FUTURELEARN_COMPARISON = {
  type: 'object', required: ['course', 'runs'],
  properties: {
    course: TEXT,
    runs: { type: 'array', items: { type: 'object', description: 'run, title, statements, joiners, learners, activeLearners, fullyParticipating, leavers, comments, replies, quizResponses, quizCorrect, quizPercentCorrect, weekFunnel' } },
  },
};

const COMPARED_RUNS: Param[] = [
  { name: 'runs', description: "the runs to compare, separated by commas, at most 8, none twice; default the course's imported runs (the latest 8)", example: '1,3' },
];
const COMPARE_ERRORS = { 400: 'course is not a FutureLearn slug, or runs is not a list of at most 8 distinct runs', 404: 'no imported run of the course' };
const HTML = (description: string) => ({ description, content: { 'text/html': { schema: TEXT } } });

/**
 * The paths of the edX and FutureLearn reports and of the indexes.
 * @param edxReports the names of the edX reports (src/reports/edx/reports.ts)
 */
export function reportsPaths(edxReports: readonly string[]): PathTable {
  return {
    '/reports': { get: { summary: 'the index of every report, by platform', security: ADMIN, responses: { 200: json('the platforms whose reports are on, each with the URL of its index', PLATFORMS) } } },
    '/reports/edx': {
      get: {
        summary: 'the edX course reports: URL, parameters, formats and columns of each', security: ADMIN,
        responses: {
          200: json('every edX report: URL template, parameters, formats, columns', REPORT_INDEX_SCHEMA),
        },
      },
    },
    '/reports/edx/{report}': {
      get: {
        summary: 'one edX course report, its rows paged', security: ADMIN,
        path: { report: `one of ${edxReports.join(', ')}` },
        query: EDX_QUERY,
        responses: {
          200: json('the report', EDX_REPORT, {
            report: 'summary', description: 'per day and in total: learners enrolled, active, completed and certified',
            columns: ['day', 'enrolled', 'active', 'completed', 'certified'], statements: 1840, total: 2,
            rows: [{ day: '2026-03-02', enrolled: 12, active: 40, completed: 0, certified: 0 }, { day: 'total', enrolled: 97, active: 88, completed: 21, certified: 17 }],
          }),
          400: 'course missing or not an edX course id, a date not YYYY-MM-DD, offset or limit wrong, or EDX_LMS_URL unset',
          404: 'no such report, or no such course',
        },
      },
    },
    '/reports/futurelearn': { get: { summary: 'the FutureLearn reports and the runs they can be asked for', security: ADMIN, responses: { 200: json('the FutureLearn report index', REPORT_INDEX_SCHEMA) } } },
    '/reports/futurelearn/courses': {
      get: {
        summary: 'the index of FutureLearn courses and runs imported, linking to each run dashboard and to the comparison (HTML, no script)',
        security: ['admin', 'adminBasic'],
        responses: { 200: HTML('the index page') },
      },
    },
    '/reports/futurelearn/courses.json': {
      get: { summary: 'the FutureLearn courses and runs imported: days, learners, page URLs', security: ['admin', 'adminBasic'], responses: { 200: json('the courses and their runs', FUTURELEARN_COURSES) } },
    },
    '/reports/futurelearn/{course}/compare': {
      get: {
        summary: 'runs of one course side by side: figures, quiz correctness, the funnel per week (HTML with SVG, no script)',
        security: ['admin', 'adminBasic'], path: { course: COURSE_RUN.course }, query: COMPARED_RUNS,
        responses: { 200: HTML('the comparison page'), ...COMPARE_ERRORS },
      },
    },
    '/reports/futurelearn/{course}/compare.json': {
      get: {
        summary: 'runs of one course side by side, as JSON', security: ['admin', 'adminBasic'], path: { course: COURSE_RUN.course }, query: COMPARED_RUNS,
        responses: { 200: json('the comparison', FUTURELEARN_COMPARISON), ...COMPARE_ERRORS },
      },
    },
    '/reports/futurelearn/{course}/compare.csv': {
      get: {
        summary: 'runs of one course side by side, a CSV row per run (docs/reports/futurelearn.md: run_comparison)', security: ['admin', 'adminBasic'], path: { course: COURSE_RUN.course }, query: COMPARED_RUNS,
        responses: { 200: { description: 'the comparison', content: { 'text/csv': { schema: TEXT } } }, ...COMPARE_ERRORS },
      },
    },
    '/reports/futurelearn/{course}/{run}': {
      get: {
        summary: 'the run dashboard: overview, step funnel, comments, quizzes, videos, demographics, sign-ups per day, step heat map, comments per week (HTML with SVG, no script)',
        description: 'Opens in a browser: the admin token is taken as HTTP Basic password of user admin too.',
        security: ['admin', 'adminBasic'], path: COURSE_RUN,
        responses: { 200: { description: 'the dashboard', content: { 'text/html': { schema: { type: 'string' } } } }, 400: 'course or run is not a FutureLearn slug or run', 404: 'no such run' },
      },
    },
    '/reports/futurelearn/{course}/{run}.json': {
      get: {
        summary: 'every FutureLearn run report: overview, step and week funnels, comment activity, quiz results, video stats, demographics, sign-ups per day, step heat map, comments per week',
        security: ['admin', 'adminBasic'], path: COURSE_RUN,
        responses: { 200: json('the run reports', FUTURELEARN_RUN), 400: 'course or run is not a FutureLearn slug or run', 404: 'no such run' },
      },
    },
  };
}
