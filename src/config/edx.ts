/** Settings of edX: the LMS that names actors and activities, the live endpoint, the course selection and the reports' surveys. */
import { readiness, setting, type Readiness, type SectionOf } from './setting.js';
import { httpUrl, idList, integer, oneOf, pattern, tokenList } from './values.js';

/** The edX settings. */
export const EDX_SETTINGS = [
  setting({
    key: 'edxLmsUrl', variable: 'EDX_LMS_URL', fallback: undefined,
    description: 'base URL of the edX LMS, for actor home pages and activity ids (required for edX)', schema: httpUrl.optional(),
  }),
  setting({
    key: 'edxCourseIds', variable: 'EDX_COURSE_IDS', fallback: '',
    description: 'edX course ids to translate, comma-separated (either id form); empty = all', schema: idList,
  }),
  setting({
    key: 'edxCourseIdForm', variable: 'EDX_COURSE_ID_FORM', fallback: 'lms',
    description: 'course activity ids: `lms` (<EDX_LMS_URL>courses/<id>) or `oai` (oai:<OAI_REPOSITORY_ID>:<id>, as ECO names courses)',
    schema: oneOf(['lms', 'oai']),
  }),
  setting({
    key: 'edxIngestTokens', variable: 'EDX_INGEST_TOKENS', fallback: '', secret: true,
    description: 'bearer tokens of edX instances posting to /ingest/edx, "instance:token,..."; empty = endpoint off', schema: tokenList('instance:token'),
  }),
  setting({
    key: 'ingestMaxEvents', variable: 'INGEST_MAX_EVENTS', fallback: '10000',
    description: 'most events in one POST /ingest/edx; more get 413 (split the batch)', schema: integer(1, 1000000),
  }),
  setting({
    key: 'edxFreeText', variable: 'EDX_FREE_TEXT', fallback: 'keep',
    description: 'learner-typed text in edX statements (answers typed into problems, search queries): `keep` it, `hash` it (keyed HMAC with PSEUDONYM_SECRET: equal answers stay equal, the words are gone), or `drop` it',
    schema: oneOf(['keep', 'hash', 'drop']),
  }),
  setting({
    key: 'edxSurveyPrePattern', variable: 'EDX_SURVEY_PRE_PATTERN', fallback: '^(?=.*\\bpre)(?=.*survey)',
    description: 'regular expression (case-insensitive) of the display names of pre-course survey problems, for the survey_answers report',
    schema: pattern,
  }),
  setting({
    key: 'edxSurveyPostPattern', variable: 'EDX_SURVEY_POST_PATTERN', fallback: '^(?=.*\\bpost)(?=.*survey)',
    description: 'regular expression (case-insensitive) of the display names of post-course survey problems',
    schema: pattern,
  }),
] as const;

/** The edX settings, read. */
export type EdxConfig = SectionOf<typeof EDX_SETTINGS>;

/**
 * Whether edX statements and reports can be made: they need the LMS base URL.
 * @example if (!edxReadiness(config).ready) throw new Error('EDX_LMS_URL is not set');
 */
export const edxReadiness = (config: Pick<EdxConfig, 'edxLmsUrl'>): Readiness => readiness(EDX_SETTINGS, config, ['edxLmsUrl']);
