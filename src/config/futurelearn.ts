/** Settings of FutureLearn: the admin site, the facilitator account that signs in to it, and its daily fetch. */
import { readiness, setting, type Readiness, type SectionOf } from './setting.js';
import { cronExpression, email, httpUrl, path, text } from './values.js';

/** The FutureLearn settings. */
export const FUTURELEARN_SETTINGS = [
  setting({ key: 'futurelearnUrl', variable: 'FUTURELEARN_URL', fallback: 'https://www.futurelearn.com/', description: 'base URL of the FutureLearn site', schema: httpUrl }),
  setting({
    key: 'futurelearnEmail', variable: 'FUTURELEARN_EMAIL', fallback: undefined,
    description: 'email of the facilitator account that signs in to the FutureLearn admin pages; unset = no scheduled FutureLearn fetch', schema: email.optional(),
  }),
  setting({ key: 'futurelearnPassword', variable: 'FUTURELEARN_PASSWORD', fallback: undefined, secret: true, description: 'password of that account', schema: text.optional() }),
  setting({
    key: 'futurelearnOrganisation', variable: 'FUTURELEARN_ORGANISATION', fallback: undefined,
    description: 'the organisation (institution) slug of the admin pages, /admin/organisations/<it>/courses; also the folder of its data', schema: text.optional(),
  }),
  setting({
    key: 'futurelearnDataDir', variable: 'FUTURELEARN_DATA_DIR', fallback: undefined,
    description: 'root of the downloaded datasets, <it>/<institution>/<course>/<run> - <start> - <end>/<dataset>.csv; unset = DATA_DIR/futurelearn',
    schema: path.optional(),
  }),
  setting({
    key: 'futurelearnFetchCron', variable: 'FUTURELEARN_FETCH_CRON', fallback: '0 4 * * *',
    description: 'when the server downloads and imports the FutureLearn datasets (daily)', schema: cronExpression,
  }),
] as const;

/** The FutureLearn settings, read. */
export type FutureLearnConfig = SectionOf<typeof FUTURELEARN_SETTINGS>;

/**
 * Whether the FutureLearn pull can run (the scheduler runs it only then): an account and an organisation.
 * @example if (futurelearnPullReadiness(config).ready) jobs.push(futurelearnPullJob(deps));
 */
export const futurelearnPullReadiness = (config: Pick<FutureLearnConfig, 'futurelearnEmail' | 'futurelearnPassword' | 'futurelearnOrganisation'>): Readiness =>
  readiness(FUTURELEARN_SETTINGS, config, ['futurelearnEmail', 'futurelearnPassword', 'futurelearnOrganisation']);
