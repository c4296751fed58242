/**
 * Which agents and activities a statement names, and in which role: the rows of
 * `lrs_statement_agents` and `lrs_statement_activities` that the `agent`, `activity`,
 * `related_agents` and `related_activities` filters of GET /statements match
 * (Communication §2.1.3). Agents are keyed by their canonical IFI (Data §2.4.2.3).
 */
import type { Activity, Actor, Context, Group, ObjectAgent, Statement, StatementObject, SubStatement } from '../../xapi/types.js';

/** A role of an agent: where it appears, `sub_` inside a SubStatement, `_member` for a Group's members. */
export type AgentRole = string;

/** One agent a statement names. */
export interface AgentLink {
  ifi: string;
  role: AgentRole;
}

/** One activity a statement names. */
export interface ActivityLink {
  activityId: string;
  role: string;
}

/** Roles the plain `agent` filter matches: the actor or the object, or a member of either (§2.1.3 table, "agent"). */
export const AGENT_FILTER_ROLES: readonly string[] = ['actor', 'object', 'actor_member', 'object_member'];

/**
 * Roles `related_agents=true` matches: actor, object, authority, instructor, team, and the
 * xAPI 2.0 context agents and groups (xapi-2.0.md 2.1, for both versions), in the
 * statement or its SubStatement.
 */
export const RELATED_AGENT_ROLES: readonly string[] = ['actor', 'object', 'authority', 'instructor', 'team', 'context_agent', 'context_group'].flatMap((r) => [
  r,
  `${r}_member`,
  `sub_${r}`,
  `sub_${r}_member`,
]);

/** Roles the plain `activity` filter matches: the statement's object. */
export const ACTIVITY_FILTER_ROLES: readonly string[] = ['object'];

const CONTEXT_KINDS = ['parent', 'grouping', 'category', 'other'] as const;

/** Roles `related_activities=true` matches: the object and every context activity, in the statement or its SubStatement. */
export const RELATED_ACTIVITY_ROLES: readonly string[] = ['object', ...CONTEXT_KINDS].flatMap((r) => [r, `sub_${r}`]);

/**
 * The canonical form of an Agent's or identified Group's Inverse Functional Identifier
 * (Data §2.4.2.3): `mbox:mailto:a@example.org`, `mbox_sha1sum:<hex>`, `openid:<uri>`,
 * `account:<homePage>|<name>`; undefined for an anonymous Group. The mailto scheme and
 * the e-mail domain are lower-cased, being case-insensitive (Data §2.3.1.b7), and so is
 * the hex hash. `|` cannot appear unescaped in an IRL, so the account form is unambiguous.
 * @example agentIfi({ account: { homePage: 'https://x.org', name: 'u1' } }) // 'account:https://x.org|u1'
 */
export function agentIfi(agent: Actor): string | undefined {
  if (agent.mbox !== undefined) return `mbox:${canonicalMbox(agent.mbox)}`;
  if (agent.mbox_sha1sum !== undefined) return `mbox_sha1sum:${agent.mbox_sha1sum.toLowerCase()}`;
  if (agent.openid !== undefined) return `openid:${agent.openid}`;
  if (agent.account !== undefined) return `account:${agent.account.homePage}|${agent.account.name}`;
  return undefined;
}

/** `MAILTO:Ann@Example.ORG` → `mailto:Ann@example.org`: the local part keeps its case. */
export function canonicalMbox(mbox: string): string {
  const address = mbox.replace(/^mailto:/i, '');
  const at = address.lastIndexOf('@');
  return at < 0 ? `mailto:${address}` : `mailto:${address.slice(0, at)}${address.slice(at).toLowerCase()}`;
}

/** Every agent the statement names, with its role, without repeats. */
export function agentLinks(statement: Statement): AgentLink[] {
  const links = new Map<string, AgentLink>();
  const add = (actor: Actor | undefined, role: string): void => {
    if (actor === undefined) return;
    const ifi = agentIfi(actor);
    if (ifi !== undefined) links.set(`${role}\t${ifi}`, { ifi, role });
    if (actor.objectType === 'Group') for (const member of actor.member ?? []) add(member, `${role}_member`);
  };
  const addParts = (s: Statement | SubStatement, prefix: string): void => {
    add(s.actor, `${prefix}actor`);
    if (isActor(s.object)) add(s.object, `${prefix}object`);
    add(s.context?.instructor, `${prefix}instructor`);
    add(s.context?.team, `${prefix}team`);
    for (const { agent } of s.context?.contextAgents ?? []) add(agent, `${prefix}context_agent`);
    for (const { group } of s.context?.contextGroups ?? []) add(group, `${prefix}context_group`);
  };
  addParts(statement, '');
  add(statement.authority, 'authority');
  if (statement.object.objectType === 'SubStatement') addParts(statement.object, 'sub_');
  return [...links.values()];
}

/** Every activity the statement names, with its role, without repeats. */
export function activityLinks(statement: Statement): ActivityLink[] {
  const links = new Map<string, ActivityLink>();
  const add = (activity: Activity, role: string): void => {
    links.set(`${role}\t${activity.id}`, { activityId: activity.id, role });
  };
  const addParts = (object: StatementObject, context: Context | undefined, prefix: string): void => {
    if (isActivity(object)) add(object, `${prefix}object`);
    for (const kind of CONTEXT_KINDS) {
      for (const activity of contextActivityList(context, kind)) add(activity, `${prefix}${kind}`);
    }
  };
  addParts(statement.object, statement.context, '');
  if (statement.object.objectType === 'SubStatement') {
    addParts(statement.object.object, statement.object.context, 'sub_');
  }
  return [...links.values()];
}

/** The activities of one context kind as a list: the spec also allows a single Activity (Data §2.4.6.2.s4.b2). */
export function contextActivityList(context: Context | undefined, kind: (typeof CONTEXT_KINDS)[number]): Activity[] {
  const value = context?.contextActivities?.[kind] as Activity | Activity[] | undefined;
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** True when the object is an Activity (whose objectType is optional, Data §2.4.4.1). */
export function isActivity(object: StatementObject): object is Activity {
  return object.objectType === undefined || object.objectType === 'Activity';
}

function isActor(object: StatementObject): object is ObjectAgent | Group {
  return object.objectType === 'Agent' || object.objectType === 'Group';
}
