/**
 * The Coursera learning-tracker widget (COURSERA_WIDGET_TOKENS or ADMIN_TOKEN) and its
 * administration (ADMIN_TOKEN). `{learner}` is the hashed Coursera user id of the
 * exports; the server turns it into the pseudonym statements carry.
 */
import { json, jsonBody, ref, type PathTable } from './kit.js';
import { REPORT_INDEX_SCHEMA } from './reports.js';

const WIDGET = ['courseraWidget' as const];
const ADMIN = ['admin' as const];
const IDS = { course: 'the Coursera course id (slug)', learner: 'the hashed Coursera user id of the exports' };
const AT = { name: 'at', description: 'the moment to compute for (ISO 8601 date-time, or a day meaning its end); default now. A day before today is read from its daily snapshot where one was taken', example: '2026-03-09T12:00:00Z' };

const INDICATOR = {
  type: 'object',
  required: ['indicator', 'name', 'value', 'scaled_value', 'max_used'],
  properties: {
    indicator: { type: 'integer', minimum: 1, maximum: 12 },
    name: { type: 'string' },
    value: { type: ['number', 'null'] },
    absolute_value: { type: 'number' },
    total: { type: 'number' },
    reason: { type: 'string', description: 'why the value is null' },
    scaled_value: { type: ['number', 'null'] },
    max_used: { type: 'object', required: ['value', 'source'], properties: { value: { type: 'number' }, source: { type: 'string', enum: ['previous_cohort', 'settings', 'bound', 'cohort'] } } },
  },
};

const CHOICE = {
  type: 'object',
  properties: {
    consent: { type: 'boolean' }, goal: { type: ['string', 'null'] }, indicators: { type: 'array', items: { type: 'integer' } },
    open: { type: 'boolean', description: 'whether indicators and goal may change now (weekly, COURSERA_WEEKLY_CRON)' },
    reason: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' },
  },
};

const CHOICE_EXAMPLE = { consent: true, goal: 'Finish week 3 before Friday', indicators: [1, 4, 7] };
const CURRENT = { ...CHOICE_EXAMPLE, open: true, reason: 'learner', createdAt: '2026-03-09T12:00:00.000Z' };

const SETTINGS_EXAMPLE = {
  cohortStart: '2026-03-02',
  moduleLengthDays: 7,
  gradeWeights: { 'quiz-week-1': 0.2, 'quiz-week-2': 0.3, 'peer-project': 0.5 },
  forumWeights: { questions: 1, ownThreadAnswers: 0.5, otherAnswers: 1 },
  previousCourseId: 'intro-data-2025',
  maxima: { 2: 40, 4: 12 },
};

/** The paths of the Coursera widget API and its settings. */
export const COURSERA_PATHS: PathTable = {
  '/reports/coursera': { get: { summary: 'the Coursera reports and widget endpoints, and the courses they can be asked for', security: ADMIN, responses: { 200: json('the Coursera report index', REPORT_INDEX_SCHEMA) } } },
  '/reports/coursera/{course}/learners/{learner}': {
    get: {
      summary: "a learner's 12 indicators, each scaled against the cohort", security: WIDGET, path: IDS, query: [AT],
      responses: {
        200: json('the indicators', { type: 'object', required: ['course', 'learner', 'at', 'snapshot', 'indicators'], properties: { course: { type: 'string' }, learner: { type: 'string' }, at: { type: 'string' }, snapshot: { type: 'boolean', description: 'read from the daily snapshot of that day' }, indicators: { type: 'array', items: INDICATOR } } }, {
          course: 'intro-data', learner: '9f86d081884c7d659a2feaa0c55ad015', at: '2026-03-09T12:00:00.000Z', snapshot: false,
          indicators: [{ indicator: 1, name: 'reviewed', value: 62.5, absolute_value: 5, total: 8, scaled_value: 0.63, max_used: { value: 100, source: 'bound' } }],
        }),
        400: 'course, learner or at is not valid',
        404: 'no such course or learner',
      },
    },
  },
  '/reports/coursera/{course}/learners/{learner}/choice': {
    get: {
      summary: "the learner's current choice of indicators, and its history with history=true", security: WIDGET, path: IDS,
      query: [{ name: 'history', description: 'true: every choice, oldest first', schema: { type: 'string', enum: ['true', 'false'] } }],
      responses: {
        200: json('the choice; current is null before the first', { type: 'object', required: ['course', 'learner', 'current'], properties: { course: { type: 'string' }, learner: { type: 'string' }, current: { anyOf: [CHOICE, { type: 'null' }] }, history: { type: 'array', items: CHOICE } } },
          { course: 'intro-data', learner: '9f86d081884c7d659a2feaa0c55ad015', current: CURRENT }),
        400: 'course or learner is not valid',
      },
    },
    put: {
      summary: 'choose indicators, goal and consent; while the choice is closed only consent may change', security: WIDGET, path: IDS,
      body: jsonBody(ref('IndicatorChoice'), CHOICE_EXAMPLE),
      responses: {
        200: json('the new current choice', { type: 'object', required: ['course', 'learner', 'current'], properties: { course: { type: 'string' }, learner: { type: 'string' }, current: CHOICE } }),
        400: 'the body is not a valid choice: `errors` lists the fields',
        409: 'the choice is closed until next week; only consent can change now',
        413: 'the body is over 64 kB',
      },
    },
  },
  '/reports/coursera/{course}/indicators.csv': {
    get: {
      summary: 'every learner of a course with the 12 indicators, as CSV', security: ADMIN, path: { course: IDS.course }, query: [AT],
      responses: { 200: { description: 'one row per learner', content: { 'text/csv': { schema: { type: 'string' } } } }, 400: 'course or at is not valid', 404: 'no such course' },
    },
  },
  '/admin/coursera/courses/{course}/settings': {
    get: { summary: 'the settings of a course\'s Coursera indicators', security: ADMIN, path: { course: IDS.course }, responses: { 200: json('the settings', { type: 'object' }, { ...SETTINGS_EXAMPLE, courseId: 'intro-data', updatedAt: '2026-03-01T08:00:00.000Z' }), 404: 'no settings: the defaults apply' } },
    put: {
      summary: 'set cohort start, module length, grade and forum weights, previous cohort and maxima', security: ADMIN, path: { course: IDS.course },
      body: jsonBody(ref('CourseraCourseSettings'), SETTINGS_EXAMPLE),
      responses: { 200: json('replaced', { type: 'object' }), 201: json('created', { type: 'object' }), 400: 'the settings are not valid: `errors` lists the fields', 413: 'the body is over 64 kB' },
    },
  },
};
