/** Settings of Coursera: the research exports API and its scheduled fetch, and the learning-tracker widget. */
import { readiness, setting, type Readiness, type SectionOf } from './setting.js';
import { cronExpression, httpUrl, idList, oneOf, path, text, tokenList } from './values.js';

/** The Coursera settings. */
export const COURSERA_SETTINGS = [
  setting({
    key: 'courseraToken', variable: 'COURSERA_TOKEN', fallback: undefined, secret: true,
    description: 'OAuth2 bearer token of the Coursera research exports API; unset = no scheduled Coursera fetch',
    schema: text.optional(),
  }),
  setting({ key: 'courseraApiUrl', variable: 'COURSERA_API_URL', fallback: 'https://api.coursera.org/api/', description: 'base URL of the Coursera API', schema: httpUrl }),
  setting({
    key: 'courseraCourseIds', variable: 'COURSERA_COURSE_IDS', fallback: '',
    description: 'Coursera course ids whose exports the scheduled fetch requests, comma-separated', schema: idList,
  }),
  setting({
    key: 'courseraSchemas', variable: 'COURSERA_SCHEMAS', fallback: 'course_content,course_progress,course_grades,course_membership,discussions,peer_assignments',
    description: 'schemaNames of the table exports, comma-separated', schema: idList,
  }),
  setting({
    key: 'courseraAnonymityLevel', variable: 'COURSERA_ANONYMITY_LEVEL', fallback: 'HASHED_IDS_NO_PII',
    description: 'anonymityLevel of the exports: HASHED_IDS_NO_PII or HASHED_IDS_WITH_ISOLATED_UGC_NO_PII',
    schema: oneOf(['HASHED_IDS_NO_PII', 'HASHED_IDS_WITH_ISOLATED_UGC_NO_PII']),
  }),
  setting({
    key: 'courseraPurpose', variable: 'COURSERA_PURPOSE', fallback: 'Learning analytics: learner indicators for the learning-tracker widget',
    description: 'statementOfPurpose sent with every export request', schema: text,
  }),
  setting({
    key: 'courseraExportDir', variable: 'COURSERA_EXPORT_DIR', fallback: undefined,
    description: 'folder of downloaded Coursera exports, one dated folder per course; unset = DATA_DIR/coursera', schema: path.optional(),
  }),
  setting({
    key: 'courseraFetchCron', variable: 'COURSERA_FETCH_CRON', fallback: '0 5,6,7 * * *',
    description: 'when the server requests, polls, downloads and imports Coursera exports (three times a day, an hour apart)', schema: cronExpression,
  }),
  setting({
    key: 'courseraWeeklyCron', variable: 'COURSERA_WEEKLY_CRON', fallback: '0 18 * * 0',
    description: 'when the learners\' choice of Coursera indicators opens again (Sunday evening)', schema: cronExpression,
  }),
  setting({
    key: 'courseraSnapshotCron', variable: 'COURSERA_SNAPSHOT_CRON', fallback: '55 23 * * *',
    description: 'when the day\'s Coursera indicators of every known course are kept, so that `?at=` shows a past day as it was (every evening)', schema: cronExpression,
  }),
  setting({
    key: 'courseraWidgetTokens', variable: 'COURSERA_WIDGET_TOKENS', fallback: '', secret: true,
    description: 'bearer tokens of learning-tracker widgets reading indicators and choices, "widget:token,..."; empty = those endpoints refuse', schema: tokenList('widget:token'),
  }),
] as const;

/** The Coursera settings, read. */
export type CourseraConfig = SectionOf<typeof COURSERA_SETTINGS>;

/**
 * Whether the Coursera pull can run (the scheduler runs it only then): a token and courses to fetch.
 * @example if (courseraPullReadiness(config).ready) jobs.push(courseraPullJob(deps));
 */
export const courseraPullReadiness = (config: Pick<CourseraConfig, 'courseraToken' | 'courseraCourseIds'>): Readiness => readiness(COURSERA_SETTINGS, config, ['courseraToken', 'courseraCourseIds']);
