/**
 * The query parameters of the three Document Resources (Communication §2.3, §2.6, §2.7),
 * read and checked per resource and method: required ones present, values of the right
 * type (by the statement validator), unknown names refused (§3.2.s3.b7).
 */
import type { DocumentKind } from './schema.js';
import { CodedError } from '../../errors.js';
import { unstorableText } from '../../xapi/index.js';
import { checkParamValues, checkTimestampParam, parseAgentJson } from './statement-params.js';
import { agentIfi } from './statement-links.js';

/** The documents one request addresses: a scope, and one id or all of them. */
export interface DocumentScope {
  kind: DocumentKind;
  /** '' where the resource has no such part. */
  activityId: string;
  agentIfi: string;
  registration: string;
}

/** One document. */
export interface DocumentKey extends DocumentScope {
  documentId: string;
}

/** What a document request asks for. */
export type DocumentRequest =
  | { single: true; key: DocumentKey }
  | { single: false; scope: DocumentScope; since?: string };

/** The shape of one Document Resource's parameters. */
export interface DocumentResource {
  kind: DocumentKind;
  /** Name of the document id parameter. */
  idParam: 'stateId' | 'profileId';
  needsActivity: boolean;
  needsAgent: boolean;
  hasRegistration: boolean;
  /** Whether DELETE without an id removes every document of the scope (State only, §2.3.s5). */
  deletesAll: boolean;
}

/** The three Document Resources, keyed by path under /xapi. */
export const DOCUMENT_RESOURCES: Record<string, DocumentResource> = {
  '/activities/state': { kind: 'state', idParam: 'stateId', needsActivity: true, needsAgent: true, hasRegistration: true, deletesAll: true },
  '/activities/profile': { kind: 'activity_profile', idParam: 'profileId', needsActivity: true, needsAgent: false, hasRegistration: false, deletesAll: false },
  '/agents/profile': { kind: 'agent_profile', idParam: 'profileId', needsActivity: false, needsAgent: true, hasRegistration: false, deletesAll: false },
};

/**
 * The request named by `query` for `method` on `resource`; throws a coded error `invalid` naming
 * the parameter at fault.
 * @example parseDocumentParams(DOCUMENT_RESOURCES['/activities/state']!, 'GET', { activityId, agent: '{"mbox":"mailto:a@b.c"}' })
 */
export function parseDocumentParams(resource: DocumentResource, method: string, query: Record<string, unknown>): DocumentRequest {
  const id = resource.idParam;
  const listing = method === 'GET' || method === 'HEAD';
  const known = new Set<string>([id]);
  if (resource.needsActivity) known.add('activityId');
  if (resource.needsAgent) known.add('agent');
  if (resource.hasRegistration) known.add('registration');
  if (listing) known.add('since');

  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(query)) {
    if (!known.has(name)) throw new CodedError('invalid', `unknown parameter "${name}" (names are case-sensitive)`);
    if (typeof value !== 'string') throw new CodedError('invalid', `${name}: must be given once, as a string`);
    params.set(name, value);
  }
  const required = [...(resource.needsActivity ? ['activityId'] : []), ...(resource.needsAgent ? ['agent'] : [])];
  if (!listing && !(method === 'DELETE' && resource.deletesAll)) required.push(id);
  for (const name of required) {
    if (!params.get(name)) throw new CodedError('invalid', `${name} is required`);
  }

  const activityId = params.get('activityId');
  const agent = params.has('agent') ? parseAgentJson(params.get('agent')!) : undefined;
  const registration = params.get('registration');
  checkParamValues({ activity: activityId, agent, registration }, { activity: 'activityId', agent: 'agent', registration: 'registration' });
  const ifi = agent === undefined ? '' : agentIfi(agent);
  if (ifi === undefined) throw new CodedError('invalid', 'agent: must have an inverse functional identifier');
  const scope: DocumentScope = { kind: resource.kind, activityId: activityId ?? '', agentIfi: ifi, registration: registration?.toLowerCase() ?? '' };

  const documentId = params.get(id);
  // The id is kept as text, which cannot hold U+0000 (the other parameters are checked
  // as the statement values they are, above).
  const unstorable = documentId === undefined ? undefined : unstorableText(documentId);
  if (unstorable !== undefined) throw new CodedError('invalid', `${id}: ${unstorable}`);
  if (documentId) {
    if (params.has('since')) throw new CodedError('invalid', `since cannot be used with ${id}`);
    return { single: true, key: { ...scope, documentId } };
  }
  const since = params.get('since');
  if (since !== undefined) checkTimestampParam('since', since);
  return since === undefined ? { single: false, scope } : { single: false, scope, since };
}
