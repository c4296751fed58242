/**
 * The read side of the embedded LRS: GET /statements (Communication §2.1.3) over the
 * `lrs_*` tables, in-process for reports and behind the HTTP routes. Results are ordered
 * by `stored`, newest first unless ascending, with `seq` breaking ties, and paged by
 * keyset: each page starts after the (stored, seq) of the last one. Voided statements
 * never appear in queries (§2.1.4.s1.b1). Statements come back in the `exact` format,
 * as stored.
 */
import type { Database } from '../../db/connection.js';
import { HttpError } from '../../http/errors.js';
import type { StatementFilter, StatementPage, StatementQuery } from '../statement-query.js';
import type { Statement } from '../../xapi/types.js';
import { timestampMillis } from './instant.js';
import { decodeCursor, encodeCursor, UUID, type QueryFilter, type StatementCursor } from './statement-cursor.js';
import {
  ACTIVITY_FILTER_ROLES,
  AGENT_FILTER_ROLES,
  agentIfi,
  RELATED_ACTIVITY_ROLES,
  RELATED_AGENT_ROLES,
} from './statement-links.js';

/** The largest page, also the default and what `limit=0` means (§2.1.3 table, "limit"). */
export const MAX_PAGE_SIZE = 500;

/** A page as JSON texts, ready to be written out without parsing. */
export interface JsonPage {
  statements: string[];
  more?: string;
}

/** One stored statement as JSON text, with its `stored` instant for Last-Modified. */
export interface JsonStatement {
  json: string;
  stored: Date;
}

/** Settings of a reader. */
export interface ReaderOptions {
  /** The instant up to which stored statements are readable; first pages stop there. Default: now. */
  consistentThrough?: () => Date;
}

/**
 * `StatementQuery` over the embedded LRS's tables.
 * @example for await (const s of allStatements(new EmbeddedStatementQuery(database), { verb })) count++;
 */
export class EmbeddedStatementQuery implements StatementQuery {
  private readonly consistentThrough: () => Date;

  constructor(
    private readonly database: Database,
    opts: ReaderOptions = {},
  ) {
    this.consistentThrough = opts.consistentThrough ?? (() => new Date());
  }

  /** One statement by id: only a non-voided one, or with `voided: true` only a voided one (§2.1.4). */
  async get(id: string, opts: { voided?: boolean } = {}): Promise<Statement | null> {
    const found = await this.getJson(id, opts);
    return found === null ? null : (JSON.parse(found.json) as Statement);
  }

  /** The page of `filterOrMore`, its statements parsed. */
  async page(filterOrMore: StatementFilter | string): Promise<StatementPage> {
    const page = await this.pageJson(filterOrMore);
    const statements = page.statements.map((json) => JSON.parse(json) as Statement);
    return page.more === undefined ? { statements } : { statements, more: page.more };
  }

  /** Like `get`, as JSON text with the stored instant. */
  async getJson(id: string, opts: { voided?: boolean } = {}): Promise<JsonStatement | null> {
    if (!UUID.test(id)) return null;
    const { rows } = await this.database.query<JsonStatement>(
      `SELECT statement::text AS json, stored FROM lrs_statements WHERE id = $1::uuid AND voided = $2`,
      [id, opts.voided === true],
    );
    return rows[0] ?? null;
  }

  /** Like `page`, as JSON texts; throws HttpError 400 for a bad filter or token. */
  async pageJson(filterOrMore: StatementFilter | string): Promise<JsonPage> {
    const cursor = typeof filterOrMore === 'string' ? decodeCursor(filterOrMore) : this.firstCursor(filterOrMore);
    const { text, params } = pageQuery(cursor);
    const { rows } = await this.database.query<{ seq: number; stored: string; json: string }>(text, params);
    const limit = cursor.filter.limit;
    if (rows.length <= limit) return { statements: rows.map((r) => r.json) };
    const page = rows.slice(0, limit);
    const last = page[page.length - 1]!;
    return { statements: page.map((r) => r.json), more: encodeCursor({ ...cursor, after: { stored: last.stored, seq: last.seq } }) };
  }

  /**
   * The cursor of a first page. `until` is fixed here, at most the consistent-through
   * instant, so that pages neither shift nor include statements stored since.
   */
  private firstCursor(filter: StatementFilter): StatementCursor {
    const q: QueryFilter = { limit: pageSize(filter.limit) };
    if (filter.agent !== undefined) {
      const ifi = agentIfi(filter.agent);
      if (ifi === undefined) throw new HttpError(400, 'agent: must be an Agent or an identified Group');
      q.ifi = ifi;
      if (filter.relatedAgents) q.relatedAgents = true;
    }
    if (filter.verb !== undefined) q.verb = filter.verb;
    if (filter.activity !== undefined) {
      q.activity = filter.activity;
      if (filter.relatedActivities) q.relatedActivities = true;
    }
    if (filter.registration !== undefined) {
      if (!UUID.test(filter.registration)) throw new HttpError(400, 'registration: must be a UUID');
      q.registration = filter.registration.toLowerCase();
    }
    if (filter.since !== undefined) q.since = utcIso(filter.since, 'since');
    if (filter.ascending) q.ascending = true;
    const consistent = this.consistentThrough().getTime();
    const until = filter.until === undefined ? consistent : Math.min(timestampMillis(filter.until), consistent);
    if (Number.isNaN(until)) throw new HttpError(400, 'until: must be an ISO 8601 timestamp with a time zone');
    return { filter: q, until: new Date(until).toISOString() };
  }
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined || limit === 0) return MAX_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 0) throw new HttpError(400, 'limit: must be a non-negative integer');
  return Math.min(limit, MAX_PAGE_SIZE);
}

function utcIso(value: string, name: string): string {
  const ms = timestampMillis(value);
  if (Number.isNaN(ms)) throw new HttpError(400, `${name}: must be an ISO 8601 timestamp with a time zone`);
  return new Date(ms).toISOString();
}

/**
 * The SQL of one page: one more row than the limit tells whether another page follows.
 * Agent and activity filters are EXISTS probes of the link tables' primary keys
 * (ifi or activity_id, role, statement_seq); the order and the keyset condition follow
 * the (stored, seq) index.
 */
function pageQuery(cursor: StatementCursor): { text: string; params: unknown[] } {
  const { filter: f } = cursor;
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['NOT s.voided', `s.stored <= ${param(cursor.until)}::timestamptz`];
  if (f.since !== undefined) where.push(`s.stored > ${param(f.since)}::timestamptz`);
  if (f.verb !== undefined) where.push(`s.verb_id = ${param(f.verb)}`);
  if (f.registration !== undefined) where.push(`s.registration = ${param(f.registration)}::uuid`);
  if (f.ifi !== undefined) {
    const roles = f.relatedAgents ? RELATED_AGENT_ROLES : AGENT_FILTER_ROLES;
    where.push(
      `EXISTS (SELECT 1 FROM lrs_statement_agents a
                WHERE a.ifi = ${param(f.ifi)} AND a.role = ANY(${param(roles)}::text[]) AND a.statement_seq = s.seq)`,
    );
  }
  if (f.activity !== undefined) {
    const roles = f.relatedActivities ? RELATED_ACTIVITY_ROLES : ACTIVITY_FILTER_ROLES;
    where.push(
      `EXISTS (SELECT 1 FROM lrs_statement_activities c
                WHERE c.activity_id = ${param(f.activity)} AND c.role = ANY(${param(roles)}::text[]) AND c.statement_seq = s.seq)`,
    );
  }
  const direction = f.ascending ? 'ASC' : 'DESC';
  if (cursor.after !== undefined) {
    const op = f.ascending ? '>' : '<';
    where.push(`(s.stored, s.seq) ${op} (${param(cursor.after.stored)}::timestamptz, ${param(cursor.after.seq)}::bigint)`);
  }
  const text = `SELECT s.seq::float8 AS seq, s.statement::text AS json,
         to_char(s.stored AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS stored
    FROM lrs_statements s
   WHERE ${where.join('\n     AND ')}
   ORDER BY s.stored ${direction}, s.seq ${direction}
   LIMIT ${param(f.limit + 1)}`;
  return { text, params };
}
