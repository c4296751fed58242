// The statement schema: tin-can-json-schema 2.0 (written for xAPI 1.0.1, draft-04),
// brought to 1.0.3 here instead of in node_modules. The changes, each for a reason:
//
// - Its `oneOf` unions (Agent|Group, the four IFIs, anonymous|identified Group, the five
//   objects, the interaction types, "object is an Activity or has no revision") make ajv
//   report every failing branch, so a wrong mbox reads as twenty errors. Unions are
//   replaced by the `xapiObjectType` keyword, which picks the one schema named by
//   `objectType`; the rules the branches encoded (exactly one IFI, members of anonymous
//   Groups, revision and platform, component lists per interaction type) move to
//   `rules.ts`, which names the field.
// - Its "must be absent" idiom `{ "type": "null" }` lets `null` through, where 2.2.s4.b1.b1
//   rejects nulls outside extensions. No such property remains.
// - Unknown properties: interaction components and extensions accepted any (2.2.s4.b1.b7).
// - Attachment `length` is an Integer (2.4.11), not any number.
// - Language map and extension keys are checked by `xapiKeys`, so a bad key is reported
//   as a bad tag or IRI rather than as an unknown property.
// - Formats `iso_date`, `iso_duration` and `version` are redefined in `formats.ts`.
// `statementSchema20` at the end is the xAPI 2.0 variant.
import tinCanSchema from 'tin-can-json-schema/1.0.1.json' with { type: 'json' };

/** The key under which the schema is added to ajv; `${SCHEMA_KEY}#statement` is the entry. */
export const SCHEMA_KEY = 'xapi-1.0.3';

/** The `xapiObjectType` keyword: `objectType` (or `fallback` when absent) → schema ref. */
export interface ObjectTypeSwitch {
  fallback?: string;
  refs: Record<string, string>;
}

/** The `xapiKeys` keyword: what every key of a map must be. */
export type KeyKind = 'langtag' | 'iri';

type SchemaNode = Record<string, unknown>;
const tinCan = tinCanSchema.properties as unknown as Record<string, SchemaNode>;

/** One tin-can definition, copied, with `overrides` merged into its `properties`. */
function tinCanDef(name: string, overrides: SchemaNode = {}): SchemaNode {
  const def = tinCan[name];
  if (def === undefined) throw new Error(`tin-can-json-schema has no "${name}" definition`);
  const { oneOf: _union, ...rest } = structuredClone(def); // see the header about unions
  return { ...rest, properties: { ...(rest.properties as SchemaNode), ...overrides } };
}

const IFI_PROPERTIES = {
  mbox: { type: 'string', format: 'mailto-iri' },
  mbox_sha1sum: { type: 'string', format: 'sha1' },
  openid: { type: 'string', format: 'rfc3986-uri' },
  account: { $ref: '#account' },
};

const actorSwitch: ObjectTypeSwitch = { fallback: 'Agent', refs: { Agent: '#agent', Group: '#group' } };
const ACTOR = { type: 'object', xapiObjectType: actorSwitch };

const OBJECT_REFS = {
  Activity: '#activity',
  Agent: '#agent',
  Group: '#group',
  StatementRef: '#statementref',
};

const INTERACTION_TYPES = [
  'true-false', 'choice', 'fill-in', 'long-fill-in', 'matching',
  'performance', 'sequencing', 'likert', 'numeric', 'other',
];

const COMPONENT_LIST = { $ref: '#interactioncomponent_list' };
const TIMESTAMP = { type: 'string', format: 'iso_date' };

const activity = tinCanDef('activity');

const definitions: Record<string, SchemaNode> = {
  account: {
    id: '#account', type: 'object', additionalProperties: false, required: ['homePage', 'name'],
    properties: { homePage: { type: 'string', format: 'iri' }, name: { type: 'string' } },
  },
  agent: {
    id: '#agent', type: 'object', additionalProperties: false,
    properties: { objectType: { enum: ['Agent'] }, name: { type: 'string' }, ...IFI_PROPERTIES },
  },
  group: {
    id: '#group', type: 'object', additionalProperties: false, required: ['objectType'],
    properties: {
      objectType: { enum: ['Group'] },
      name: { type: 'string' },
      // Items are Agents: a Group MUST NOT contain Groups (2.4.2.2).
      member: { type: 'array', items: { $ref: '#agent' } },
      ...IFI_PROPERTIES,
    },
  },
  verb: tinCanDef('verb'),
  activity,
  activityid: tinCanDef('activityid'),
  activity_definition: tinCanDef('activity_definition', {
    interactionType: { enum: INTERACTION_TYPES },
    correctResponsesPattern: { type: 'array', items: { type: 'string' } },
    choices: COMPONENT_LIST, scale: COMPONENT_LIST, source: COMPONENT_LIST,
    target: COMPONENT_LIST, steps: COMPONENT_LIST,
  }),
  interactioncomponent_list: tinCanDef('interactioncomponent_list'),
  interactioncomponent: { ...tinCanDef('interactioncomponent'), additionalProperties: false },
  // A single Activity or an array of them (2.4.6.2.s4.b2): `items` applies to arrays
  // only and the object keywords to objects only, so no `oneOf` is needed.
  activity_list_or_obj: {
    id: '#activity_list_or_obj', type: ['array', 'object'], items: { $ref: '#activity' },
    required: activity.required, additionalProperties: false, properties: activity.properties,
  },
  contextactivities: tinCanDef('contextactivities'),
  context: tinCanDef('context', { instructor: ACTOR, team: { $ref: '#group' } }),
  statementref: tinCanDef('statementref'),
  score: tinCanDef('score'),
  result: tinCanDef('result'),
  attachment: tinCanDef('attachment', { length: { type: 'integer', minimum: 0 } }),
  languagemap: {
    id: '#languagemap', type: 'object', xapiKeys: 'langtag',
    additionalProperties: { type: 'string' },
  },
  // Values are free, null included: an LRS MUST NOT reject on them (4.1.s3.b2).
  extensions: { id: '#extensions', type: 'object', xapiKeys: 'iri' },
  statement: {
    id: '#statement', type: 'object', additionalProperties: false,
    required: ['actor', 'verb', 'object'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      actor: ACTOR,
      verb: { $ref: '#verb' },
      object: {
        type: 'object',
        xapiObjectType: {
          fallback: 'Activity',
          refs: { ...OBJECT_REFS, SubStatement: '#substatement' },
        } satisfies ObjectTypeSwitch,
      },
      result: { $ref: '#result' },
      context: { $ref: '#context' },
      timestamp: TIMESTAMP,
      stored: TIMESTAMP,
      authority: ACTOR,
      version: { type: 'string', format: 'version' },
      attachments: { type: 'array', items: { $ref: '#attachment' } },
    },
  },
  substatement: {
    id: '#substatement', type: 'object', additionalProperties: false,
    required: ['objectType', 'actor', 'verb', 'object'],
    properties: {
      objectType: { enum: ['SubStatement'] },
      actor: ACTOR,
      verb: { $ref: '#verb' },
      // No SubStatement here: they cannot nest (2.4.4.3.s8.b4); rules.ts says so.
      object: {
        type: 'object',
        xapiObjectType: { fallback: 'Activity', refs: OBJECT_REFS } satisfies ObjectTypeSwitch,
      },
      result: { $ref: '#result' },
      context: { $ref: '#context' },
      timestamp: TIMESTAMP,
      attachments: { type: 'array', items: { $ref: '#attachment' } },
      // Forbidden in a SubStatement (2.4.4.3.s8.b3); accepted here so that rules.ts
      // reports them with that reason rather than as unknown properties.
      id: {}, stored: {}, version: {}, authority: {},
    },
  },
};

/** The draft-04 schema of an xAPI 1.0.3 Statement, with its definitions under their ids. */
export const statementSchema: SchemaNode = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  definitions,
};

const RELEVANT_TYPES = { type: 'array', minItems: 1, items: { type: 'string', format: 'iri' } };

/** A contextAgent or contextGroup (xapi-2.0.md 2.1): nothing but these three keys. */
const contextActor = (objectType: string, key: string, ref: string): SchemaNode => ({
  id: `#${objectType.toLowerCase()}`, type: 'object', additionalProperties: false, required: ['objectType', key],
  properties: { objectType: { enum: [objectType] }, [key]: { $ref: ref }, relevantTypes: RELEVANT_TYPES },
});

/** `node` with `overrides` merged into its `properties`. */
const withProperties = (node: SchemaNode | undefined, overrides: SchemaNode): SchemaNode => ({
  ...node, properties: { ...(node?.properties as SchemaNode), ...overrides },
});

const RFC3339_TIMESTAMP = { type: 'string', format: 'rfc3339_date' };

/**
 * The schema of an xAPI 2.0 (IEEE 9274.1.1) Statement: the 1.0.3 one with the changes an LRS
 * sees (xapi-2.0.md 1.3, 2.1, 2.3): `contextAgents` and `contextGroups` in every context
 * (SubStatements' too), RFC 3339 timestamps (a space may replace `T`), version 2.0.0.
 */
export const statementSchema20: SchemaNode = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  definitions: {
    ...definitions,
    contextagent: contextActor('contextAgent', 'agent', '#agent'),
    contextgroup: contextActor('contextGroup', 'group', '#group'),
    context: withProperties(definitions.context, {
      contextAgents: { type: 'array', items: { $ref: '#contextagent' } },
      contextGroups: { type: 'array', items: { $ref: '#contextgroup' } },
    }),
    statement: withProperties(definitions.statement, {
      timestamp: RFC3339_TIMESTAMP, stored: RFC3339_TIMESTAMP, version: { type: 'string', format: 'version_2_0' },
    }),
    substatement: withProperties(definitions.substatement, { timestamp: RFC3339_TIMESTAMP }),
  },
};
