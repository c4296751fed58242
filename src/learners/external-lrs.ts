/**
 * Erasure in an external LRS (LRS_ENDPOINT): the xAPI has no delete, so the gateway calls
 * the actor deletion of the LRS people run behind it, as LRS_ERASE_API names it:
 * - SQL LRS: its admin API, `POST /admin/account/login` for a token, then
 *   `DELETE /admin/agents` with the actor's IFI (SQL LRS needs
 *   `LRSQL_ENABLE_ADMIN_DELETE_ACTOR=true`);
 * - Learning Locker: its API v2, the persona identifiers of the account, a batch delete of
 *   the statements whose actor is the account, then the personas.
 * Each of the learner's actor accounts (pseudonym, ECO user id) is erased in turn.
 */
import type { Config } from '../config/index.js';
import { CodedError } from '../errors.js';
import { requestText, type NetClock } from '../net/request.js';
import type { Learner } from './learner.js';

/** An actor account as statements name the learner. */
interface Account {
  homePage: string;
  name: string;
}

/** How to reach the admin API of the external LRS. */
interface AdminApi {
  root: string;
  username: string;
  password: string;
  timeoutMs: number;
  clock?: NetClock;
}

type EraseApi = Exclude<Config['lrsEraseApi'], 'none'>;

/** Each LRS's actor deletion, for one account. */
const ERASERS: Record<EraseApi, (api: AdminApi, account: Account) => Promise<void>> = {
  'sql-lrs': eraseInSqlLrs,
  'learning-locker': eraseInLearningLocker,
};

/** What was done in the external LRS. */
export interface ExternalErasure {
  where: string;
  api: EraseApi;
  /** Actor accounts erased there. */
  actors: number;
}

/**
 * Erases the learner's actors in the external LRS through LRS_ERASE_API; `undefined` when
 * there is none to call (no external LRS, or `none`).
 * @throws CodedError `setup` without admin credentials; NetError when the LRS refuses or fails
 * @example await eraseInExternalLrs(config, learner) // { where: 'external LRS (LRS_ENDPOINT)', api: 'sql-lrs', actors: 1 }
 */
export async function eraseInExternalLrs(config: Config, learner: Learner, clock?: NetClock): Promise<ExternalErasure | undefined> {
  const kind = config.lrsEraseApi;
  if (config.lrsEndpoint === undefined || kind === 'none') return undefined;
  if (config.lrsAdminUsername === undefined || config.lrsAdminPassword === undefined) {
    throw new CodedError('setup', `LRS_ERASE_API=${kind} needs LRS_ADMIN_USERNAME and LRS_ADMIN_PASSWORD`);
  }
  const api: AdminApi = {
    root: (config.lrsAdminUrl ?? new URL(config.lrsEndpoint).origin).replace(/\/+$/, ''),
    username: config.lrsAdminUsername, password: config.lrsAdminPassword, timeoutMs: config.lrsTimeoutMs,
    ...(clock !== undefined && { clock }),
  };
  for (const name of learner.names) await ERASERS[kind](api, { homePage: learner.homePage, name });
  return { where: EXTERNAL_LRS, api: kind, actors: learner.names.length };
}

/** How reports name the external LRS. */
export const EXTERNAL_LRS = 'external LRS (LRS_ENDPOINT)';

async function call(api: AdminApi, method: string, path: string, auth: string | undefined, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (auth !== undefined) headers.authorization = auth;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const answer = await requestText(`${api.root}${path}`, {
    method, headers, ...(body !== undefined && { body: JSON.stringify(body) }),
  }, { service: 'external LRS', timeoutMs: api.timeoutMs, retry: { attempts: 3, baseMs: 500 }, ...(api.clock && { clock: api.clock }) });
  if (answer.status >= 300) {
    throw new CodedError('unavailable', `the external LRS answered ${answer.status} to ${method} ${path}${answer.status === 404 ? ' (is its actor deletion turned on?)' : ''}`);
  }
  if (answer.text.trim() === '') return undefined;
  try {
    return JSON.parse(answer.text);
  } catch {
    throw new CodedError('unavailable', `the external LRS answered ${method} ${path} with what is not JSON`);
  }
}

/** SQL LRS names an account IFI `account::<name>@<homePage>`. */
async function eraseInSqlLrs(api: AdminApi, account: Account): Promise<void> {
  const login = await call(api, 'POST', '/admin/account/login', undefined, { username: api.username, password: api.password }) as { 'json-web-token'?: unknown };
  const token = login?.['json-web-token'];
  if (typeof token !== 'string') throw new CodedError('unavailable', 'the SQL LRS login gave no json-web-token');
  await call(api, 'DELETE', '/admin/agents', `Bearer ${token}`, { 'actor-ifi': `account::${account.name}@${account.homePage}` });
}

async function eraseInLearningLocker(api: AdminApi, account: Account): Promise<void> {
  const basic = `Basic ${Buffer.from(`${api.username}:${api.password}`).toString('base64')}`;
  const filter = { 'ifi.key': 'account', 'ifi.value.homePage': account.homePage, 'ifi.value.name': account.name };
  const identifiers = await call(api, 'GET', `/api/v2/personaidentifier?filter=${encodeURIComponent(JSON.stringify(filter))}`, basic);
  const personas = new Set(Array.isArray(identifiers) ? identifiers.map((i: { persona?: unknown }) => i?.persona).filter((p): p is string => typeof p === 'string') : []);
  await call(api, 'POST', '/api/v2/batchdelete/initialise', basic, {
    filter: { 'statement.actor.account.homePage': account.homePage, 'statement.actor.account.name': account.name },
  });
  for (const persona of personas) await call(api, 'DELETE', `/api/v2/persona/${encodeURIComponent(persona)}`, basic);
}
