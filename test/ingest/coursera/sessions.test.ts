import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { sessionCohortStarts } from '../../../src/ingest/coursera/sessions.js';
import { Outbox } from '../../../src/lrs/outbox.js';
import { importCoursera } from '../../../src/pipelines/coursera.js';
import { pseudonym } from '../../../src/xapi/ids.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';

const SECRET = 'coursera-sessions-test-secret';
const silent = pino({ level: 'silent' });

// As Coursera writes them: the partner's user column, `\N` for an open end, one start that is no time.
const SESSIONS = [
  'course_id,on_demand_session_id,on_demand_sessions_start_ts,on_demand_sessions_end_ts,on_demand_sessions_enrollment_end_ts,course_branch_id',
  'course-abc,sess-aug,2026-08-03 00:00:00,2026-09-07 00:00:00,2026-08-17 00:00:00,branch-1',
  'course-abc,sess-sep,2026-09-07 00:00:00,\\N,2026-09-21 00:00:00,branch-1',
].join('\n');
const MEMBERSHIPS = [
  'course_id,on_demand_session_id,eitdigital_user_id,on_demand_sessions_membership_start_ts,on_demand_sessions_membership_end_ts',
  'course-abc,sess-aug,learner-a,2026-08-03 09:00:00,2026-09-06 23:59:59',
  'course-abc,sess-sep,learner-a,2026-09-06 23:59:59,\\N',
  'course-abc,sess-aug,learner-b,2026-08-10 12:00:00.250,\\N',
  'course-abc,sess-sep,learner-c,yesterday,\\N',
].join('\n');

describe.each(DATABASE_KINDS)('Coursera on-demand sessions on %s', (kind) => {
  let t: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'coursera-sessions-'));
    await cp('test/fixtures/coursera/course-abc', dir, { recursive: true });
    await writeFile(join(dir, 'tables', 'on_demand_sessions.csv'), SESSIONS);
    await writeFile(join(dir, 'tables', 'on_demand_session_memberships.csv'), MEMBERSHIPS);
  });
  afterEach(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const importOnce = () => importCoursera({ paths: [dir] }, {
    config: loadConfig({ PSEUDONYM_SECRET: SECRET }), database: t.database, logger: silent,
    outbox: new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 }),
  });
  const count = async (table: string) => (await t.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  it('keeps the sessions and memberships by pseudonym, rejects a bad row at its line, and a re-import changes nothing', async () => {
    const { summary } = await importOnce();
    expect(summary.rejected).toBeGreaterThanOrEqual(1);
    const rejected = await t.database.query<{ position: string }>(`SELECT position FROM rejected_records WHERE position LIKE '%on_demand_session_memberships.csv:5'`);
    expect(rejected.rows).toHaveLength(1);
    expect(await count('coursera_sessions')).toBe(2);
    expect(await count('coursera_session_members')).toBe(3);
    const learners = (await t.database.query<{ learner: string }>(`SELECT DISTINCT learner FROM coursera_session_members ORDER BY 1`)).rows.map((r) => r.learner);
    expect(learners).toEqual([pseudonym(SECRET, 'learner-a'), pseudonym(SECRET, 'learner-b')].sort());
    await importOnce();
    expect(await count('coursera_session_members')).toBe(3);
  });

  it("gives each learner the start of the session that holds them at the time asked", async () => {
    await importOnce();
    const a = pseudonym(SECRET, 'learner-a');
    const b = pseudonym(SECRET, 'learner-b');
    const inAugust = await sessionCohortStarts(t.database, 'course-abc', new Date('2026-08-20T00:00:00Z'));
    expect(inAugust.get(a)?.toISOString()).toBe('2026-08-03T00:00:00.000Z');
    expect(inAugust.get(b)?.toISOString()).toBe('2026-08-03T00:00:00.000Z');
    // Learner a moved to the September session; b stayed.
    const inSeptember = await sessionCohortStarts(t.database, 'course-abc', new Date('2026-09-14T00:00:00Z'));
    expect(inSeptember.get(a)?.toISOString()).toBe('2026-09-07T00:00:00.000Z');
    expect(inSeptember.get(b)?.toISOString()).toBe('2026-08-03T00:00:00.000Z');
    expect((await sessionCohortStarts(t.database, 'course-abc', new Date('2026-07-01T00:00:00Z'))).size).toBe(0);
  });
});
