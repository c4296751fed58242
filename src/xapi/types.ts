// Statement types for xAPI 1.0.3, Part Two (xAPI-Data.md) section 2 and 4.
// Defined here rather than re-exported from @xapi/xapi: its `ResultScore.scaled` is
// required (the spec says "Recommended") and its language maps only take a fixed list
// of tags, where RFC 5646 allows any well-formed tag.

/** A language map: RFC 5646 language tag → text in that language (4.2). */
export type LanguageMap = Record<string, string>;

/** Extensions: IRI keys → any JSON value, defined by whoever controls the IRI (4.1). */
export type Extensions = Record<string, unknown>;

/** A user account on a system, identified by the system's home page and the login name (2.4.2.4). */
export interface Account {
  homePage: string;
  name: string;
}

/** Exactly one Inverse Functional Identifier of an Agent or identified Group (2.4.2.3). */
export type InverseFunctionalIdentifier =
  | { mbox: string; mbox_sha1sum?: never; openid?: never; account?: never }
  | { mbox_sha1sum: string; mbox?: never; openid?: never; account?: never }
  | { openid: string; mbox?: never; mbox_sha1sum?: never; account?: never }
  | { account: Account; mbox?: never; mbox_sha1sum?: never; openid?: never };

/** An individual person or system (2.4.2.1). */
export type Agent = { objectType?: 'Agent'; name?: string } & InverseFunctionalIdentifier;

/** An Agent used as a Statement's object, where `objectType` is required (2.4.4.2). */
export type ObjectAgent = Agent & { objectType: 'Agent' };

/** A Group without an identifier: its members are required (2.4.2.2). */
export interface AnonymousGroup {
  objectType: 'Group';
  name?: string;
  member: Agent[];
  mbox?: never;
  mbox_sha1sum?: never;
  openid?: never;
  account?: never;
}

/** A Group identified by exactly one Inverse Functional Identifier (2.4.2.2). */
export type IdentifiedGroup = {
  objectType: 'Group';
  name?: string;
  member?: Agent[];
} & InverseFunctionalIdentifier;

/** A Group of Agents, anonymous or identified (2.4.2.2). */
export type Group = AnonymousGroup | IdentifiedGroup;

/** Whom a Statement is about: an Agent or a Group (2.4.2). */
export type Actor = Agent | Group;

/** The action of a Statement: an IRI and its display names (2.4.3). */
export interface Verb {
  id: string;
  display?: LanguageMap;
}

/** The interaction types of cmi.interaction Activities (2.4.4.1, "Interaction Types"). */
export type InteractionType =
  | 'true-false'
  | 'choice'
  | 'fill-in'
  | 'long-fill-in'
  | 'matching'
  | 'performance'
  | 'sequencing'
  | 'likert'
  | 'numeric'
  | 'other';

/** One option of an interaction: a choice, a scale point, a source, target or step (2.4.4.1). */
export interface InteractionComponent {
  id: string;
  description?: LanguageMap;
}

/** Metadata of an Activity, including the interaction properties (2.4.4.1). */
export interface ActivityDefinition {
  name?: LanguageMap;
  description?: LanguageMap;
  type?: string;
  moreInfo?: string;
  interactionType?: InteractionType;
  correctResponsesPattern?: string[];
  choices?: InteractionComponent[];
  scale?: InteractionComponent[];
  source?: InteractionComponent[];
  target?: InteractionComponent[];
  steps?: InteractionComponent[];
  extensions?: Extensions;
}

/** A thing acted on, identified by an IRI (2.4.4.1). */
export interface Activity {
  objectType?: 'Activity';
  id: string;
  definition?: ActivityDefinition;
}

/** A pointer to another Statement by its id (2.4.4.3, "Statement References"). */
export interface StatementRef {
  objectType: 'StatementRef';
  id: string;
}

/** A Statement nested as an object: no id, stored, version, authority, nor nesting (2.4.4.3). */
export interface SubStatement {
  objectType: 'SubStatement';
  actor: Actor;
  verb: Verb;
  object: Activity | ObjectAgent | Group | StatementRef;
  result?: Result;
  context?: Context;
  timestamp?: string;
  attachments?: Attachment[];
}

/** What a Statement is about: Activity, Agent, Group, StatementRef or SubStatement (2.4.4). */
export type StatementObject = Activity | ObjectAgent | Group | StatementRef | SubStatement;

/** A graded outcome; every property optional, `scaled` recommended (2.4.5.1). */
export interface Score {
  scaled?: number;
  raw?: number;
  min?: number;
  max?: number;
}

/** A measured outcome (2.4.5). */
export interface Result {
  score?: Score;
  success?: boolean;
  completion?: boolean;
  response?: string;
  duration?: string;
  extensions?: Extensions;
}

// The spec also accepts a single Activity for each key, but an LRS returns arrays and a
// provider SHOULD send arrays (2.4.6.2.s4), so only arrays are typed.
/** Related Activities by kind: parent, grouping, category, other (2.4.6.2). */
export interface ContextActivities {
  parent?: Activity[];
  grouping?: Activity[];
  category?: Activity[];
  other?: Activity[];
}

/** The setting of a Statement (2.4.6); `revision` and `platform` only with an Activity object. */
export interface Context {
  registration?: string;
  instructor?: Actor;
  team?: Group;
  contextActivities?: ContextActivities;
  revision?: string;
  platform?: string;
  language?: string;
  statement?: StatementRef;
  extensions?: Extensions;
  /** xAPI 2.0 only (9274.1.1 change x1): Agents involved, with why. */
  contextAgents?: ContextAgent[];
  /** xAPI 2.0 only (change x2): Groups involved, with why. */
  contextGroups?: ContextGroup[];
}

/** xAPI 2.0: an Agent of the context and the IRIs of its roles. */
export interface ContextAgent {
  objectType: 'contextAgent';
  agent: Agent;
  relevantTypes?: string[];
}

/** xAPI 2.0: a Group of the context and the IRIs of its roles. */
export interface ContextGroup {
  objectType: 'contextGroup';
  group: Group;
  relevantTypes?: string[];
}

/** The xAPI versions whose statements are validated: 1.0.3 and IEEE 9274.1.1 (2.0.0). */
export type XapiVersion = '1.0.3' | '2.0.0';

/** Header of a file attached to a Statement (2.4.11). */
export interface Attachment {
  usageType: string;
  display: LanguageMap;
  description?: LanguageMap;
  contentType: string;
  length: number;
  sha2: string;
  fileUrl?: string;
}

/** An xAPI 1.0.3 Statement (2.4). */
export interface Statement {
  id?: string;
  actor: Actor;
  verb: Verb;
  object: StatementObject;
  result?: Result;
  context?: Context;
  timestamp?: string;
  stored?: string;
  authority?: Actor;
  version?: string;
  attachments?: Attachment[];
}
