/**
 * One learner as the data rights commands look for them (issue 23): the platform user id
 * the operator gives, turned into the names the gateway stores them under. Statements
 * carry the keyed pseudonym of the id, or the ECO user id where an identity link exists
 * (DESIGN.md invariant 4); the LRS keys agents by their canonical IFI. The raw id is
 * only used to find identity links and rejected records, and never shown back.
 */
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { CodedError } from '../errors.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import { agentIfi } from '../lrs/server/statement-links.js';
import { COURSERA_HOME } from '../translators/coursera/iris.js';
import { FUTURELEARN_HOME } from '../translators/futurelearn/iris.js';
import { KHAN_HOME } from '../translators/khan/iris.js';
import { accountActor, pseudonym } from '../xapi/ids.js';
import { unstorableText } from '../xapi/storable.js';

/** The platforms whose learners the gateway holds data of. */
export const LEARNER_PLATFORMS = ['edx', 'coursera', 'futurelearn', 'khan'] as const;
export type LearnerPlatform = (typeof LEARNER_PLATFORMS)[number];

/** Each platform's actor homePage: edX's is the LMS of the settings. */
const HOME_PAGES: Record<LearnerPlatform, (config: Config) => string | undefined> = {
  edx: (config) => config.edxLmsUrl?.replace(/\/$/, ''),
  coursera: () => COURSERA_HOME,
  futurelearn: () => FUTURELEARN_HOME,
  khan: () => KHAN_HOME,
};

/** Platform user ids are short (edX numbers, Coursera hashes, UUIDs, `kaid_`s): longer ones are refused unread. */
const MAX_USER_ID = 256;

/** A learner resolved to every name their data is kept under. */
export interface Learner {
  platform: LearnerPlatform;
  /** The platform user id as given: for matching only, never shown. */
  userId: string;
  pseudonym: string;
  /** The ECO user id, where the learner is linked. */
  ecoUserId?: string;
  homePage: string;
  /** Their actor account names: the pseudonym, and the ECO user id where linked. */
  names: string[];
  /** The canonical IFIs of those accounts, as the embedded LRS keys agents and documents. */
  ifis: string[];
}

/** Whether `value` names a platform whose learners are kept. */
export function isLearnerPlatform(value: string): value is LearnerPlatform {
  return (LEARNER_PLATFORMS as readonly string[]).includes(value);
}

/**
 * The learner of `platform` with `userId`; throws `invalid` for an unknown platform or
 * an id empty, too long or not storable as text (never echoing it), `setup` for edX
 * without EDX_LMS_URL (their actors' homePage).
 * @example const learner = await resolveLearner({ config, database }, 'coursera', 'c0ffee');
 */
export async function resolveLearner(deps: { config: Config; database: Database }, platform: string, userId: string): Promise<Learner> {
  if (!isLearnerPlatform(platform)) throw new CodedError('invalid', `the platform must be one of ${LEARNER_PLATFORMS.join(', ')}`, { field: 'platform' });
  if (userId.trim() === '') throw new CodedError('invalid', 'the platform user id is empty', { field: 'user' });
  if (userId.length > MAX_USER_ID) throw new CodedError('invalid', `the platform user id: at most ${MAX_USER_ID} characters`, { field: 'user' });
  const problem = unstorableText(userId);
  if (problem !== undefined) throw new CodedError('invalid', `the platform user id ${problem}`, { field: 'user' });
  const homePage = HOME_PAGES[platform](deps.config);
  if (homePage === undefined) throw new CodedError('setup', 'EDX_LMS_URL is not set: it names the actors of edX statements');
  const own = pseudonym(await pseudonymSecret(deps.config, deps.database), userId);
  const { rows } = await deps.database.query<{ eco_user_id: string }>(
    `SELECT eco_user_id FROM identity_links WHERE platform = $1 AND platform_user_id = $2`,
    [platform, userId],
  );
  const ecoUserId = rows[0]?.eco_user_id;
  const names = ecoUserId === undefined ? [own] : [own, ecoUserId];
  return {
    platform, userId, pseudonym: own, homePage, names,
    ...(ecoUserId !== undefined && { ecoUserId }),
    ifis: names.map((name) => agentIfi(accountActor(homePage, name))!),
  };
}
