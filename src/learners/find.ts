/**
 * `learner find`: where the gateway holds one learner's data, with counts (GDPR Art. 15).
 * The answer names the learner by their pseudonym only, never by the id that was given.
 */
import type { Config } from '../config/index.js';
import type { Database, SqlSession } from '../db/connection.js';
import { findErasure } from '../db/erased-learners.js';
import { resolveLearner, type Learner } from './learner.js';
import { placesOf, type Place } from './places.js';

/** The rows one place holds of the learner. */
export interface PlaceCount {
  name: string;
  store: Place['store'];
  rows: number;
  /** The rows by the place's `countBy` column (the outbox by state, documents by kind). */
  by?: Record<string, number>;
}

/** What find answers. */
export interface LearnerFindings {
  platform: string;
  pseudonym: string;
  /** Whether an identity link names their ECO account (its statements are found too). */
  linked: boolean;
  places: PlaceCount[];
  /** Rows in all places. */
  total: number;
  /** When they were erased before, and by whom. */
  erased?: { at: string; by: string };
}

/** The rows of `place` that hold the learner's data. */
export async function countPlace(session: SqlSession, place: Place, learner: Learner): Promise<PlaceCount> {
  const { sql, params } = place.where(learner);
  if (place.countBy === undefined) {
    const { rows } = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${place.table} WHERE ${sql}`, params);
    return { name: place.name, store: place.store, rows: rows[0]?.n ?? 0 };
  }
  const { rows } = await session.query<{ k: string; n: number }>(
    `SELECT ${place.countBy} AS k, count(*)::int AS n FROM ${place.table} WHERE ${sql} GROUP BY 1 ORDER BY 1`,
    params,
  );
  return { name: place.name, store: place.store, rows: rows.reduce((sum, r) => sum + r.n, 0), by: Object.fromEntries(rows.map((r) => [r.k, r.n])) };
}

/** Every place's count for a resolved learner. */
export async function countPlaces(session: SqlSession, learner: Learner): Promise<PlaceCount[]> {
  const counts: PlaceCount[] = [];
  for (const place of placesOf(learner.platform)) counts.push(await countPlace(session, place, learner));
  return counts;
}

/**
 * Where the learner of `platform` with `userId` has data, and how much.
 * @example const findings = await findLearner({ config, database }, 'edx', '42');
 */
export async function findLearner(deps: { config: Config; database: Database }, platform: string, userId: string): Promise<LearnerFindings> {
  const learner = await resolveLearner(deps, platform, userId);
  const places = await countPlaces(deps.database, learner);
  const erasure = await findErasure(deps.database, learner.platform, learner.pseudonym);
  return {
    platform: learner.platform, pseudonym: learner.pseudonym, linked: learner.ecoUserId !== undefined,
    places, total: places.reduce((sum, p) => sum + p.rows, 0),
    ...(erasure !== undefined && { erased: { at: erasure.erasedAt.toISOString(), by: erasure.erasedBy } }),
  };
}
