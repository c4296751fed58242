/**
 * The erasure registry: which learners were erased at their request (GDPR Art. 17), so
 * that imports, pulls and live events of theirs are dropped instead of stored again.
 * A learner is kept by the keyed pseudonym of their platform user id, the actor name
 * their statements carry (DESIGN.md invariant 4): never the raw id. The table sits in
 * src/db, beside the gateway's secrets, because every module that stores learner data
 * (ingest, lrs) consults it and src/db is below them all.
 */
import { jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.js';
import type { SqlSession } from './connection.js';

/** One erased learner: the pseudonym of their platform user id, when, by whom, and what was erased. */
export const erasedLearners = pgTable(
  'erased_learners',
  {
    platform: text('platform').notNull(),
    pseudonym: text('pseudonym').notNull(),
    erasedAt: timestamptz('erased_at').notNull().defaultNow(),
    /** Who asked: `cli`, `admin api` or `console`, never a person's name. */
    erasedBy: text('erased_by').notNull(),
    /** How many rows of each place were erased, by place name. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.pseudonym] })],
);

/** One erasure as recorded. */
export interface Erasure {
  platform: string;
  pseudonym: string;
  erasedBy: string;
  counts: Record<string, number>;
}

/** Records (or records again, with the newer counts) that a learner was erased. */
export async function recordErasure(session: SqlSession, e: Erasure, at: Date): Promise<void> {
  await session.query(
    `INSERT INTO erased_learners (platform, pseudonym, erased_at, erased_by, counts) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (platform, pseudonym) DO UPDATE SET erased_at = $3, erased_by = $4, counts = $5`,
    [e.platform, e.pseudonym, at, e.erasedBy, JSON.stringify(e.counts)],
  );
}

/**
 * The pseudonyms of the erased learners of a platform (of every platform: `any`): an
 * import loads them once and drops the records of these learners.
 * @example const erased = await erasedPseudonyms(database, 'edx'); if (erased.has(actorName)) ...
 */
export async function erasedPseudonyms(session: SqlSession, platform: string | 'any'): Promise<ReadonlySet<string>> {
  const { rows } = await session.query<{ pseudonym: string }>(`SELECT pseudonym FROM erased_learners WHERE $1 = 'any' OR platform = $1`, [platform]);
  return new Set(rows.map((r) => r.pseudonym));
}

/** Those of `names` (actor names of one batch) that belong to erased learners of a platform. */
export async function erasedAmong(session: SqlSession, platform: string, names: readonly string[]): Promise<ReadonlySet<string>> {
  if (names.length === 0) return new Set();
  const { rows } = await session.query<{ pseudonym: string }>(`SELECT pseudonym FROM erased_learners WHERE platform = $1 AND pseudonym = ANY($2::text[])`, [platform, [...new Set(names)]]);
  return new Set(rows.map((r) => r.pseudonym));
}

/** The erasure of one learner, if they were erased. */
export async function findErasure(session: SqlSession, platform: string, pseudonym: string): Promise<(Erasure & { erasedAt: Date }) | undefined> {
  const { rows } = await session.query<{ erased_at: Date | string; erased_by: string; counts: Record<string, number> }>(
    `SELECT erased_at, erased_by, counts FROM erased_learners WHERE platform = $1 AND pseudonym = $2`,
    [platform, pseudonym],
  );
  const r = rows[0];
  return r === undefined ? undefined : { platform, pseudonym, erasedAt: new Date(r.erased_at), erasedBy: r.erased_by, counts: r.counts };
}
