/**
 * `learner erase`: removes one learner's data from every place (GDPR Art. 17), each store
 * in one transaction, and records the erasure (pseudonym, when, by whom, counts) so that
 * later imports, pulls and live events of theirs are dropped (db/erased-learners.ts).
 * The embedded LRS goes first: were the gateway's transaction to fail after it, running
 * the erasure again finishes it, and the registry is written only with the last store.
 */
import type { Config } from '../config/index.js';
import type { Database, SqlSession } from '../db/connection.js';
import { recordErasure } from '../db/erased-learners.js';
import type { NetClock } from '../net/request.js';
import { EXTERNAL_LRS, eraseInExternalLrs, type ExternalErasure } from './external-lrs.js';
import { resolveLearner, type Learner } from './learner.js';
import { LRS_THEIR_ATTACHMENTS, LRS_THEIRS, placesOf } from './places.js';

/** What an erasure could not reach, and why. */
export interface NotErased {
  where: string;
  statements: number;
  reason: string;
}

/** What erase answers. */
export interface ErasureReport {
  platform: string;
  pseudonym: string;
  erasedAt: string;
  /** Rows erased, by place. */
  erased: Record<string, number>;
  total: number;
  /** What the actor deletion of the external LRS erased (LRS_ERASE_API). */
  external: ExternalErasure[];
  /** Copies outside the gateway's reach: statements already delivered to an external LRS that could not be erased there. */
  notErased: NotErased[];
}

/** What erase needs: `erasedBy` says who asked (`cli`, `admin api`, `console`), never a person's name. */
export interface EraseDeps {
  config: Config;
  database: Database;
  erasedBy: string;
  now?: () => Date;
  /** Time of the calls to an external LRS (tests: no waiting between retries). */
  netClock?: NetClock;
}

/**
 * Erases the learner of `platform` with `userId` everywhere and records it.
 * @example const report = await eraseLearner({ config, database, erasedBy: 'cli' }, 'edx', '42');
 */
export async function eraseLearner(deps: EraseDeps, platform: string, userId: string): Promise<ErasureReport> {
  const learner = await resolveLearner(deps, platform, userId);
  const at = (deps.now ?? (() => new Date()))();
  const { external, notErased } = await externalCopies(deps, learner);
  const lrs = await deps.database.transaction((session) => eraseFromLrs(session, learner));
  const erased = await deps.database.transaction(async (session) => {
    const counts: Record<string, number> = {};
    for (const place of placesOf(learner.platform).filter((p) => p.store === 'gateway')) {
      const { sql, params } = place.where(learner);
      const { rows } = await session.query<{ n: number }>(`WITH gone AS (DELETE FROM ${place.table} WHERE ${sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`, params);
      counts[place.name] = rows[0]?.n ?? 0;
    }
    Object.assign(counts, lrs);
    await recordErasure(session, { platform: learner.platform, pseudonym: learner.pseudonym, erasedBy: deps.erasedBy, counts }, at);
    return counts;
  });
  const total = Object.values(erased).reduce((sum, n) => sum + n, 0);
  return { platform: learner.platform, pseudonym: learner.pseudonym, erasedAt: at.toISOString(), erased, total, external, notErased };
}

/**
 * The learner's statements, those referring to them, their link rows, their documents,
 * and the attachments no other statement uses, in the embedded LRS. The statements are
 * listed first: their link rows are what finds them.
 */
async function eraseFromLrs(session: SqlSession, learner: Learner): Promise<Record<string, number>> {
  const seqs = (await session.query<{ seq: number | string }>(`SELECT seq FROM lrs_statements WHERE seq IN ${LRS_THEIRS}`, [learner.ifis])).rows.map((r) => Number(r.seq));
  const hashes = (await session.query<{ sha2: string }>(`SELECT DISTINCT sha2 FROM ${LRS_THEIR_ATTACHMENTS} AS t(sha2) WHERE sha2 IS NOT NULL`, [learner.ifis])).rows.map((r) => r.sha2);
  await session.query(`DELETE FROM lrs_statement_agents WHERE statement_seq = ANY($1::bigint[])`, [seqs]);
  await session.query(`DELETE FROM lrs_statement_activities WHERE statement_seq = ANY($1::bigint[])`, [seqs]);
  await session.query(`DELETE FROM lrs_statements WHERE seq = ANY($1::bigint[])`, [seqs]);
  const attachments = await session.query<{ n: number }>(
    `WITH gone AS (DELETE FROM lrs_attachments x WHERE sha2 = ANY($1::text[]) AND NOT EXISTS (
       SELECT 1 FROM lrs_statements s WHERE s.statement->'attachments' @> jsonb_build_array(jsonb_build_object('sha2', x.sha2))) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [hashes],
  );
  const documents = await session.query<{ n: number }>(`WITH gone AS (DELETE FROM lrs_documents WHERE agent_ifi = ANY($1::text[]) RETURNING 1) SELECT count(*)::int AS n FROM gone`, [learner.ifis]);
  return { lrs_statements: seqs.length, lrs_documents: documents.rows[0]?.n ?? 0, lrs_attachments: attachments.rows[0]?.n ?? 0 };
}

/**
 * Where the delivery target is an external LRS (LRS_ENDPOINT), the statements already sent
 * there are erased through its actor deletion (LRS_ERASE_API; external-lrs.ts), called
 * even when none are counted as sent, so that erasing again finishes an erasure it failed.
 * Without one, or when it fails, they are reported so that the operator erases the agent
 * in that LRS.
 */
async function externalCopies(deps: EraseDeps, learner: Learner): Promise<{ external: ExternalErasure[]; notErased: NotErased[] }> {
  if (deps.config.lrsEndpoint === undefined) return { external: [], notErased: [] };
  const outbox = placesOf(learner.platform).find((p) => p.name === 'outbox')!;
  const { sql, params } = outbox.where(learner);
  const { rows } = await deps.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM statement_outbox WHERE state = 'sent' AND (${sql})`, params);
  const sent = rows[0]?.n ?? 0;
  const kept = (reason: string): NotErased[] => (sent === 0 && deps.config.lrsEraseApi === 'none' ? [] : [{ where: EXTERNAL_LRS, statements: sent, reason }]);
  const by = `erase the agent with homePage ${learner.homePage} and name ${learner.pseudonym} in that LRS`;
  try {
    const done = await eraseInExternalLrs(deps.config, learner, deps.netClock);
    if (done !== undefined) return { external: [done], notErased: [] };
    return { external: [], notErased: kept(`statements delivered to the external LRS stay there (LRS_ERASE_API=none): ${by} (SQL LRS, Learning Locker: their actor deletion)`) };
  } catch (err) {
    return { external: [], notErased: kept(`the actor deletion of the external LRS (${deps.config.lrsEraseApi}) failed: ${(err as Error).message}; ${by}, or erase again`) };
  }
}
