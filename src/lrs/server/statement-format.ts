/**
 * The `format` parameter of GET /statements (Communication §2.1.3): `exact` returns
 * statements as stored; `ids` keeps only what identifies each Agent, Group, Activity and
 * Verb (Data §2.4.3.s6.b2: no verb display); `canonical` gives every Activity the
 * definition the LRS holds for it (Data §2.4.4.1.s4) and keeps one language in each of its
 * language maps and in the verb's display (§2.1.3.s4), Agents and Groups staying exact.
 */
import type {
  Activity,
  ActivityDefinition,
  Actor,
  Agent,
  Context,
  Group,
  InteractionComponent,
  Statement,
  StatementObject,
  SubStatement,
  Verb,
} from '../../xapi/types.js';
import type { StatementFormat } from './statement-cursor.js';
import { filterLanguageMap, type LanguageRange } from './statement-language.js';
import { contextActivityList, isActivity } from './statement-links.js';

/** What reshaping needs besides the statement. */
export interface FormatContext {
  format: StatementFormat;
  /** Accept-Language ranges, for `canonical`. */
  languages: readonly LanguageRange[];
  /** Canonical definitions by Activity id, for `canonical`. */
  definitions: ReadonlyMap<string, ActivityDefinition>;
}

type Part = Statement | SubStatement;

const CONTEXT_KINDS = ['parent', 'grouping', 'category', 'other'] as const;
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;

/**
 * The statement in the requested format; `exact` returns it unchanged.
 * @example formatStatement(s, { format: 'ids', languages: [], definitions: new Map() }).verb // { id: s.verb.id }
 */
export function formatStatement<S extends Part>(statement: S, ctx: FormatContext): S {
  if (ctx.format === 'exact') return statement;
  const ids = ctx.format === 'ids';
  const out: S = { ...statement, verb: ids ? { id: statement.verb.id } : canonicalVerb(statement.verb, ctx), object: formatObject(statement.object, ctx) };
  if (ids) out.actor = idsActor(statement.actor);
  if (statement.context !== undefined) out.context = formatContext(statement.context, ctx);
  if (ids && 'authority' in statement && statement.authority !== undefined) (out as Statement).authority = idsActor(statement.authority);
  return out;
}

function formatObject<O extends StatementObject>(object: O, ctx: FormatContext): O {
  if (isActivity(object)) return formatActivity(object, ctx) as O;
  switch (object.objectType) {
    case 'Agent':
    case 'Group':
      return (ctx.format === 'ids' ? idsActor(object) : object) as O;
    case 'SubStatement':
      return formatStatement(object, ctx) as O;
    default:
      return object;
  }
}

function formatContext(context: Context, ctx: FormatContext): Context {
  const out: Context = { ...context };
  if (ctx.format === 'ids') {
    if (context.instructor !== undefined) out.instructor = idsActor(context.instructor);
    if (context.team !== undefined) out.team = idsActor(context.team) as Group;
    // xapi-2.0.md 2.1: every Agent and Group, these included.
    if (context.contextAgents !== undefined) out.contextAgents = context.contextAgents.map((c) => ({ ...c, agent: idsActor(c.agent) as Agent }));
    if (context.contextGroups !== undefined) out.contextGroups = context.contextGroups.map((c) => ({ ...c, group: idsActor(c.group) as Group }));
  }
  if (context.contextActivities !== undefined) {
    const lists: NonNullable<Context['contextActivities']> = {};
    for (const kind of CONTEXT_KINDS) {
      if (context.contextActivities[kind] !== undefined) lists[kind] = contextActivityList(context, kind).map((a) => formatActivity(a, ctx));
    }
    out.contextActivities = lists;
  }
  return out;
}

/**
 * `ids`: an Agent or identified Group by its inverse functional identifier alone (and
 * objectType), an anonymous Group by the identifiers of its members (§2.1.3 "format").
 */
function idsActor(actor: Actor): Actor {
  const { name: _name, member, ...identified } = actor as Actor & { member?: Actor[] };
  if (actor.objectType === 'Group' && actor.mbox === undefined && actor.mbox_sha1sum === undefined && actor.openid === undefined && actor.account === undefined) {
    return { objectType: 'Group', member: (member ?? []).map((m) => idsActor(m)) } as Actor;
  }
  return identified as Actor;
}

function formatActivity(activity: Activity, ctx: FormatContext): Activity {
  if (ctx.format === 'ids') return { objectType: 'Activity', id: activity.id };
  const definition = ctx.definitions.get(activity.id) ?? activity.definition;
  return definition === undefined ? activity : { ...activity, definition: filterDefinition(definition, ctx.languages) };
}

function canonicalVerb(verb: Verb, ctx: FormatContext): Verb {
  return verb.display === undefined ? verb : { ...verb, display: filterLanguageMap(verb.display, ctx.languages) };
}

/** §2.1.3.s4.b1: one language in `name`, `description` and each interaction component's description. */
function filterDefinition(definition: ActivityDefinition, languages: readonly LanguageRange[]): ActivityDefinition {
  const out: ActivityDefinition = { ...definition };
  if (definition.name !== undefined) out.name = filterLanguageMap(definition.name, languages);
  if (definition.description !== undefined) out.description = filterLanguageMap(definition.description, languages);
  for (const list of COMPONENT_LISTS) {
    const components = definition[list];
    if (components !== undefined) out[list] = components.map((c) => filterComponent(c, languages));
  }
  return out;
}

function filterComponent(component: InteractionComponent, languages: readonly LanguageRange[]): InteractionComponent {
  return component.description === undefined ? component : { ...component, description: filterLanguageMap(component.description, languages) };
}
