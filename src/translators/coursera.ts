/**
 * Coursera export records to xAPI statements (docs/coursera.md): the rule table of every
 * table and clickstream page type, and the engine that applies it. The engine adds what
 * every statement has, once: the deterministic id, the pseudonymous actor, the timestamp,
 * the platform, the parents [course, module?, lesson?], the source type, the item's
 * place in the course and the clickstream session. Pure: no I/O, settings or clock.
 */
import type { CourseraRecord } from '../ingest/coursera/records.js';
import type { CourseraStructure } from '../ingest/coursera/structure.js';
import { accountActor, statementId } from '../xapi/ids.js';
import type { Rejection } from '../xapi/run-summary.js';
import type { Activity, ContextActivities, Extensions, Statement } from '../xapi/types.js';
import { ACTIVITY_TYPE, EXT } from '../xapi/vocabulary.js';
import { clickstreamRules } from './coursera/clickstream-rules.js';
import { COURSERA_HOME, COURSERA_PLATFORM, courseraIri } from './coursera/iris.js';
import { activity } from './rule-table.js';
import { courseActivity, type CourseraRule, type CourseraRuleContext, type CourseraRuleTable } from './coursera/rule.js';
import { tableRules } from './coursera/table-rules.js';

/** Every rule, keyed by the exact table name or `clickstream:<page type>`. */
export const COURSERA_RULES: CourseraRuleTable = { ...tableRules, ...clickstreamRules };

/** What the engine needs besides the record. */
export interface CourseraTranslateOptions {
  /** The account name of a hashed Coursera user id: a pseudonym, or a linked ECO user id. */
  actorName: (userId: string) => string;
  /** The course structure of the export, for parents and item extensions. */
  structure: CourseraStructure;
  /** The course of records whose row names none (clickstream, tables without `course_id`). */
  courseId?: string;
}

/** What became of one record. */
export type CourseraTranslation = { statements: (Statement & { id: string })[] } | { ignored: 'not learning activity' } | { rejection: Rejection };

/**
 * Translates one record.
 * @example const t = translateCourseraRecord(record, { actorName: (id) => pseudonym(secret, id), structure, courseId });
 */
export function translateCourseraRecord(r: CourseraRecord, opts: CourseraTranslateOptions): CourseraTranslation {
  const rule = COURSERA_RULES[r.type] as CourseraRule<CourseraRecord> | 'ignore';
  if (rule === 'ignore') return { ignored: 'not learning activity' };
  const verb = typeof rule.verb === 'function' ? rule.verb(r) : rule.verb;
  if (verb === undefined) return { ignored: 'not learning activity' };
  const courseId = r.courseId ?? opts.courseId;
  if (courseId === undefined) return { rejection: { code: 'missing_field', field: 'course_id', detail: 'the row names no course, and none was given (--course)' } };
  const itemId = rule.item?.(r);
  const item = itemId === undefined ? undefined : opts.structure.items.get(itemId);
  const c: CourseraRuleContext = { courseId, ...(item === undefined ? {} : { item }) };
  const object = rule.object(r, c);

  // The course first, then the item's module and lesson (docs/coursera.md).
  const parents: Activity[] = [courseActivity(courseId)];
  if (item !== undefined) {
    parents.push(activity(courseraIri.module(courseId, item.moduleId), ACTIVITY_TYPE.module));
    parents.push(activity(courseraIri.lesson(courseId, item.lessonId), ACTIVITY_TYPE.lesson));
  }
  parents.push(...(rule.parents?.(r, c) ?? []));
  const contextActivities: ContextActivities = {};
  const parent = parents.filter((p) => p.id !== object.id);
  if (parent.length > 0) contextActivities.parent = parent;
  const other = rule.other?.(r, c) ?? [];
  if (other.length > 0) contextActivities.other = other;

  const extensions: Extensions = { [EXT.sourceType]: r.type };
  if (item !== undefined) {
    extensions[EXT.moduleIndex] = item.moduleIndex;
    extensions[EXT.lessonIndex] = item.lessonIndex;
    extensions[EXT.itemIndex] = item.itemIndex;
    if (item.category !== undefined) extensions[EXT.itemType] = item.category;
  }
  if ('sessionId' in r && r.sessionId !== undefined) extensions[EXT.sessionId] = r.sessionId;

  // WARNING: the key is the id (invariant 1): changing it makes a re-import add every statement again.
  const statement: Statement & { id: string } = {
    id: statementId('coursera', `${r.type}|${courseId}|${rule.key(r)}`),
    actor: accountActor(COURSERA_HOME, opts.actorName(r.userId)),
    verb,
    object,
    context: { platform: COURSERA_PLATFORM, ...(Object.keys(contextActivities).length > 0 && { contextActivities }), extensions },
    timestamp: r.time,
  };
  const result = rule.result?.(r);
  if (result !== undefined && Object.keys(result).length > 0) statement.result = result;
  return { statements: [statement] };
}
