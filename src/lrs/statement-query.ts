/**
 * The query side of an LRS, as reports see it: the filters of xAPI GET /statements
 * (Communication §2.1.3) and an iterator over every page. The HTTP client implements it
 * for any LRS; the embedded LRS implements it in-process.
 */
import type { Agent, Group, Statement } from '../xapi/types.js';

/** The GET /statements filters. */
export interface StatementFilter {
  agent?: Agent | Group;
  verb?: string;
  activity?: string;
  registration?: string;
  relatedActivities?: boolean;
  relatedAgents?: boolean;
  /** ISO 8601; statements stored strictly after. */
  since?: string;
  /** ISO 8601; statements stored at or before. */
  until?: string;
  ascending?: boolean;
  /** Statements per page; 0 or unset = the LRS's own page size. */
  limit?: number;
}

/** One page of results and the continuation, if any. */
export interface StatementPage {
  statements: Statement[];
  /** An opaque continuation for `page(more)`; absent on the last page. */
  more?: string;
}

/** Reading statements from an LRS. */
export interface StatementQuery {
  /** One statement by id; a voided one only with `voided: true` (the `voidedStatementId` form). */
  get(id: string, opts?: { voided?: boolean }): Promise<Statement | null>;
  /** The first page for `filter`, or the page a `more` continuation points to. */
  page(filterOrMore: StatementFilter | string): Promise<StatementPage>;
}

/**
 * Every statement matching `filter`, page by page, following `more`.
 * @example for await (const s of allStatements(query, { verb: VERB.completed.id })) count++;
 */
export async function* allStatements(query: StatementQuery, filter: StatementFilter): AsyncGenerator<Statement> {
  let page = await query.page(filter);
  for (;;) {
    yield* page.statements;
    if (!page.more) return;
    page = await query.page(page.more);
  }
}

/** The filter as xAPI query parameters (agent as JSON, booleans as text). */
export function filterToParams(filter: StatementFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.agent) params.set('agent', JSON.stringify(filter.agent));
  if (filter.verb) params.set('verb', filter.verb);
  if (filter.activity) params.set('activity', filter.activity);
  if (filter.registration) params.set('registration', filter.registration);
  if (filter.relatedActivities) params.set('related_activities', 'true');
  if (filter.relatedAgents) params.set('related_agents', 'true');
  if (filter.since) params.set('since', filter.since);
  if (filter.until) params.set('until', filter.until);
  if (filter.ascending) params.set('ascending', 'true');
  if (filter.limit) params.set('limit', String(filter.limit));
  return params;
}
