// Validation of statements that a translator built from a rule table, on the hot path of
// imports. A rule fixes the shape of its statement (properties, verbs, activity types,
// profiles, extension keys, language tags): the schema cannot fail there once the rule's
// fixtures pass it, which test/translators/edx proves for every rule. What can still go
// wrong comes from the input: text and numbers (storable, finite), ids built from
// input (IRIs), scores and durations, and the MUST rules where input fills their fields
// (a score's range, an interaction's components). Those are checked here, at a fraction
// of the schema's cost; the MUST rules about the frame (one identifier per actor, no
// authority, a voiding verb's object) hold by the frame check; any doubt falls back to the
// full `validateStatement`, so a statement refused here is refused with the same issues.
import { FORMATS, isDuration, timestampMillis } from './formats.js';
import { checkRules } from './rules.js';
import { isStorableInstant, isStorableJson } from './storable.js';
import { statementText } from './statement-text.js';
import type { Activity, Statement } from './types.js';
import { validateStatement, type StatementIssue } from './validate.js';

const isIri = FORMATS.iri as (value: string) => boolean;
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

/**
 * The issues of a statement built by a translator's rules; an empty array means valid.
 * Never fewer issues than `validateStatement` where the shape is a rule's. The storable
 * check scans the statement's text, which the writer of a valid one then reuses.
 * @example const issues = validateBuiltStatement(translated); // [] for a valid one
 */
export function validateBuiltStatement(value: unknown): StatementIssue[] {
  if (!isBuilt(value)) return validateStatement(value);
  const parts = isStorableJson(value, statementText(value)) ? inputParts(value) : 'invalid';
  const fine = parts === 'valid' || (parts === 'rules' && checkRules(value).length === 0);
  return fine ? [] : validateStatement(value);
}

/**
 * Whether `value` has the frame every built statement has, on which the MUST rules of
 * actors, authority, voiding and context agents cannot fail: an Agent with an account
 * alone, an Activity object, no authority, attachments, instructor or team, a verb that
 * does not void. Anything else gets the full check.
 */
function isBuilt(value: unknown): value is Statement {
  const s = value as Statement | null;
  if (typeof s !== 'object' || s === null || typeof s.object !== 'object' || s.object === null) return false;
  const actor = s.actor as unknown as Record<string, unknown> | null;
  if (typeof actor !== 'object' || actor === null || actor.objectType !== 'Agent' || typeof actor.account !== 'object') return false;
  if ('mbox' in actor || 'mbox_sha1sum' in actor || 'openid' in actor || 'member' in actor) return false;
  if (s.authority !== undefined || s.attachments !== undefined || s.stored !== undefined) return false;
  if (typeof s.verb !== 'object' || s.verb === null || s.verb.id === VOIDED) return false;
  if (s.object.objectType !== undefined && s.object.objectType !== 'Activity') return false;
  return s.context === undefined || (s.context.instructor === undefined && s.context.team === undefined);
}

/**
 * The parts a rule fills from the event: activity ids, score, duration, timestamp.
 * `rules` where the MUST rules read input (a score, an interaction definition).
 */
function inputParts(s: Statement): 'valid' | 'invalid' | 'rules' {
  if (s.timestamp !== undefined) {
    const millis = timestampMillis(s.timestamp);
    if (Number.isNaN(millis) || !isStorableInstant(millis)) return 'invalid';
  }
  let plain = activityParts(s.object as Activity);
  if (plain === 'invalid') return plain;
  const activities = s.context?.contextActivities;
  if (activities !== undefined) {
    for (const list of [activities.parent, activities.grouping, activities.category, activities.other]) {
      if (list === undefined) continue;
      if (!Array.isArray(list)) return 'invalid'; // rules build lists; a lone activity gets the full check
      for (const a of list) {
        const part = activityParts(a);
        if (part === 'invalid') return part;
        if (part === 'rules') plain = part;
      }
    }
  }
  const result = s.result;
  if (result === undefined) return plain;
  if (result.duration !== undefined && !(typeof result.duration === 'string' && isDuration(result.duration))) return 'invalid';
  const score = result.score;
  if (score === undefined) return plain;
  for (const v of [score.raw, score.min, score.max, score.scaled]) if (v !== undefined && typeof v !== 'number') return 'invalid';
  return score.scaled === undefined || (score.scaled >= -1 && score.scaled <= 1) ? 'rules' : 'invalid';
}

// Definition members no MUST rule reads; any other (an interaction's) needs the rules.
const PLAIN_DEFINITION = new Set(['type', 'name', 'description', 'moreInfo', 'extensions']);

function activityParts(a: Activity): 'valid' | 'invalid' | 'rules' {
  if (typeof a.id !== 'string' || !isIri(a.id)) return 'invalid';
  const definition = a.definition;
  if (definition === undefined) return 'valid';
  const more = definition.moreInfo;
  if (more !== undefined && !(typeof more === 'string' && isIri(more))) return 'invalid';
  for (const key in definition) if (!PLAIN_DEFINITION.has(key)) return 'rules';
  return 'valid';
}
