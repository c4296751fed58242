/**
 * The query parameters of GET /statements (Communication §2.1.3), read and checked:
 * unknown names (and names in the wrong case) are refused (§3.2.s3.b7, b8), the single
 * statement forms take no filter (§2.1.3.s2.b1, b2), and values are validated to the
 * same standards as in statements (Data §2.2.s4.b4), by the statement validator itself.
 */
import { CodedError } from '../../errors.js';
import type { StatementFilter } from '../statement-query.js';
import { formatIssues, INSTANT_RANGE_MESSAGE, isStorableInstant, validateStatement } from '../../xapi/index.js';
import type { Actor } from '../../xapi/types.js';
import { timestampMillis } from './instant.js';
import type { ResponseShape, StatementFormat } from './statement-cursor.js';
import { agentIfi } from './statement-links.js';

/** What a GET /statements asks for; a `more` continuation carries its own shape. */
export type StatementsRequest =
  | { kind: 'single'; id: string; voided: boolean; shape: ResponseShape }
  | { kind: 'more'; token: string }
  | { kind: 'query'; filter: StatementFilter; shape: ResponseShape };

const FILTERS = [
  'agent', 'verb', 'activity', 'registration', 'related_activities', 'related_agents',
  'since', 'until', 'limit', 'ascending',
] as const;
const SINGLE = ['statementId', 'voidedStatementId'] as const;
const SHAPE = ['format', 'attachments'] as const;
const KNOWN = new Set<string>([...FILTERS, ...SINGLE, ...SHAPE, 'more']);

// Fillers for the parts of the probe statement that no parameter gives.
const PROBE_AGENT: Actor = { mbox: 'mailto:probe@example.org' };
const PROBE_IRI = 'urn:xapi-gateway:probe';

/**
 * The request named by the query parameters; throws a coded error `invalid` naming the parameter.
 * @example parseStatementParams({ verb: 'http://adlnet.gov/expapi/verbs/completed', limit: '10' })
 */
export function parseStatementParams(query: Record<string, unknown>): StatementsRequest {
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(query)) {
    if (!KNOWN.has(name)) throw new CodedError('invalid', `unknown parameter "${name}" (names are case-sensitive)`);
    if (typeof value !== 'string') throw new CodedError('invalid', `${name}: must be given once, as a string`);
    params.set(name, value);
  }
  const shape = readShape(params);
  const statementId = params.get('statementId');
  const voidedStatementId = params.get('voidedStatementId');
  if (statementId !== undefined && voidedStatementId !== undefined) {
    throw new CodedError('invalid', 'statementId and voidedStatementId cannot be used together');
  }
  const id = statementId ?? voidedStatementId;
  if (id !== undefined) {
    const others = FILTERS.filter((n) => params.has(n));
    if (others.length > 0 || params.has('more')) {
      throw new CodedError('invalid', `${statementId !== undefined ? 'statementId' : 'voidedStatementId'} takes no other parameter but format and attachments`);
    }
    checkParamValues({ registration: id }, { registration: statementId !== undefined ? 'statementId' : 'voidedStatementId' });
    return { kind: 'single', id: id.toLowerCase(), voided: voidedStatementId !== undefined, shape };
  }
  const more = params.get('more');
  if (more !== undefined) {
    if (params.size > 1) throw new CodedError('invalid', 'more takes no other parameter');
    return { kind: 'more', token: more };
  }
  return { kind: 'query', filter: readFilter(params), shape };
}

function readShape(params: Map<string, string>): ResponseShape {
  const format = params.get('format') ?? 'exact';
  if (!['ids', 'exact', 'canonical'].includes(format)) throw new CodedError('invalid', 'format: must be one of ids, exact, canonical');
  return { format: format as StatementFormat, attachments: booleanParam(params, 'attachments') };
}

function readFilter(params: Map<string, string>): StatementFilter {
  const filter: StatementFilter = {};
  const agentText = params.get('agent');
  const agent = agentText === undefined ? undefined : parseAgentJson(agentText);
  const verb = params.get('verb');
  const activity = params.get('activity');
  const registration = params.get('registration');
  checkParamValues({ agent, verb, activity, registration }, { agent: 'agent', verb: 'verb', activity: 'activity', registration: 'registration' });
  if (agent !== undefined) {
    if (agentIfi(agent) === undefined) throw new CodedError('invalid', 'agent: must have an inverse functional identifier (an anonymous Group cannot be a filter)');
    filter.agent = agent;
  }
  if (verb !== undefined) filter.verb = verb;
  if (activity !== undefined) filter.activity = activity;
  if (registration !== undefined) filter.registration = registration;
  const relatedAgents = booleanParam(params, 'related_agents');
  const relatedActivities = booleanParam(params, 'related_activities');
  const ascending = booleanParam(params, 'ascending');
  if (relatedAgents) filter.relatedAgents = true;
  if (relatedActivities) filter.relatedActivities = true;
  if (ascending) filter.ascending = true;
  for (const name of ['since', 'until'] as const) {
    const value = params.get(name);
    if (value === undefined) continue;
    checkTimestampParam(name, value);
    filter[name] = value;
  }
  const limit = params.get('limit');
  if (limit !== undefined) {
    if (!/^\d{1,9}$/.test(limit)) throw new CodedError('invalid', 'limit: must be a non-negative integer');
    filter.limit = Number(limit);
  }
  return filter;
}

/**
 * Checks a timestamp parameter (`since`, `until`): an ISO 8601 timestamp with a zone
 * whose instant the database can compare with (years 1 to 9999); else a coded error `invalid`.
 */
export function checkTimestampParam(name: string, value: string): void {
  const millis = timestampMillis(value);
  if (Number.isNaN(millis)) throw new CodedError('invalid', `${name}: must be an ISO 8601 timestamp with a time zone`);
  if (!isStorableInstant(millis)) throw new CodedError('invalid', `${name}: ${INSTANT_RANGE_MESSAGE}`);
}

/** The `agent` parameter as an object; throws a coded error `invalid` when it is not a JSON object. */
export function parseAgentJson(text: string): Actor {
  let agent: unknown;
  try {
    agent = JSON.parse(text);
  } catch {
    throw new CodedError('invalid', 'agent: must be an Agent or identified Group as JSON');
  }
  if (typeof agent !== 'object' || agent === null || Array.isArray(agent)) {
    throw new CodedError('invalid', 'agent: must be an Agent or identified Group as JSON');
  }
  return agent as Actor;
}

function booleanParam(params: Map<string, string>, name: string): boolean {
  const value = params.get(name);
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new CodedError('invalid', `${name}: must be true or false`);
}

/** Parameter values of the types a statement holds, checked by `checkParamValues`. */
export interface ProbeValues {
  agent?: Actor;
  verb?: string;
  activity?: string;
  registration?: string;
}

/**
 * Validates parameter values by putting them where a statement holds values of their
 * type (actor, verb id, object id, context registration) and mapping the issues back to
 * parameter names; throws a coded error `invalid` naming them.
 */
export function checkParamValues(values: ProbeValues, names: { [K in keyof ProbeValues]?: string }): void {
  const probe: Record<string, unknown> = {
    actor: values.agent ?? PROBE_AGENT,
    verb: { id: values.verb ?? PROBE_IRI },
    object: { id: values.activity ?? PROBE_IRI },
  };
  if (values.registration !== undefined) probe.context = { registration: values.registration };
  const fields: [string, keyof ProbeValues][] = [
    ['actor', 'agent'], ['verb.id', 'verb'], ['object.id', 'activity'], ['context.registration', 'registration'],
  ];
  const issues = validateStatement(probe).flatMap((issue) => {
    const field = fields.find(([path]) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`));
    const name = field === undefined ? undefined : names[field[1]];
    return name === undefined ? [] : [{ ...issue, path: name + issue.path.slice(field![0].length) }];
  });
  if (issues.length > 0) throw new CodedError('invalid', formatIssues(issues));
}
