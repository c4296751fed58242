/**
 * The outbox as an operator browses it: the dead and conflict rows filtered by state and
 * reason and paged, how many rows each reason holds, and rows created and settled per
 * hour. Read only; requeueing goes through `Outbox.requeue`.
 */
import type { Database } from '../db/connection.js';
import type { FailedRow } from './outbox.js';

/** Which failed rows a page shows; `offset` counts rows of the same filter skipped. */
export interface FailedFilter {
  state?: 'dead' | 'conflict';
  /** The exact last error of the rows. */
  reason?: string;
  limit: number;
  offset: number;
}

/** How many failed rows of one state share one reason. */
export interface FailedReason {
  state: 'dead' | 'conflict';
  reason: string | null;
  rows: number;
}

/** Rows created, and settled by state, in one hour (UTC). */
export interface OutboxHour {
  hour: Date;
  created: number;
  sent: number;
  dead: number;
  conflict: number;
}

/**
 * One page of dead and conflict rows of `filter`, newest first, and whether more follow.
 * @example await failedPage(database, { state: 'dead', limit: 50, offset: 0 });
 */
export async function failedPage(database: Database, filter: FailedFilter): Promise<{ rows: FailedRow[]; more: boolean }> {
  const { rows } = await database.query<FailedRow>(
    `SELECT id::text AS id, state, attempts, last_error AS reason, source, settled_at AS "settledAt"
       FROM statement_outbox
      WHERE state = ANY($1::text[]) AND ($2::text IS NULL OR last_error = $2)
      ORDER BY settled_at DESC NULLS LAST, seq DESC LIMIT $3 OFFSET $4`,
    [filter.state === undefined ? ['dead', 'conflict'] : [filter.state], filter.reason ?? null, filter.limit + 1, filter.offset],
  );
  return { rows: rows.slice(0, filter.limit), more: rows.length > filter.limit };
}

/** Every reason of dead and conflict rows with its count, the largest first. */
export async function failedReasons(database: Database): Promise<FailedReason[]> {
  const { rows } = await database.query<FailedReason>(
    `SELECT state, last_error AS reason, count(*)::int AS rows FROM statement_outbox
      WHERE state IN ('dead', 'conflict') GROUP BY state, last_error ORDER BY rows DESC, state, reason LIMIT 200`,
  );
  return rows;
}

/**
 * Rows created and settled per hour over the `hours` hours up to the latest hour with any
 * activity (so the figure shows the outbox's last day of work, whatever the clock says).
 */
export async function outboxHours(database: Database, hours = 24): Promise<OutboxHour[]> {
  const { rows } = await database.query<{ hour: Date; created: number; sent: number; dead: number; conflict: number }>(
    `WITH events AS (
       SELECT date_trunc('hour', created_at) AS hour, 'created' AS kind FROM statement_outbox
       UNION ALL
       SELECT date_trunc('hour', settled_at), state FROM statement_outbox WHERE settled_at IS NOT NULL AND state <> 'pending'
     ), recent AS (
       SELECT * FROM events WHERE hour > (SELECT max(hour) FROM events) - make_interval(hours => $1)
     )
     SELECT hour,
            count(*) FILTER (WHERE kind = 'created')::int AS created,
            count(*) FILTER (WHERE kind = 'sent')::int AS sent,
            count(*) FILTER (WHERE kind = 'dead')::int AS dead,
            count(*) FILTER (WHERE kind = 'conflict')::int AS conflict
       FROM recent GROUP BY hour ORDER BY hour`,
    [hours],
  );
  return rows.map((r) => ({ ...r, hour: new Date(r.hour) }));
}
