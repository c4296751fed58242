// Validation of statements that a translator built from a rule table, on the hot path of
// imports. A rule fixes the shape of its statement (properties, verbs, activity types,
// profiles, extension keys, language tags): the schema cannot fail there once the rule's
// fixtures pass it, which test/translators/edx proves for every rule. What can still go
// wrong comes from the input: text and numbers (storable, finite), ids built from
// input (IRIs), scores and durations, the MUST rules. Those are checked here, at a
// fraction of the schema's cost; any doubt falls back to the full `validateStatement`,
// so a statement refused here is refused with the same issues as there.
import { FORMATS, isDuration, timestampMillis } from './formats.js';
import { checkRules } from './rules.js';
import { isStorable, isStorableInstant, isStorableJson } from './storable.js';
import type { Activity, Statement } from './types.js';
import { validateStatement, type StatementIssue } from './validate.js';

const isIri = FORMATS.iri as (value: string) => boolean;

/**
 * The issues of a statement built by a translator's rules; an empty array means valid.
 * Never fewer issues than `validateStatement` where the shape is a rule's. `text`, the
 * statement's JSON.stringify where the caller writes it anyway, makes the storable check a scan.
 * @example const issues = validateBuiltStatement(translated); // [] for a valid one
 */
export function validateBuiltStatement(value: unknown, text?: string): StatementIssue[] {
  const storable = text === undefined ? isStorable(value) : isStorableJson(value, text);
  const fine = isBuilt(value) && storable && inputPartsValid(value) && checkRules(value).length === 0;
  return fine ? [] : validateStatement(value);
}

/** Whether `value` has the frame every built statement has; anything else gets the full check. */
function isBuilt(value: unknown): value is Statement {
  const s = value as Statement | null;
  return typeof s === 'object' && s !== null && typeof s.object === 'object' && s.object !== null;
}

/** The parts a rule fills from the event: activity ids, score, duration, timestamp. */
function inputPartsValid(s: Statement): boolean {
  if (s.stored !== undefined || (s.object.objectType !== undefined && s.object.objectType !== 'Activity')) return false;
  if (s.timestamp !== undefined) {
    const millis = timestampMillis(s.timestamp);
    if (Number.isNaN(millis) || !isStorableInstant(millis)) return false;
  }
  if (!activityValid(s.object as Activity)) return false;
  const activities = s.context?.contextActivities;
  if (activities !== undefined) {
    for (const list of [activities.parent, activities.grouping, activities.category, activities.other]) {
      if (list !== undefined) for (const a of list) if (!activityValid(a)) return false;
    }
  }
  const result = s.result;
  if (result === undefined) return true;
  if (result.duration !== undefined && !(typeof result.duration === 'string' && isDuration(result.duration))) return false;
  const score = result.score;
  if (score === undefined) return true;
  for (const v of [score.raw, score.min, score.max, score.scaled]) if (v !== undefined && typeof v !== 'number') return false;
  return score.scaled === undefined || (score.scaled >= -1 && score.scaled <= 1);
}

function activityValid(a: Activity): boolean {
  if (typeof a.id !== 'string' || !isIri(a.id)) return false;
  const more = a.definition?.moreInfo;
  return more === undefined || (typeof more === 'string' && isIri(more));
}
