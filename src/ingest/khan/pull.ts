/**
 * The fetch of the nightly Khan Academy pull (docs/khan.md): the public badge and
 * exercise lists once, every authorized coach's roster, then every coached student ONCE
 * (whatever the number of coaches) with `concurrency` students in flight. Each student's
 * four endpoints go into the warehouse tables (warehouse.ts), and their records to `put`,
 * as they are read: the pipeline (src/pipelines/khan.ts) translates them into the outbox.
 *
 * WARNING (invariant 4): a student's Khan user id never leaves this module: the tables,
 * `at` positions, errors and logs name the student by its pseudonym. Tokens are never logged.
 */
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../../db/connection.js';
import { erasedPseudonyms } from '../../db/erased-learners.js';
import type { RetryPolicy } from '../../net/request.js';
import { pseudonym } from '../../xapi/ids.js';
import type { Rejection, Sourced } from '../../xapi/run-summary.js';
import { authorizedCoaches, recordCoachPull } from './coach-store.js';
import {
  KhanAuthError, KhanRateLimitError, KhanResponseError, KhanServerError,
  type KhanOAuthClient, type KhanQuery, type KhanTokenPair,
} from './oauth.js';
import { isObject } from '../../xapi/fields.js';
import { KHAN_ENDPOINTS, nonEmpty, parseKhanBadges, parseKhanExercises, parseKhanProgressChanges, parseKhanUser, type KhanRecord } from './records.js';
import { storeBadgeMetadata, storeExerciseMetadata, storeRoster, storeStudent } from './warehouse.js';

/** One record read, or why an entry could not be read, at its position and counted under its endpoint. */
export type KhanPulled = { at: string; type: string } & ({ record: KhanRecord } | { rejection: Rejection });

/** What a fetch needs. */
export interface KhanFetchOptions {
  database: Database;
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
  /** Takes the records read; waits while its reader is behind, so memory stays bounded. */
  put: (records: KhanPulled[]) => Promise<void>;
}

/** A finished fetch: coaches whose roster was read, students pulled in full, HTTP requests sent, what failed. */
export interface KhanFetchSummary {
  coaches: number;
  students: number;
  requests: number;
  /** Coaches and students that could not be pulled, and why (students by pseudonym). */
  errors: { at: string; reason: string }[];
  /** Students erased at their request, neither fetched nor stored; present once Khan has erasures. */
  erased?: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 500, maxMs: 10_000 };
const KHAN_ERRORS = [KhanAuthError, KhanRateLimitError, KhanServerError, KhanResponseError];
const isKhanError = (err: unknown): err is Error => KHAN_ERRORS.some((c) => err instanceof c);

type Json = Record<string, unknown>;

/**
 * Fetches every authorized coach's students into the warehouse tables, handing their records to `put`.
 * @example
 * const fetched = await fetchKhan({ database, client, key: parseVaultKey(config.khanTokenKey), secret, concurrency: 4, logger, put });
 */
export async function fetchKhan(opts: KhanFetchOptions): Promise<KhanFetchSummary> {
  const { database, client, logger } = opts;
  const now = new Date();
  const errors: KhanFetchSummary['errors'] = [];
  let requests = 0;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const get = (path: string, query: KhanQuery, token: KhanTokenPair) =>
    client.get<unknown>(path, query, token, { retry, onAttempt: () => void (requests += 1) });
  const name = (userId: string) => pseudonym(opts.secret, userId);
  // Students erased at their request are not fetched again (docs/learner-rights.md).
  const erased = await erasedPseudonyms(database, 'khan');
  const erasedStudents = new Set<string>();
  const fail = (at: string, reason: string) => {
    errors.push({ at, reason });
    logger?.warn({ at, reason }, 'khan pull: not pulled');
  };

  let coaches = 0;
  let students = 0;
  let settled = 0;
  // Rosters first: every student's coaches are known before the student is fetched.
  const rosters = new Map<string, { coachId: string; token: KhanTokenPair }[]>();
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
    const { ids: listed, rejected } = rosterIds(roster, coach.coachId);
    for (const id of listed) if (erased.has(name(id))) erasedStudents.add(id);
    const ids = listed.filter((id) => !erasedStudents.has(id));
    await opts.put(rejected);
    for (const id of ids) rosters.set(id, [...(rosters.get(id) ?? []), { coachId: coach.coachId, token: coach.token }]);
    await storeRoster(database, coach.coachId, ids.map(name), now);
    await recordCoachPull(database, coach.coachId, null);
    anyToken ??= coach.token;
    coaches += 1;
  }
  logger?.info({ coaches, students: rosters.size }, 'khan pull: rosters read');
  if (anyToken !== undefined) await pullMetadata(database, get, anyToken, now, opts.put, fail);

  await pool([...rosters], opts.concurrency, async ([userId, coachesOf]) => {
    const student = name(userId);
    let bodies: StudentBodies;
    try {
      bodies = await fetchStudent(get, userId, coachesOf.map((c) => c.token));
    } catch (err) {
      if (!isKhanError(err)) throw err;
      fail(`student ${student}`, err.message);
      opts.onProgress?.(++settled, rosters.size);
      return;
    }
    const at = (path: string) => `${path}?userId=${student}`;
    const pulled = {
      student, coaches: coachesOf.map((c) => c.coachId), bodies,
      user: parseKhanUser(bodies.user, at(KHAN_ENDPOINTS.user)),
      exercises: parseKhanExercises(bodies.exercises, userId, at(KHAN_ENDPOINTS.exercises)),
      changes: parseKhanProgressChanges(bodies.progressChanges, userId, at(KHAN_ENDPOINTS.progressChanges)),
      badges: parseKhanBadges(bodies.badges, userId, at(KHAN_ENDPOINTS.badges)),
    };
    await storeStudent(database, pulled, now, opts.storeNames === true);
    const records: Sourced<KhanRecord>[] = [pulled.user, ...pulled.exercises, ...pulled.changes, ...pulled.badges];
    await opts.put(records.map(pulledRecord));
    students += 1;
    logger?.debug({ student, done: students, of: rosters.size }, 'khan pull: student pulled');
    opts.onProgress?.(++settled, rosters.size);
  });
  return { coaches, students, requests, errors, ...(erased.size > 0 && { erased: erasedStudents.size }) };
}

type Get = (path: string, query: KhanQuery, token: KhanTokenPair) => Promise<unknown>;
type StudentBodies = Record<keyof typeof KHAN_ENDPOINTS, unknown>;

/** The student ids of a roster; an entry without one is a rejection (at the coach, never a student id). */
function rosterIds(roster: unknown, coachId: string): { ids: string[]; rejected: KhanPulled[] } {
  const at = `/api/v1/user/students?coach=${coachId}`;
  const type = '/api/v1/user/students';
  if (!Array.isArray(roster)) return { ids: [], rejected: [{ at, type, rejection: { code: 'unreadable', detail: 'the response is not a JSON array' } }] };
  const ids = new Set<string>();
  const rejected: KhanPulled[] = [];
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
async function pullMetadata(database: Database, get: Get, token: KhanTokenPair, now: Date, put: KhanFetchOptions['put'], fail: (at: string, reason: string) => void): Promise<void> {
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
      await put([{ at: path, type: path, rejection: { code: 'unreadable', detail: 'the response is not a JSON array' } }]);
      return [];
    }
    const rejected: KhanPulled[] = [];
    const good = body.flatMap((entry, i) => {
      // A badge is known by its slug, else its name; an exercise by its name.
      if (isObject(entry) && (nonEmpty(entry[key]) ?? (key === 'slug' ? nonEmpty(entry.name) : null)) !== null) return [entry];
      rejected.push({ at: `${path} [${i}]`, type: path, rejection: isObject(entry) ? { code: 'missing_field', field: key, detail: 'absent, null or empty' } : { code: 'unreadable', detail: 'not a JSON object' } });
      return [];
    });
    await put(rejected);
    return good;
  };
  await storeBadgeMetadata(database, await list('/api/v1/badges', 'slug'), now);
  await storeExerciseMetadata(database, await list('/api/v1/exercises', 'name'), now);
}

/** One record as pulled, counted under its endpoint. No payload: Khan bodies carry names and emails. */
function pulledRecord(s: Sourced<KhanRecord>): KhanPulled {
  const type = s.at.split('?')[0]!;
  return s.ok ? { at: s.at, type, record: s.record } : { at: s.at, type, rejection: s.rejection };
}

/** Runs `work` over `items`, `size` at a time. */
async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}
