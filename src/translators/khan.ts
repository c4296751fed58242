/**
 * Khan Academy API records to xAPI statements (docs/khan.md): the rule table of every
 * per-student endpoint, and the engine that applies it. The engine adds what every
 * statement has, once: the deterministic id, the pseudonymous actor, the timestamp where
 * the record dates it, the platform, the site as grouping and the source type.
 * Pure: no I/O, settings or clock.
 */
import type { KhanRecord } from '../ingest/khan/records.js';
import { accountActor, statementId } from '../xapi/ids.js';
import type { Statement } from '../xapi/types.js';
import { EXT } from '../xapi/vocabulary.js';
import { KHAN_HOME, KHAN_PLATFORM } from './khan/iris.js';
import { homeActivity, KHAN_RULES, type KhanRule, type KhanRuleTable } from './khan/rules.js';

/** Every rule, keyed by the exact endpoint path. */
export const KHAN_RULE_TABLE: KhanRuleTable = KHAN_RULES;

/** What the engine needs besides the record. */
export interface KhanTranslateOptions {
  /** The account name of a Khan user id: its keyed pseudonym, or a linked ECO user id. */
  actorName: (userId: string) => string;
}

/** What became of one record. */
export type KhanTranslation = { statements: (Statement & { id: string })[] } | { ignored: 'not learning activity' };

/**
 * Translates one record into a statement per fact it states.
 * @example const t = translateKhanRecord(record, { actorName: (id) => pseudonym(secret, id) });
 */
export function translateKhanRecord(r: KhanRecord, opts: KhanTranslateOptions): KhanTranslation {
  const rule = KHAN_RULE_TABLE[r.type] as KhanRule<KhanRecord> | 'ignore';
  if (rule === 'ignore') return { ignored: 'not learning activity' };
  const statements: (Statement & { id: string })[] = [];
  for (const s of rule.statements) {
    if (s.applies?.(r) === false) continue;
    const object = s.object(r);
    // Fresh objects per statement: statements of one record must not share parts a consumer may change.
    const grouping = object.id === KHAN_HOME ? undefined : [homeActivity()];
    const statement: Statement & { id: string } = {
      // WARNING: the key is the id (invariant 1): changing it makes a re-pull add every statement again.
      id: statementId('khan', `${r.type}|${r.userId}|${s.what}|${s.key(r)}`),
      actor: accountActor(KHAN_HOME, opts.actorName(r.userId)),
      verb: typeof s.verb === 'function' ? s.verb(r) : s.verb,
      object,
      context: {
        platform: KHAN_PLATFORM,
        ...(grouping === undefined ? {} : { contextActivities: { grouping } }),
        extensions: { [EXT.sourceType]: r.type, ...s.extensions?.(r) },
      },
    };
    const timestamp = s.time?.(r);
    if (timestamp !== undefined) statement.timestamp = timestamp;
    const result = s.result?.(r);
    if (result !== undefined) statement.result = result;
    statements.push(statement);
  }
  return statements.length > 0 ? { statements } : { ignored: 'not learning activity' };
}
