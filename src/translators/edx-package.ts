/**
 * The research package's tables to statements, as rule tables by source table:
 * enrollments (registered, and unregistered when no longer active), certificates
 * (passed or failed with the grade), graded problem state (scored), forum posts
 * (posted, replied). Personal columns never reach a statement. Ids are uuidv5 of the
 * table row's own key, so re-importing a snapshot adds nothing and a later snapshot only
 * what changed. Pure: no I/O.
 */
import type { ForumPost, Row } from '../ingest/edx/package-tables.js';
import { accountActor, statementId } from '../xapi/ids.js';
import type { Rejection } from '../xapi/run-summary.js';
import type { Activity, Result, Statement, Verb } from '../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../xapi/vocabulary.js';
import { activity, block } from './edx/activities.js';
import { EDX_PLATFORM } from './edx.js';
import { score } from './edx/grades.js';
import type { CourseKey, EdxIris } from './edx/ids.js';

/** A record of the package, by the table (or dump) it came from. */
export type PackageRecord =
  | { type: 'student_courseenrollment'; row: Row }
  | { type: 'certificates_generatedcertificate'; row: Row }
  | { type: 'courseware_studentmodule'; row: Row }
  | { type: 'forum'; post: ForumPost };

/** What the rules need besides the record. */
export interface PackageContext {
  course: CourseKey;
  iris: EdxIris;
  homePage: string;
  /** The account name of an edX user id: the linked ECO id, else a pseudonym. */
  actorName: (userId: string) => string;
  /** The snapshot's day: when a deactivated enrollment was seen inactive (the first snapshot that shows it wins). */
  snapshotDay: string;
}

/** One statement a rule makes, before the engine adds id, actor and context. */
interface Made {
  key: string;
  userId: string;
  verb: Verb;
  object: Activity;
  timestamp: string;
  result?: Result;
  parents?: Activity[];
  extensions?: Record<string, unknown>;
}

type Rule<R> = (record: R, c: PackageContext) => Made[] | Rejection;
type RuleTable = { [K in PackageRecord['type']]: Rule<Extract<PackageRecord, { type: K }>> };

/** A required cell, or a rejection naming it. */
function cell(row: Row, column: string): string | Rejection {
  const value = row[column];
  return value === undefined ? { code: 'missing_field', field: column, detail: '' } : value;
}

const isRejection = (v: unknown): v is Rejection => typeof v === 'object' && v !== null && 'code' in v && 'detail' in v;

/** A table time (`2026-03-02 09:15:22[.ffffff]`, UTC) as ISO 8601. */
function tableTime(value: string, column: string): string | Rejection {
  const ms = Date.parse(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? { code: 'bad_value', field: column, detail: 'must be a date and time' } : new Date(ms).toISOString();
}

const PASSING = new Set(['downloadable', 'generating', 'regenerating', 'audit_passing']);
const FAILING = new Set(['notpassing', 'audit_notpassing']);

const rules: RuleTable = {
  student_courseenrollment: ({ row }, c) => {
    const user = cell(row, 'user_id');
    if (isRejection(user)) return user;
    const createdCell = cell(row, 'created');
    if (isRejection(createdCell)) return createdCell;
    const created = tableTime(createdCell, 'created');
    if (isRejection(created)) return created;
    const course = activity(c.iris.course(c.course), ACTIVITY_TYPE.course);
    const mode = row.mode === undefined ? {} : { [EXT.enrollmentMode]: row.mode };
    const made: Made[] = [{ key: `enrollment|${user}|registered`, userId: user, verb: VERB.registered, object: course, timestamp: created, extensions: mode }];
    if (row.is_active === '0') {
      made.push({ key: `enrollment|${user}|unregistered`, userId: user, verb: VERB.unregistered, object: course, timestamp: `${c.snapshotDay}T00:00:00.000Z`, extensions: mode });
    }
    return made;
  },
  certificates_generatedcertificate: ({ row }, c) => {
    const user = cell(row, 'user_id');
    if (isRejection(user)) return user;
    const status = cell(row, 'status');
    if (isRejection(status)) return status;
    if (!PASSING.has(status) && !FAILING.has(status)) return [];
    const at = tableTime(row.modified_date ?? row.created_date ?? '', 'modified_date');
    if (isRejection(at)) return at;
    const grade = row.grade === undefined ? undefined : Number(row.grade);
    if (grade !== undefined && !Number.isFinite(grade)) return { code: 'bad_value', field: 'grade', detail: 'must be a number' };
    const passed = PASSING.has(status);
    const result: Result = { success: passed, completion: passed, ...(grade === undefined ? {} : { score: { scaled: Math.min(Math.max(grade, 0), 1) } }) };
    return [{ key: `certificate|${user}|${status}`, userId: user, verb: passed ? VERB.passed : VERB.failed, object: activity(c.iris.course(c.course), ACTIVITY_TYPE.course), timestamp: at, result }];
  },
  courseware_studentmodule: ({ row }, c) => {
    if (row.module_type !== 'problem' || row.grade === undefined) return [];
    const user = cell(row, 'student_id');
    if (isRejection(user)) return user;
    const moduleId = cell(row, 'module_id');
    if (isRejection(moduleId)) return moduleId;
    const at = tableTime(row.modified ?? row.created ?? '', 'modified');
    if (isRejection(at)) return at;
    const [earned, possible] = [Number(row.grade), Number(row.max_grade ?? row.grade)];
    if (!Number.isFinite(earned) || !Number.isFinite(possible)) return { code: 'bad_value', field: 'grade', detail: 'grade and max_grade must be numbers' };
    let object: Activity;
    try {
      object = block({ course: c.course, iris: c.iris }, moduleId, 'module_id', ACTIVITY_TYPE.cmiInteraction, { category: 'problem' });
    } catch {
      return { code: 'bad_value', field: 'module_id', detail: 'is not an edX block id' };
    }
    return [{ key: `studentmodule|${row.id ?? moduleId}|${user}|${at}`, userId: user, verb: VERB.scored, object, timestamp: at, result: { score: score(earned, possible) } }];
  },
  forum: ({ post }, c) => {
    const type = post.kind === 'thread' ? ACTIVITY_TYPE.discussion : ACTIVITY_TYPE.forumReply;
    const parents: Activity[] = [];
    if (post.threadId !== undefined) parents.push(activity(c.iris.forumPost(c.course, post.threadId), ACTIVITY_TYPE.discussion));
    if (post.parentId !== undefined) parents.push(activity(c.iris.forumPost(c.course, post.parentId), ACTIVITY_TYPE.forumReply));
    if (post.commentableId !== undefined) parents.push(activity(c.iris.forum(c.course, post.commentableId), ACTIVITY_TYPE.discussion));
    return [{ key: `forum|${post.id}`, userId: post.authorId, verb: post.kind === 'thread' ? VERB.posted : VERB.replied, object: activity(c.iris.forumPost(c.course, post.id), type), timestamp: post.createdAt, parents }];
  },
};

/** The statements of one record, or why it has none it should have. */
export function translatePackageRecord(record: PackageRecord, c: PackageContext): { statements: (Statement & { id: string })[] } | { rejection: Rejection } {
  const made = (rules[record.type] as Rule<PackageRecord>)(record, c);
  if (isRejection(made)) return { rejection: made };
  const course = activity(c.iris.course(c.course), ACTIVITY_TYPE.course);
  return {
    statements: made.map((m) => {
      const parents = [course, ...(m.parents ?? [])].filter((p) => p.id !== m.object.id);
      const statement: Statement & { id: string } = {
        id: statementId('edx', `package|${c.course.id}|${m.key}`),
        actor: accountActor(c.homePage, c.actorName(m.userId)),
        verb: m.verb,
        object: m.object,
        context: { platform: EDX_PLATFORM, contextActivities: { parent: parents }, extensions: { [EXT.sourceType]: record.type, ...m.extensions } },
        timestamp: m.timestamp,
      };
      if (m.result !== undefined) statement.result = m.result;
      return statement;
    }),
  };
}
