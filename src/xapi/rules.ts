// The MUST rules of xAPI 1.0.3 that the JSON schema does not express (see schema.ts).
// Each rule reads the statement defensively: it runs beside the schema, also on
// statements the schema rejects, and speaks only about values of the right type, so
// it does not repeat what the schema already says.
import { childPath } from './paths.js';
import type { StatementIssue } from './issues.js';
import type { XapiVersion } from './types.js';

type Json = Record<string, unknown>;

/** A rule's issue; `replaces` names a field of the wrong kind, whose schema issues it stands for. */
export interface RuleIssue extends StatementIssue {
  replaces?: string;
}

type Report = (path: string, message: string, replaces?: string) => void;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The path of `keys` one inside the other, below `base`. */
const at = (base: string, ...keys: (string | number)[]): string => keys.reduce<string>(childPath, base);

const IFI_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
const SIGNATURE = 'http://adlnet.gov/expapi/attachments/signature';
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;

// Which component lists each interaction type supports (2.4.4.1.s15, second table).
const LISTS_BY_TYPE: Record<string, readonly string[]> = {
  choice: ['choices'],
  sequencing: ['choices'],
  likert: ['scale'],
  matching: ['source', 'target'],
  performance: ['steps'],
  'true-false': [],
  'fill-in': [],
  'long-fill-in': [],
  numeric: [],
  other: [],
};

/** The issues of the rules below for a statement (or anything claiming to be one) of xAPI `version`. */
export function checkRules(statement: unknown, version: XapiVersion = '1.0.3'): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const report: Report = (path, message, replaces) =>
    issues.push(replaces === undefined ? { path, message } : { path, message, replaces });
  checkStatement(statement, '', false, report);
  if (version === '2.0.0' && isRecord(statement)) {
    checkContextActors(statement.context, 'context', report);
    if (isRecord(statement.object) && statement.object.objectType === 'SubStatement') {
      checkContextActors(statement.object.context, 'object.context', report);
    }
  }
  return issues;
}

function checkStatement(s: unknown, path: string, inSubStatement: boolean, report: Report): void {
  if (!isRecord(s)) return;
  if (inSubStatement) {
    for (const key of ['id', 'stored', 'version', 'authority']) {
      if (key in s) report(at(path, key), 'must not be used in a SubStatement (2.4.4.3)');
    }
  } else {
    checkAuthority(s.authority, at(path, 'authority'), report);
    checkVoiding(s, path, report);
  }
  checkAgentOrGroup(s.actor, at(path, 'actor'), report);
  checkObject(s.object, at(path, 'object'), inSubStatement, report);
  if (isRecord(s.result)) checkScore(s.result.score, at(path, 'result', 'score'), report);
  checkContext(s.context, at(path, 'context'), s.object, report);
  checkAttachments(s.attachments, at(path, 'attachments'), report);
}

/** 2.4.2.1 and 2.4.2.2: an Agent has exactly one IFI; a Group one or none (then members). */
function checkAgentOrGroup(actor: unknown, path: string, report: Report): void {
  if (!isRecord(actor)) return;
  const ifis = IFI_KEYS.filter((key) => key in actor);
  const many = `must have exactly one inverse functional identifier, not ${ifis.length} (${ifis.join(', ')})`;
  if (actor.objectType === 'Group') {
    if (ifis.length > 1) report(path, `${many} (2.4.2.2)`);
    if (ifis.length === 0 && !('member' in actor)) {
      report(at(path, 'member'), 'is required for an anonymous Group, one without an identifier (2.4.2.2)');
    }
    if (Array.isArray(actor.member)) {
      actor.member.forEach((member, i) => {
        const memberPath = at(path, 'member', i);
        if (isRecord(member) && member.objectType === 'Group') {
          const message = 'must be Agent: a Group must not contain Groups (2.4.2.2)';
          report(at(memberPath, 'objectType'), message, memberPath);
        } else {
          checkAgentOrGroup(member, memberPath, report);
        }
      });
    }
  } else if (actor.objectType === undefined || actor.objectType === 'Agent') {
    if (ifis.length === 0) {
      report(path, 'must have one inverse functional identifier: mbox, mbox_sha1sum, openid or account (2.4.2.1)');
    } else if (ifis.length > 1) {
      report(path, `${many} (2.4.2.1)`);
    }
  }
}

/**
 * 2.4.9.s3.b1, b3: an authority is an Agent, or an anonymous Group of exactly two
 * identified Agents (3-legged OAuth: the application and the user). Members are checked
 * as Agents by checkAgentOrGroup.
 */
function checkAuthority(authority: unknown, path: string, report: Report): void {
  checkAgentOrGroup(authority, path, report);
  if (isRecord(authority) && authority.objectType === 'Group') {
    const ifis = IFI_KEYS.filter((key) => key in authority);
    if (ifis.length > 0) report(path, `must not have an identifier (${ifis.join(', ')}): a Group authority is an OAuth pair of two Agents (2.4.9)`);
    if (!Array.isArray(authority.member) || authority.member.length !== 2) {
      report(at(path, 'member'), 'must list exactly two Agents when the authority is a Group (2.4.9)');
    }
  }
}

/** 2.3.2: the object of a voiding statement is a StatementRef. */
function checkVoiding(s: Json, path: string, report: Report): void {
  if (!isRecord(s.verb) || s.verb.id !== VOIDED) return;
  if (isRecord(s.object) && s.object.objectType !== 'StatementRef') {
    report(at(path, 'object', 'objectType'), `must be StatementRef when the verb is ${VOIDED} (2.3.2)`);
  }
}

function checkObject(object: unknown, path: string, inSubStatement: boolean, report: Report): void {
  if (!isRecord(object)) return;
  switch (object.objectType) {
    case undefined:
      // 2.4.4.2: an Agent or Group object names its objectType, else it reads as an Activity.
      if (IFI_KEYS.some((key) => key in object) || 'member' in object) {
        report(at(path, 'objectType'), 'is required when the object is an Agent or Group (2.4.4.2)', path);
        return;
      }
      checkActivity(object, path, report);
      return;
    case 'Activity':
      checkActivity(object, path, report);
      return;
    case 'Agent':
    case 'Group':
      checkAgentOrGroup(object, path, report);
      return;
    case 'SubStatement':
      if (inSubStatement) {
        const message = 'must not be SubStatement: a SubStatement cannot contain one (2.4.4.3)';
        report(at(path, 'objectType'), message, path);
      } else {
        checkStatement(object, path, true, report);
      }
      return;
    default:
      return;
  }
}

function checkActivity(activity: unknown, path: string, report: Report): void {
  if (isRecord(activity) && isRecord(activity.definition)) {
    checkInteraction(activity.definition, at(path, 'definition'), report);
  }
}

/** 2.4.4.1 "Interaction Activities": the lists an interaction type allows, distinct ids. */
function checkInteraction(definition: Json, path: string, report: Report): void {
  const type = definition.interactionType;
  const lists = COMPONENT_LISTS.filter((key) => key in definition);
  if (type === undefined) {
    if (lists.length > 0 || 'correctResponsesPattern' in definition) {
      report(at(path, 'interactionType'), 'is required when interaction properties are used (2.4.4.1)');
    }
  } else if (typeof type === 'string' && Object.hasOwn(LISTS_BY_TYPE, type)) {
    const allowed = LISTS_BY_TYPE[type] ?? [];
    for (const list of lists.filter((key) => !allowed.includes(key))) {
      const hint = allowed.length === 0 ? 'it has no component lists' : `it allows ${allowed.join(' and ')}`;
      report(at(path, list), `is not allowed for interactionType ${type}: ${hint} (2.4.4.1)`);
    }
    if (type === 'true-false') checkTrueFalse(definition.correctResponsesPattern, path, report);
  }
  for (const list of lists) checkDistinctIds(definition[list], at(path, list), report);
}

// 2.4.4.1.s10: a true-false response is either "true" or "false".
function checkTrueFalse(pattern: unknown, path: string, report: Report): void {
  if (!Array.isArray(pattern)) return;
  pattern.forEach((p, i) => {
    if (typeof p === 'string' && p !== 'true' && p !== 'false') {
      report(at(path, 'correctResponsesPattern', i), 'must be "true" or "false" for a true-false interaction (2.4.4.1)');
    }
  });
}

// 2.4.4.1.s16.b1: within an array of interaction components, all ids MUST be distinct.
function checkDistinctIds(components: unknown, path: string, report: Report): void {
  if (!Array.isArray(components)) return;
  const seen = new Set<string>();
  components.forEach((c, i) => {
    if (!isRecord(c) || typeof c.id !== 'string') return;
    if (seen.has(c.id)) report(at(path, i, 'id'), 'must be distinct within its list (2.4.4.1)');
    seen.add(c.id);
  });
}

/** 2.4.5.1: raw lies between min and max inclusive, and min is less than max. */
function checkScore(score: unknown, path: string, report: Report): void {
  if (!isRecord(score)) return;
  const [raw, min, max] = [score.raw, score.min, score.max].map((v) => (typeof v === 'number' ? v : undefined));
  if (min !== undefined && max !== undefined && !(min < max)) {
    report(at(path, 'max'), 'must be greater than min (2.4.5.1)');
  }
  if (raw === undefined) return;
  if (min !== undefined && raw < min) report(at(path, 'raw'), 'must not be less than min (2.4.5.1)');
  if (max !== undefined && raw > max) report(at(path, 'raw'), 'must not be greater than max (2.4.5.1)');
}

/** 2.4.6: revision and platform only with an Activity object; context Agents and Activities. */
function checkContext(context: unknown, path: string, object: unknown, report: Report): void {
  if (!isRecord(context)) return;
  const notActivity = isRecord(object) && object.objectType !== undefined && object.objectType !== 'Activity';
  if (notActivity) {
    for (const key of ['revision', 'platform']) {
      if (key in context) report(at(path, key), 'must only be used when the object is an Activity (2.4.6)');
    }
  }
  checkAgentOrGroup(context.instructor, at(path, 'instructor'), report);
  // The schema already requires a team to be a Group; check it only once it is one.
  if (isRecord(context.team) && context.team.objectType === 'Group') {
    checkAgentOrGroup(context.team, at(path, 'team'), report);
  }
  const activities = context.contextActivities;
  if (!isRecord(activities)) return;
  for (const [kind, value] of Object.entries(activities)) {
    const kindPath = at(path, 'contextActivities', kind);
    if (Array.isArray(value)) value.forEach((a, i) => checkActivity(a, at(kindPath, i), report));
    else checkActivity(value, kindPath, report);
  }
}

/**
 * xAPI 2.0 (xapi-2.0.md 2.1): a contextAgent's agent has exactly one IFI; a contextGroup's
 * group is identified or anonymous, never holding Groups. The schema checks the rest.
 */
function checkContextActors(context: unknown, path: string, report: Report): void {
  if (!isRecord(context)) return;
  for (const [list, key] of [['contextAgents', 'agent'], ['contextGroups', 'group']] as const) {
    const entries = context[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, i) => {
      const actor = isRecord(entry) ? entry[key] : undefined;
      // The schema already refuses a group whose objectType is not Group.
      if (!isRecord(actor) || (key === 'group' && actor.objectType !== 'Group')) return;
      checkAgentOrGroup(actor, at(path, list, i, key), report);
    });
  }
}

/** 2.6.s4.b1: a signature attachment has contentType application/octet-stream. */
function checkAttachments(attachments: unknown, path: string, report: Report): void {
  if (!Array.isArray(attachments)) return;
  attachments.forEach((a, i) => {
    if (isRecord(a) && a.usageType === SIGNATURE && a.contentType !== 'application/octet-stream') {
      report(at(path, i, 'contentType'), 'must be application/octet-stream for a signature (2.6)');
    }
  });
}
