/**
 * The read side of the embedded LRS: GET /statements (Communication §2.1.3) over the
 * `lrs_*` tables, in-process for reports and behind the HTTP routes. Results are ordered
 * by `stored`, newest first unless ascending, with `seq` breaking ties, and paged by
 * keyset: each page starts after the (stored, seq) of the last one. Voided statements
 * never appear in queries (§2.1.4.s1.b1), but statements targeting a statement that
 * matches the filter do (§2.1.3.s3). Statements come back as stored (the `exact`
 * format); the routes reshape them (statement-format.ts).
 */
import type { Database } from '../../db/connection.js';
import { gatewaySecret } from '../../db/gateway-secrets.js';
import { CodedError } from '../../errors.js';
import type { StatementFilter, StatementPage, StatementQuery } from '../statement-query.js';
import type { Statement } from '../../xapi/types.js';
import { timestampMillis } from './instant.js';
import {
  decodeCursor,
  DEFAULT_SHAPE,
  encodeCursor,
  UUID,
  type QueryFilter,
  type ResponseShape,
  type StatementCursor,
} from './statement-cursor.js';
import {
  ACTIVITY_FILTER_ROLES,
  AGENT_FILTER_ROLES,
  agentIfi,
  RELATED_ACTIVITY_ROLES,
  RELATED_AGENT_ROLES,
} from './statement-links.js';

/** The largest page, also the default and what `limit=0` means (§2.1.3 table, "limit"). */
export const MAX_PAGE_SIZE = 500;

/** A page as JSON texts, ready to be written out without parsing, and how to return it. */
export interface JsonPage {
  statements: string[];
  more?: string;
  /** The shape asked for on the first page, which `more` keeps. */
  shape: ResponseShape;
  /** The latest `stored` of the page (UTC ISO), for Last-Modified; absent when empty. */
  lastStored?: string;
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
  /** The key of `more` tokens, kept in the database so that every instance on it accepts the others' tokens. */
  private tokenKey?: Promise<string>;

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

  /**
   * Like `page`, as JSON texts; `shape` (for a filter) goes into the `more` token. Throws
   * a coded error `invalid` for a bad filter or token.
   */
  async pageJson(filterOrMore: StatementFilter | string, shape: ResponseShape = DEFAULT_SHAPE): Promise<JsonPage> {
    const key = await this.moreKey();
    const cursor = typeof filterOrMore === 'string' ? boundedCursor(decodeCursor(filterOrMore, key)) : this.firstCursor(filterOrMore, shape);
    const { text, params } = pageQuery(cursor);
    type Row = { seq: number; stored: string; json: string };
    const { rows } = await this.database.query<Row>(text, params);
    const limit = cursor.filter.limit;
    // One format for every `stored`, so the greatest string is the latest instant.
    const latest = (page: Row[]) => (page.length === 0 ? {} : { lastStored: page.reduce((max, r) => (r.stored > max ? r.stored : max), '') });
    if (rows.length <= limit) return { statements: rows.map((r) => r.json), shape: cursor.shape, ...latest(rows) };
    const page = rows.slice(0, limit);
    const last = page[page.length - 1]!;
    const more = encodeCursor({ ...cursor, after: { stored: last.stored, seq: last.seq } }, key);
    return { statements: page.map((r) => r.json), more, shape: cursor.shape, ...latest(page) };
  }

  /** The key of `more` tokens, read (or made) once; a failed read is tried again at the next page. */
  private moreKey(): Promise<string> {
    this.tokenKey ??= gatewaySecret(this.database, 'lrs-more-token').catch((error: unknown) => {
      this.tokenKey = undefined;
      throw error;
    });
    return this.tokenKey;
  }

  /**
   * The cursor of a first page. `until` is fixed here, at most the consistent-through
   * instant, so that pages neither shift nor include statements stored since.
   */
  private firstCursor(filter: StatementFilter, shape: ResponseShape): StatementCursor {
    const q: QueryFilter = { limit: pageSize(filter.limit) };
    if (filter.agent !== undefined) {
      const ifi = agentIfi(filter.agent);
      if (ifi === undefined) throw new CodedError('invalid', 'agent: must be an Agent or an identified Group');
      q.ifi = ifi;
      if (filter.relatedAgents) q.relatedAgents = true;
    }
    if (filter.verb !== undefined) q.verb = filter.verb;
    if (filter.activity !== undefined) {
      q.activity = filter.activity;
      if (filter.relatedActivities) q.relatedActivities = true;
    }
    if (filter.registration !== undefined) {
      if (!UUID.test(filter.registration)) throw new CodedError('invalid', 'registration: must be a UUID');
      q.registration = filter.registration.toLowerCase();
    }
    if (filter.since !== undefined) q.since = utcIso(filter.since, 'since');
    if (filter.ascending) q.ascending = true;
    const consistent = this.consistentThrough().getTime();
    const until = filter.until === undefined ? consistent : Math.min(timestampMillis(filter.until), consistent);
    if (Number.isNaN(until)) throw new CodedError('invalid', 'until: must be an ISO 8601 timestamp with a time zone');
    return { filter: q, until: new Date(until).toISOString(), shape };
  }
}

/** Defence in depth: whatever a token says, its page is never larger than the server's. */
function boundedCursor(cursor: StatementCursor): StatementCursor {
  return { ...cursor, filter: { ...cursor.filter, limit: Math.min(cursor.filter.limit, MAX_PAGE_SIZE) } };
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined || limit === 0) return MAX_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 0) throw new CodedError('invalid', 'limit: must be a non-negative integer');
  return Math.min(limit, MAX_PAGE_SIZE);
}

function utcIso(value: string, name: string): string {
  const ms = timestampMillis(value);
  if (Number.isNaN(ms)) throw new CodedError('invalid', `${name}: must be an ISO 8601 timestamp with a time zone`);
  return new Date(ms).toISOString();
}

/** Builds the parameter list of one SQL statement. */
type Param = (value: unknown) => string;

/**
 * The SQL of one page: one more row than the limit tells whether another page follows.
 * Every scan reads an index keyed like the result order (…, stored, seq) and stops at
 * the limit, so a page costs the same however many statements are stored. Without a
 * filter on the statements' content, one scan of the (stored, seq) index. With one, the
 * union of two limited scans: the statements that match, driven by the `activity` or
 * `agent` link rows when one is asked for (the rest are probes of primary keys), and the
 * statements with a StatementRef object (found through a partial index of those only)
 * whose target, or the target's target and so on, matches (§2.1.3.s3); the time window
 * and the keyset apply to the targeting statement, the filter only to the target, which
 * may be voided (§2.1.4.s1.b2). Only then are the page's statements read.
 */
function pageQuery(cursor: StatementCursor): { text: string; params: unknown[] } {
  const { filter: f } = cursor;
  const params: unknown[] = [];
  const param: Param = (value) => {
    params.push(value);
    return `$${params.length}`;
  };
  const direction = f.ascending ? 'ASC' : 'DESC';
  const limit = param(f.limit + 1);
  const order = (stored: string, seq: string) => `ORDER BY ${stored} ${direction}, ${seq} ${direction}`;
  const columns = `s.seq::float8 AS seq, s.statement::text AS json,
         to_char(s.stored AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS stored`;
  const window = (stored: string, seq: string) => windowConditions(cursor, param, stored, seq);
  const link = drivingLink(f);
  if (!hasContentFilter(f)) {
    const where = [...window('s.stored', 's.seq'), 'NOT s.voided'];
    return { text: `SELECT ${columns} FROM lrs_statements s WHERE ${where.join(' AND ')} ${order('s.stored', 's.seq')} LIMIT ${limit}`, params };
  }
  // Roles are a filter, not an index condition: PostgreSQL 15 returns an index scan with
  // `= ANY` on a later key column unordered, and would sort every match of the activity.
  // DISTINCT ON (not DISTINCT) so that duplicates are dropped in index order, never hashed;
  // one query level with the LIMIT, as a subquery is planned without it and then sorts
  // every link row of the activity or agent before the first page row comes out.
  const roleFilter = link === undefined ? '' : `array_position(${param(link.roles)}::text[], l.role) IS NOT NULL`;
  const matching =
    link === undefined
      ? `SELECT s.seq, s.stored FROM lrs_statements s
    WHERE ${[...window('s.stored', 's.seq'), 'NOT s.voided', ...matchConditions(f, 's', param)].join('\n      AND ')}
    ${order('s.stored', 's.seq')} LIMIT ${limit}`
      : `SELECT DISTINCT ON (l.stored, l.statement_seq) s.seq, s.stored
     FROM ${link.table} l JOIN lrs_statements s ON s.seq = l.statement_seq
    WHERE ${[...linkConditions(f, link, param), roleFilter, ...window('l.stored', 'l.statement_seq'), 'NOT s.voided', ...matchConditions(f, 's', param, link)].join('\n      AND ')}
    ${order('l.stored', 'l.statement_seq')} LIMIT ${limit}`;
  const text = `
WITH hits AS (
  (${matching})
  UNION
  (SELECT s.seq, s.stored FROM lrs_statements s
    WHERE ${[...window('s.stored', 's.seq'), 'NOT s.voided', 's.object_statement_id IS NOT NULL'].join('\n      AND ')}
      AND EXISTS (
        WITH RECURSIVE targets(id) AS (
          SELECT s.object_statement_id
          UNION
          SELECT r.object_statement_id FROM targets JOIN lrs_statements r ON r.id = targets.id WHERE r.object_statement_id IS NOT NULL)
        SELECT 1 FROM targets JOIN lrs_statements t ON t.id = targets.id
         WHERE ${matchConditions(f, 't', param).join('\n           AND ')})
    ${order('s.stored', 's.seq')} LIMIT ${limit})
)
SELECT ${columns}
  FROM hits h JOIN lrs_statements s ON s.seq = h.seq
 ${order('h.stored', 'h.seq')} LIMIT ${limit}`;
  return { text, params };
}

/** The time and sequence conditions (§2.1.3.s3: `since`, `until`, and the page's position) on the given columns. */
function windowConditions(cursor: StatementCursor, param: Param, stored: string, seq: string): string[] {
  const { filter: f } = cursor;
  const where = [`${stored} <= ${param(cursor.until)}::timestamptz`];
  if (f.since !== undefined) where.push(`${stored} > ${param(f.since)}::timestamptz`);
  if (cursor.after !== undefined) {
    const op = f.ascending ? '>' : '<';
    where.push(`(${stored}, ${seq}) ${op} (${param(cursor.after.stored)}::timestamptz, ${param(cursor.after.seq)}::bigint)`);
  }
  return where;
}

/** A link table, the column of its key, the value and the roles that a filter asks for. */
interface LinkFilter {
  table: 'lrs_statement_activities' | 'lrs_statement_agents';
  key: 'activity_id' | 'ifi';
  value: string;
  roles: readonly string[];
}

function activityLink(f: QueryFilter): LinkFilter | undefined {
  if (f.activity === undefined) return undefined;
  const roles = f.relatedActivities ? RELATED_ACTIVITY_ROLES : ACTIVITY_FILTER_ROLES;
  return { table: 'lrs_statement_activities', key: 'activity_id', value: f.activity, roles };
}

function agentLink(f: QueryFilter): LinkFilter | undefined {
  if (f.ifi === undefined) return undefined;
  const roles = f.relatedAgents ? RELATED_AGENT_ROLES : AGENT_FILTER_ROLES;
  return { table: 'lrs_statement_agents', key: 'ifi', value: f.ifi, roles };
}

/** The link rows that drive a filtered page: the activity's when asked for, else the agent's. */
function drivingLink(f: QueryFilter): LinkFilter | undefined {
  return activityLink(f) ?? agentLink(f);
}

function hasContentFilter(f: QueryFilter): boolean {
  return f.verb !== undefined || f.registration !== undefined || f.ifi !== undefined || f.activity !== undefined;
}

/**
 * The key conditions of the driving link rows. Agent rows carry their statement's verb,
 * so that `agent` + `verb` is one ordered scan of (ifi, verb_id, stored, seq) rather than
 * of every statement of the agent. That index holds the plain filter's roles only; they
 * are spelled out as literals, since PostgreSQL proves a partial index's predicate from
 * constants, not from parameters.
 */
function linkConditions(f: QueryFilter, link: LinkFilter, param: Param): string[] {
  const where = [`l.${link.key} = ${param(link.value)}`];
  if (usesVerbIndex(f, link)) {
    where.push(`l.verb_id = ${param(f.verb)}`, `l.role IN (${AGENT_FILTER_ROLES.map((r) => `'${r}'`).join(', ')})`);
  }
  return where;
}

function usesVerbIndex(f: QueryFilter, link: LinkFilter | undefined): boolean {
  return link?.table === 'lrs_statement_agents' && f.verb !== undefined && f.relatedAgents !== true;
}

/**
 * The conditions of every filter on the statement aliased `alias`, but those the driving
 * link rows already meet (linkConditions). Link probes name `stored` and `seq`, the head
 * of the link key.
 */
function matchConditions(f: QueryFilter, alias: string, param: Param, driving?: LinkFilter): string[] {
  const where: string[] = [];
  if (f.verb !== undefined && !usesVerbIndex(f, driving)) where.push(`${alias}.verb_id = ${param(f.verb)}`);
  if (f.registration !== undefined) where.push(`${alias}.registration = ${param(f.registration)}::uuid`);
  for (const link of [agentLink(f), activityLink(f)]) {
    if (link === undefined || link.table === driving?.table) continue;
    where.push(
      `EXISTS (SELECT 1 FROM ${link.table} l
                WHERE l.${link.key} = ${param(link.value)} AND l.stored = ${alias}.stored AND l.statement_seq = ${alias}.seq
                  AND l.role = ANY(${param(link.roles)}::text[]))`,
    );
  }
  return where;
}
