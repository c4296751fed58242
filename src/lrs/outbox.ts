/**
 * The statement outbox: the source of truth until the LRS has a statement
 * (DESIGN.md invariant 3). Enqueue is idempotent by statement id; claiming is one
 * short statement with `FOR UPDATE SKIP LOCKED` that sets a lease, so several senders
 * share one outbox and a crashed sender's rows are claimed again once its lease ends.
 */
import type { Database, SqlSession } from '../db/connection.js';
import type { OutboxState } from './schema.js';
import { isDataError } from '../db/errors.js';
import { backoffMs } from '../net/backoff.js';
import { dataErrorReason } from './data-error.js';
import { statementText } from '../xapi/statement-text.js';

/** A statement ready for the outbox; `id` is required (deterministic ids, invariant 1). */
export interface OutboxStatement {
  id: string;
}

/** How many statements one enqueue added and how many the outbox already held. */
export interface EnqueueResult {
  added: number;
  known: number;
  /** Present when the database refused statements as data: each by its index in the batch, with why. */
  refused?: RefusedStatement[];
}

/** A statement the database refused to store (SQLSTATE class 22, 23 or 54), and why, without its values. */
export interface RefusedStatement {
  index: number;
  reason: string;
}

/**
 * What importers do with text the database cannot store (U+0000, lone surrogates):
 * `reject` the record, or `replace` those characters by U+FFFD and count it.
 */
export type UnstorableTextPolicy = 'reject' | 'replace';

/** A claimed row: the statement as JSON text, sent as it is. */
export interface ClaimedRow {
  id: string;
  json: string;
  attempts: number;
}

/** How a row leaves a delivery attempt. */
export type Settlement =
  | { state: 'sent' }
  | { state: 'conflict' | 'dead'; reason: string }
  | { state: 'retry'; reason: string; notBefore?: Date };

/** Retry timing: exponential backoff with jitter, capped, then dead after `maxAttempts`. */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

/** Outbox counts by state, with the age of the oldest pending row. */
export interface OutboxStatus {
  counts: Record<OutboxState, number>;
  oldestPendingAt: Date | null;
  lastSentAt: Date | null;
}

/** A row that the LRS refused for good, with the reason. */
export interface FailedRow {
  id: string;
  state: 'dead' | 'conflict';
  attempts: number;
  reason: string | null;
  source: string;
  settledAt: Date | null;
}

/** The outbox over one database. */
export class Outbox {
  constructor(
    private readonly database: Database,
    private readonly retry: RetryPolicy,
    /** UNSTORABLE_TEXT: read by every importer that fills this outbox. */
    readonly unstorableText: UnstorableTextPolicy = 'reject',
  ) {}

  /**
   * Adds statements that the outbox does not hold yet (by id) and reports how many
   * were new. Thousands per call go through COPY into a temporary table (on PGlite
   * too, from a blob), then one INSERT that skips known ids. A batch the database
   * refuses as data is split until the statements at fault are alone; those are
   * reported in `refused` and every other one is stored. Any other error (the database
   * is away) is thrown.
   * @example await outbox.enqueue(statements, 'edx:tracking.log')
   */
  async enqueue(statements: readonly OutboxStatement[], source: string): Promise<EnqueueResult> {
    if (statements.length === 0) return { added: 0, known: 0 };
    const refused: RefusedStatement[] = [];
    const added = await this.enqueueSplitting(statements, 0, source, refused);
    return { added, known: statements.length - added - refused.length, ...(refused.length > 0 && { refused }) };
  }

  // Halving as deliver.ts does with a batch the LRS refuses: isolating k bad statements
  // among n costs about 2k·log2(n) small transactions, and one bad statement never holds
  // back the rest.
  private async enqueueSplitting(statements: readonly OutboxStatement[], offset: number, source: string, refused: RefusedStatement[]): Promise<number> {
    try {
      return await this.database.transaction((session) => copyEnqueue(session, statements, source));
    } catch (err) {
      if (!isDataError(err)) throw err;
      if (statements.length === 1) {
        refused.push({ index: offset, reason: dataErrorReason(err) });
        return 0;
      }
      const middle = Math.ceil(statements.length / 2);
      const first = await this.enqueueSplitting(statements.slice(0, middle), offset, source, refused);
      return first + (await this.enqueueSplitting(statements.slice(middle), offset + middle, source, refused));
    }
  }

  /**
   * Claims up to `limit` due rows for `owner` until the lease ends. The rows are picked in a
   * materialized CTE: as `WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)` the
   * planner may run the subquery more than once and claim more than `limit` (seen: 184
   * rows for a limit of 100, on a table with an update history, in the LRS fault scenario).
   */
  async claim(owner: string, limit: number, leaseSeconds: number): Promise<ClaimedRow[]> {
    const { rows } = await this.database.query<ClaimedRow & { seq: number }>(
      `WITH due AS MATERIALIZED (
         SELECT id FROM statement_outbox
          WHERE state = 'pending' AND next_attempt_at <= now()
            AND (lease_expires_at IS NULL OR lease_expires_at <= now())
          ORDER BY next_attempt_at, seq
          LIMIT $2
          FOR UPDATE SKIP LOCKED)
       UPDATE statement_outbox o
          SET lease_owner = $1, lease_expires_at = now() + make_interval(secs => $3), attempts = o.attempts + 1
         FROM due WHERE o.id = due.id
      RETURNING o.id::text AS id, o.seq::float8 AS seq, o.statement::text AS json, o.attempts`,
      [owner, limit, leaseSeconds],
    );
    return rows.sort((a, b) => a.seq - b.seq).map(({ id, json, attempts }) => ({ id, json, attempts }));
  }

  /**
   * Settles claimed rows. Only rows still pending and leased by `owner` change, so a
   * sender whose lease ran out cannot overwrite what another sender did since.
   */
  async settle(owner: string, rows: readonly ClaimedRow[], settlement: Settlement): Promise<void> {
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    if (settlement.state === 'sent') {
      await this.database.query(
        `UPDATE statement_outbox SET state = 'sent', settled_at = now(), lease_owner = NULL, lease_expires_at = NULL, last_error = NULL
          WHERE id = ANY($1::uuid[]) AND state = 'pending' AND lease_owner = $2`,
        [ids, owner],
      );
      return;
    }
    if (settlement.state !== 'retry') {
      await this.database.query(
        `UPDATE statement_outbox SET state = $3, settled_at = now(), lease_owner = NULL, lease_expires_at = NULL, last_error = $4
          WHERE id = ANY($1::uuid[]) AND state = 'pending' AND lease_owner = $2`,
        [ids, owner, settlement.state, settlement.reason],
      );
      return;
    }
    // Rows out of attempts die; the others wait for their backoff (or Retry-After).
    const notBefore = settlement.notBefore?.getTime() ?? 0;
    const attempts = Math.max(...rows.map((r) => r.attempts));
    if (attempts >= this.retry.maxAttempts) {
      await this.settle(owner, rows, { state: 'dead', reason: `gave up after ${attempts} attempts: ${settlement.reason}` });
      return;
    }
    const due = Math.max(Date.now() + backoffMs(attempts, this.retry), notBefore);
    await this.database.query(
      `UPDATE statement_outbox SET next_attempt_at = $3, lease_owner = NULL, lease_expires_at = NULL, last_error = $4
        WHERE id = ANY($1::uuid[]) AND state = 'pending' AND lease_owner = $2`,
      [ids, owner, new Date(due), settlement.reason],
    );
  }

  /** Gives claimed rows back untouched (the attempt did not count), e.g. on a config error. */
  async release(owner: string, rows: readonly ClaimedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.database.query(
      `UPDATE statement_outbox SET lease_owner = NULL, lease_expires_at = NULL, attempts = greatest(attempts - 1, 0)
        WHERE id = ANY($1::uuid[]) AND state = 'pending' AND lease_owner = $2`,
      [rows.map((r) => r.id), owner],
    );
  }

  /**
   * Puts dead (and, with `includeConflicts`, conflict) rows back to pending, only those of
   * `ids` and of the `reason` (the exact last error) when given; returns how many.
   */
  async requeue(opts: { includeConflicts?: boolean; ids?: string[]; reason?: string } = {}): Promise<number> {
    const states = opts.includeConflicts ? ['dead', 'conflict'] : ['dead'];
    const { affected } = await this.database.query(
      `UPDATE statement_outbox SET state = 'pending', attempts = 0, next_attempt_at = now(), settled_at = NULL
        WHERE state = ANY($1::text[]) AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) AND ($3::text IS NULL OR last_error = $3)`,
      [states, opts.ids ?? null, opts.reason ?? null],
    );
    return affected;
  }

  /** Deletes sent rows settled before `before`; returns how many. */
  async purgeSent(before: Date): Promise<number> {
    const { affected } = await this.database.query(
      `DELETE FROM statement_outbox WHERE state = 'sent' AND settled_at < $1`,
      [before],
    );
    return affected;
  }

  /** Counts by state, oldest pending row, last delivery. */
  async status(): Promise<OutboxStatus> {
    const { rows } = await this.database.query<{ state: OutboxState; n: number }>(
      `SELECT state, count(*)::int AS n FROM statement_outbox GROUP BY state`,
    );
    const { rows: times } = await this.database.query<{ oldest: Date | null; last_sent: Date | null }>(
      `SELECT (SELECT min(created_at) FROM statement_outbox WHERE state = 'pending') AS oldest,
              (SELECT max(settled_at) FROM statement_outbox WHERE state = 'sent') AS last_sent`,
    );
    const counts: Record<OutboxState, number> = { pending: 0, sent: 0, conflict: 0, dead: 0 };
    for (const r of rows) counts[r.state] = r.n;
    return { counts, oldestPendingAt: times[0]?.oldest ?? null, lastSentAt: times[0]?.last_sent ?? null };
  }

  /** The dead and conflict rows with their reasons, newest first. */
  async failed(limit = 100): Promise<FailedRow[]> {
    const { rows } = await this.database.query<FailedRow>(
      `SELECT id::text AS id, state, attempts, last_error AS reason, source, settled_at AS "settledAt"
         FROM statement_outbox WHERE state IN ('dead', 'conflict') ORDER BY settled_at DESC NULLS LAST LIMIT $1`,
      [limit],
    );
    return rows;
  }
}

async function copyEnqueue(session: SqlSession, statements: readonly OutboxStatement[], source: string): Promise<number> {
  await session.query(`CREATE TEMP TABLE outbox_in (id uuid, statement jsonb) ON COMMIT DROP`);
  await session.copyIn('outbox_in (id, statement)', copyText(statements));
  const { affected } = await session.query(
    `INSERT INTO statement_outbox (id, statement, source)
     SELECT id, statement, $1 FROM outbox_in ON CONFLICT (id) DO NOTHING`,
    [source],
  );
  return affected;
}

/**
 * COPY text format: columns split by tab, rows by newline, backslash escapes.
 * JSON.stringify never writes a raw tab or newline, so doubling backslashes suffices.
 */
function copyText(statements: readonly OutboxStatement[]): string {
  let out = '';
  // statementText: the text validation took, where it took one (an edX import's).
  for (const s of statements) out += `${s.id}\t${statementText(s).replaceAll('\\', '\\\\')}\n`;
  return out;
}
