/**
 * FutureLearn dataset records to xAPI statements (docs/futurelearn.md): the rule table
 * of every dataset, and the engine that applies it. The engine adds what every
 * statement has, once: the deterministic id, the pseudonymous actor, the timestamp, the
 * platform, the parents [run, week?, step?], the source type and the week and step
 * numbers. Pure: no I/O, settings or clock.
 */
import type { FutureLearnRecord } from '../ingest/futurelearn/records.js';
import { accountActor, statementId } from '../xapi/ids.js';
import type { Activity, ContextActivities, Extensions, Statement } from '../xapi/types.js';
import { EXT } from '../xapi/vocabulary.js';
import { FUTURELEARN_HOME, FUTURELEARN_PLATFORM } from './futurelearn/iris.js';
import { runActivity, stepActivity, weekActivity, type FutureLearnRule, type FutureLearnRuleTable } from './futurelearn/rule.js';
import { FUTURELEARN_RULES } from './futurelearn/rules.js';

/** Every rule, keyed by the exact dataset name. */
export const FUTURELEARN_RULE_TABLE: FutureLearnRuleTable = FUTURELEARN_RULES;

/** What the engine needs besides the record. */
export interface FutureLearnTranslateOptions {
  /** The account name of a FutureLearn learner id: its keyed pseudonym. */
  actorName: (learnerId: string) => string;
}

/** What became of one record. */
export type FutureLearnTranslation = { statements: (Statement & { id: string })[] } | { ignored: 'not learning activity' };

/**
 * Translates one record into a statement per event it records.
 * @example const t = translateFutureLearnRecord(record, { actorName: (id) => pseudonym(secret, id) });
 */
export function translateFutureLearnRecord(r: FutureLearnRecord, opts: FutureLearnTranslateOptions): FutureLearnTranslation {
  const rule = FUTURELEARN_RULE_TABLE[r.type] as FutureLearnRule<FutureLearnRecord> | 'ignore';
  if (rule === 'ignore' || rule.applies?.(r) === false) return { ignored: 'not learning activity' };
  const place = rule.place?.(r);
  // The run first, then the week and the step (docs/futurelearn.md, "Every statement"). The run
  // also where it is the object, so that every statement of a run has it as first parent; the
  // step not where it is the object (step-activity): an activity is not its own parent.
  const parent: Activity[] = [runActivity(r.run)];
  const extensions: Extensions = { [EXT.sourceType]: r.type };
  if (place !== undefined) {
    parent.push(weekActivity(r.run, place.week), stepActivity(r.run, place));
    extensions[EXT.moduleIndex] = place.week;
    extensions[EXT.itemIndex] = place.step;
  }
  Object.assign(extensions, rule.extensions?.(r));
  const name = opts.actorName(rule.learner(r));
  const key = `${r.type}|${r.run.course}|${r.run.run}|${rule.key(r)}`;

  const statements: (Statement & { id: string })[] = [];
  for (const s of rule.statements) {
    const timestamp = s.time(r);
    if (timestamp === undefined) continue;
    const object = s.object(r);
    const other = s.other?.(r) ?? [];
    // Fresh objects per statement: statements of one row must not share parts a consumer may change.
    const parents = parent.filter((p, i) => i === 0 || p.id !== object.id);
    const contextActivities: ContextActivities = { parent: parents, ...(other.length > 0 && { other }) };
    // WARNING: the key is the id (invariant 1): changing it makes a re-import add every statement again.
    const statement: Statement & { id: string } = {
      id: statementId('futurelearn', `${key}|${s.what}`),
      actor: accountActor(FUTURELEARN_HOME, name),
      verb: s.verb,
      object,
      context: { platform: FUTURELEARN_PLATFORM, contextActivities, extensions: { ...extensions } },
      timestamp,
    };
    const result = s.result?.(r);
    if (result !== undefined) statement.result = result;
    statements.push(statement);
  }
  return statements.length > 0 ? { statements } : { ignored: 'not learning activity' };
}
