/**
 * The nightly Khan Academy pull (docs/khan.md): the public badge and exercise lists once,
 * every authorized coach's roster, then every coached student ONCE (whatever the number
 * of coaches) with `concurrency` students in flight. Each student's four endpoints go
 * into the warehouse tables (warehouse.ts) and their records, translated, into the
 * outbox through ONE `runImport` for the whole pull.
 *
 * WARNING (invariant 4): a student's Khan user id never leaves this module: the tables,
 * `at` positions, errors and logs name the student by its pseudonym. Tokens are never logged.
 */
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../../db/connection.js';
import type { RetryPolicy } from '../../net/request.js';
import { loadLinkedEcoUsers } from '../../catalog/identity-links.js';
import { runImport, type ImportItem } from '../../lrs/import-run.js';
import type { Outbox } from '../../lrs/outbox.js';
import { translateKhanRecord } from '../../translators/khan.js';
import { pseudonym } from '../../xapi/ids.js';
import type { RunSummary, Sourced } from '../../xapi/run-summary.js';
import { ItemQueue } from '../item-queue.js';
import { authorizedCoaches, recordCoachPull } from './coach-store.js';
import {
  KhanAuthError, KhanRateLimitError, KhanResponseError, KhanServerError,
  type KhanOAuthClient, type KhanQuery, type KhanTokenPair,
} from './oauth.js';
import { isObject } from '../../xapi/fields.js';
import { KHAN_ENDPOINTS, nonEmpty, parseKhanBadges, parseKhanExercises, parseKhanProgressChanges, parseKhanUser, type KhanRecord } from './records.js';
import { storeBadgeMetadata, storeExerciseMetadata, storeRoster, storeStudent } from './warehouse.js';

/** What a pull needs. */
export interface KhanPullOptions {
  database: Database;
  outbox: Outbox;
  client: KhanOAuthClient;
  /** KHAN_TOKEN_KEY, to open the coaches' sealed tokens. */
  key: KeyObject;
  /** PSEUDONYM_SECRET: students are named by HMAC-SHA256 of their user id. */
  secret: string;
  /** Students pulled at the same time (each one's requests are sequential). */
  concurrency: number;
  logger?: Logger;
  /** Keep students' nickname and username in stu_detail (KHAN_STORE_NAMES); default false. */
  storeNames?: boolean;
  /** Retries of one request on 429, 5xx and network errors. */
  retry?: RetryPolicy;
  /** Called as each student is done (pulled or given up), with the number of students to pull. */
  onProgress?: (done: number, total: number) => void;
}

/** A finished pull: coaches whose roster was read, students pulled in full, HTTP requests sent, what failed. */
export interface KhanPullSummary {
  coaches: number;
  students: number;
  requests: number;
  rejected: number;
  /** Coaches and students that could not be pulled, and why (students by pseudonym). */
  errors: { at: string; reason: string }[];
  import: RunSummary;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 500, maxMs: 10_000 };
const KHAN_ERRORS = [KhanAuthError, KhanRateLimitError, KhanServerError, KhanResponseError];
const isKhanError = (err: unknown): err is Error => KHAN_ERRORS.some((c) => err instanceof c);

type Json = Record<string, unknown>;

/**
 * Pulls every authorized coach's students into the warehouse tables and the outbox.
 * @example
 * const summary = await pullKhan({ database, outbox, client, key: parseVaultKey(config.khanTokenKey), secret, concurrency: 4, logger });
 */
export async function pullKhan(opts: KhanPullOptions): Promise<KhanPullSummary> {
  const { database, client, logger } = opts;
  const now = new Date();
  const errors: KhanPullSummary['errors'] = [];
  const items = new ItemQueue();
  let requests = 0;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const get = (path: string, query: KhanQuery, token: KhanTokenPair) =>
    client.get<unknown>(path, query, token, { retry, onAttempt: () => void (requests += 1) });
  const name = (userId: string) => pseudonym(opts.secret, userId);
  // Statements name a student linked to an ECO user by the ECO id; the tables keep the pseudonym as a stable key.
  const linked = await loadLinkedEcoUsers(database, 'khan');
  const actorName = (userId: string) => linked(userId) ?? name(userId);
  const fail = (at: string, reason: string) => {
    errors.push({ at, reason });
    logger?.warn({ at, reason }, 'khan pull: not pulled');
  };

  // The run record and its statements flow while students are fetched: one import for the whole pull.
  const importing = runImport(items, { database, outbox: opts.outbox, source: 'khan', input: 'khan api' });
  importing.catch((err: unknown) => items.fail(err));
  let coaches = 0;
  let students = 0;
  let settled = 0;
  try {
    // Rosters first: every student's coaches are known before the student is fetched.
    const rosters = new Map<string, KhanTokenPair[]>();
    let anyToken: KhanTokenPair | undefined;
    for (const coach of await authorizedCoaches(database, opts.key)) {
      if ('unreadable' in coach) {
        fail(`coach ${coach.coachId}`, coach.unreadable);
        await recordCoachPull(database, coach.coachId, coach.unreadable);
        continue;
      }
      let roster: unknown;
      try {
        roster = await get('/api/v1/user/students', {}, coach.token);
      } catch (err) {
        if (!isKhanError(err)) throw err;
        fail(`coach ${coach.coachId}`, err.message);
        await recordCoachPull(database, coach.coachId, err.message);
        continue;
      }
      const { ids, rejected } = rosterIds(roster, coach.coachId);
      await items.put(rejected);
      for (const id of ids) rosters.set(id, [...(rosters.get(id) ?? []), coach.token]);
      await storeRoster(database, coach.coachId, ids.map(name), now);
      await recordCoachPull(database, coach.coachId, null);
      anyToken ??= coach.token;
      coaches += 1;
    }
    logger?.info({ coaches, students: rosters.size }, 'khan pull: rosters read');
    if (anyToken !== undefined) await pullMetadata(database, get, anyToken, now, items, fail);

    await pool([...rosters], opts.concurrency, async ([userId, tokens]) => {
      const student = name(userId);
      let bodies: StudentBodies;
      try {
        bodies = await fetchStudent(get, userId, tokens);
      } catch (err) {
        if (!isKhanError(err)) throw err;
        fail(`student ${student}`, err.message);
        opts.onProgress?.(++settled, rosters.size);
        return;
      }
      const at = (path: string) => `${path}?userId=${student}`;
      const pulled = {
        student, coaches: tokens.length, bodies,
        user: parseKhanUser(bodies.user, at(KHAN_ENDPOINTS.user)),
        exercises: parseKhanExercises(bodies.exercises, userId, at(KHAN_ENDPOINTS.exercises)),
        changes: parseKhanProgressChanges(bodies.progressChanges, userId, at(KHAN_ENDPOINTS.progressChanges)),
        badges: parseKhanBadges(bodies.badges, userId, at(KHAN_ENDPOINTS.badges)),
      };
      await storeStudent(database, pulled, now, opts.storeNames === true);
      const records: Sourced<KhanRecord>[] = [pulled.user, ...pulled.exercises, ...pulled.changes, ...pulled.badges];
      await items.put(records.map((s) => toItem(s, actorName)));
      students += 1;
      logger?.debug({ student, done: students, of: rosters.size }, 'khan pull: student pulled');
      opts.onProgress?.(++settled, rosters.size);
    });
  } finally {
    items.close();
  }
  const { summary } = await importing;
  logger?.info({ coaches, students, requests, rejected: summary.rejected, added: summary.added, errors: errors.length }, 'khan pull: finished');
  return { coaches, students, requests, rejected: summary.rejected, errors, import: summary };
}

type Get = (path: string, query: KhanQuery, token: KhanTokenPair) => Promise<unknown>;
type StudentBodies = Record<keyof typeof KHAN_ENDPOINTS, unknown>;

/** The student ids of a roster; an entry without one is a rejection (at the coach, never a student id). */
function rosterIds(roster: unknown, coachId: string): { ids: string[]; rejected: ImportItem[] } {
  const at = `/api/v1/user/students?coach=${coachId}`;
  const type = '/api/v1/user/students';
  if (!Array.isArray(roster)) return { ids: [], rejected: [{ at, type, rejection: { code: 'unreadable', detail: 'the response is not a JSON array' } }] };
  const ids = new Set<string>();
  const rejected: ImportItem[] = [];
  roster.forEach((entry, i) => {
    const id = isObject(entry) ? nonEmpty(entry.user_id) : null;
    if (id === null) rejected.push({ at: `${at} [${i}]`, type, rejection: { code: 'missing_field', field: 'user_id', detail: 'absent, null or empty' } });
    else ids.add(id);
  });
  return { ids: [...ids], rejected };
}

/** The four endpoints of one student, with the first coach's token that may read them (401 or 403: try the next). */
async function fetchStudent(get: Get, userId: string, tokens: KhanTokenPair[]): Promise<StudentBodies> {
  for (const [i, token] of tokens.entries()) {
    try {
      const bodies: Partial<StudentBodies> = {};
      for (const [key, path] of Object.entries(KHAN_ENDPOINTS) as [keyof StudentBodies, string][]) bodies[key] = await get(path, { userId }, token);
      return bodies as StudentBodies;
    } catch (err) {
      if (!(err instanceof KhanAuthError) || i === tokens.length - 1) throw err;
    }
  }
  throw new RangeError('a rostered student has no coach token');
}

/** `/api/v1/badges` and `/api/v1/exercises` into their tables; an entry without its key is a rejection. */
async function pullMetadata(database: Database, get: Get, token: KhanTokenPair, now: Date, items: ItemQueue, fail: (at: string, reason: string) => void): Promise<void> {
  const list = async (path: string, key: 'slug' | 'name'): Promise<Json[]> => {
    let body: unknown;
    try {
      body = await get(path, {}, token);
    } catch (err) {
      if (!isKhanError(err)) throw err;
      fail(path, err.message);
      return [];
    }
    if (!Array.isArray(body)) {
      await items.put([{ at: path, type: path, rejection: { code: 'unreadable', detail: 'the response is not a JSON array' } }]);
      return [];
    }
    const rejected: ImportItem[] = [];
    const good = body.flatMap((entry, i) => {
      // A badge is known by its slug, else its name; an exercise by its name.
      if (isObject(entry) && (nonEmpty(entry[key]) ?? (key === 'slug' ? nonEmpty(entry.name) : null)) !== null) return [entry];
      rejected.push({ at: `${path} [${i}]`, type: path, rejection: isObject(entry) ? { code: 'missing_field', field: key, detail: 'absent, null or empty' } : { code: 'unreadable', detail: 'not a JSON object' } });
      return [];
    });
    await items.put(rejected);
    return good;
  };
  await storeBadgeMetadata(database, await list('/api/v1/badges', 'slug'), now);
  await storeExerciseMetadata(database, await list('/api/v1/exercises', 'name'), now);
}

/** One record as an import item: its statements, or why it was rejected. No payload: Khan bodies carry names and emails. */
function toItem(s: Sourced<KhanRecord>, actorName: (id: string) => string): ImportItem {
  const type = s.at.split('?')[0]!;
  if (!s.ok) return { at: s.at, type, rejection: s.rejection };
  const t = translateKhanRecord(s.record, { actorName });
  return 'statements' in t ? { at: s.at, type, statements: t.statements } : { at: s.at, type, ignored: true };
}

/** Runs `work` over `items`, `size` at a time. */
async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}
