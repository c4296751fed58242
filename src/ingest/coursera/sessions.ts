/**
 * Coursera's on-demand sessions: the cohorts of a course as the exports carry them
 * (`on_demand_sessions`: a session and its start; `on_demand_session_memberships`: which
 * learner was in it, from when to when). They give no statement: the pipeline keeps them
 * in `coursera_sessions` and `coursera_session_members` (by account name, never the
 * Coursera id), and the indicators read a learner's cohort start from them.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import { erasedAmong } from '../../db/erased-learners.js';
import type { Fields } from '../../xapi/fields.js';
import { USER_COLUMN } from './row-fields.js';
import { courseraSessionMembers, courseraSessions } from './schema.js';

/** A session of a course. */
export interface SessionRecord {
  type: 'on_demand_sessions';
  courseId?: string;
  sessionId: string;
  start: string;
  end?: string;
}

/** A learner's membership of a session (the hashed Coursera user id). */
export interface SessionMembershipRecord {
  type: 'on_demand_session_memberships';
  courseId?: string;
  sessionId: string;
  userId: string;
  start: string;
  end?: string;
}

/** What the session tables give. */
export type SessionTableRecord = SessionRecord | SessionMembershipRecord;

const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : { [key]: value } as Record<K, string>);

/** The session tables, keyed by the exact table name, as the table reader reads them. */
export const SESSION_TABLES = {
  on_demand_sessions: {
    required: ['on_demand_session_id', 'on_demand_sessions_start_ts'],
    read: (f: Fields): SessionRecord => ({
      type: 'on_demand_sessions', ...optional('courseId', f.opt('course_id')), sessionId: f.req('on_demand_session_id'),
      start: f.reqTime('on_demand_sessions_start_ts'), ...optional('end', f.time('on_demand_sessions_end_ts')),
    }),
  },
  on_demand_session_memberships: {
    required: ['on_demand_session_id', USER_COLUMN, 'on_demand_sessions_membership_start_ts'],
    read: (f: Fields): SessionMembershipRecord => ({
      type: 'on_demand_session_memberships', ...optional('courseId', f.opt('course_id')), sessionId: f.req('on_demand_session_id'),
      userId: f.req(USER_COLUMN), start: f.reqTime('on_demand_sessions_membership_start_ts'), ...optional('end', f.time('on_demand_sessions_membership_end_ts')),
    }),
  },
};

/** Where the pipeline keeps sessions; `translate` has none. */
export interface CourseraSessionStore {
  /** Keeps a record of the export of `courseId`, its learner named by `actorName`. */
  add(record: SessionTableRecord, courseId: string, actorName: (userId: string) => string): Promise<void>;
  /** Writes what is buffered. */
  flush(): Promise<void>;
}

const BATCH = 500;

/**
 * The session tables in `database`, upserted in batches (a re-import changes nothing);
 * memberships of learners erased at their request are left out.
 * @example const store = databaseSessionStore(database); await store.add(record, 'C1', actorName); await store.flush();
 */
export function databaseSessionStore(database: Database): CourseraSessionStore {
  // Keyed, so that a batch never names one row twice (ON CONFLICT cannot update a row twice).
  let sessions = new Map<string, typeof courseraSessions.$inferInsert>();
  let members = new Map<string, typeof courseraSessionMembers.$inferInsert>();
  const write = async () => {
    const [s, m] = [[...sessions.values()], [...members.values()]];
    sessions = new Map();
    members = new Map();
    if (s.length > 0) {
      await database.db.insert(courseraSessions).values(s).onConflictDoUpdate({
        target: [courseraSessions.courseId, courseraSessions.sessionId], set: { startsAt: sql`excluded.starts_at`, endsAt: sql`excluded.ends_at` },
      });
    }
    const erased = await erasedAmong(database, 'coursera', m.map((r) => r.learner));
    const kept = m.filter((r) => !erased.has(r.learner));
    if (kept.length > 0) {
      await database.db.insert(courseraSessionMembers).values(kept).onConflictDoUpdate({
        target: [courseraSessionMembers.courseId, courseraSessionMembers.sessionId, courseraSessionMembers.learner],
        set: { startsAt: sql`excluded.starts_at`, endsAt: sql`excluded.ends_at` },
      });
    }
  };
  return {
    async add(r, exportCourse, actorName) {
      const courseId = r.courseId ?? exportCourse;
      const when = { startsAt: new Date(r.start), endsAt: r.end === undefined ? null : new Date(r.end) };
      if (r.type === 'on_demand_sessions') sessions.set(`${courseId}\n${r.sessionId}`, { courseId, sessionId: r.sessionId, ...when });
      else {
        const learner = actorName(r.userId);
        members.set(`${courseId}\n${r.sessionId}\n${learner}`, { courseId, sessionId: r.sessionId, learner, ...when });
      }
      if (sessions.size + members.size >= BATCH) await write();
    },
    flush: write,
  };
}

/**
 * Each learner's cohort start in `courseId` at `at`: the start of the session whose
 * membership holds them at `at` (else the latest one that began before it). Learners
 * without a membership are absent.
 * @example (await sessionCohortStarts(database, 'C1', new Date())).get(pseudonym) // 2026-03-02T00:00:00.000Z
 */
export async function sessionCohortStarts(database: Database, courseId: string, at: Date, learner?: string): Promise<Map<string, Date>> {
  const { rows } = await database.query<{ learner: string; starts_at: Date | string }>(
    `SELECT DISTINCT ON (m.learner) m.learner, s.starts_at
       FROM coursera_session_members m JOIN coursera_sessions s USING (course_id, session_id)
      WHERE m.course_id = $1 AND m.starts_at <= $2 AND ($3::text IS NULL OR m.learner = $3)
      ORDER BY m.learner, (m.ends_at IS NULL OR m.ends_at > $2) DESC, m.starts_at DESC`,
    [courseId, at, learner ?? null],
  );
  return new Map(rows.map((r) => [r.learner, new Date(r.starts_at)]));
}
