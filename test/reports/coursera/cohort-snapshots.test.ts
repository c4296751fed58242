import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseSessionStore } from '../../../src/ingest/coursera/sessions.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { CourseraIndicatorService } from '../../../src/reports/coursera/course-indicators.js';
import { snapshotAllCourses } from '../../../src/reports/coursera/snapshots.js';
import { COURSERA_SECRET, courseraStatements, learnerOf, postStatements, type TestItem } from '../../support/coursera-statements.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { startEmbeddedLrs, type RunningLrs } from '../../support/embedded-lrs.js';

const ADMIN = 'admin-token-0123456789abcdef';
const WIDGET = 'widget-token-0123456789abcdef';
const L1: TestItem = { id: 'L1', module: 1, type: 'lecture' };
const L2: TestItem = { id: 'L2', module: 1, type: 'lecture' };
const c = courseraStatements('C1');
const TODAY = new Date('2026-03-12T12:00:00Z');

describe.each(DATABASE_KINDS)('Coursera cohorts from sessions and daily snapshots on %s', (kind) => {
  let db: TestDatabase;
  let app: RunningLrs;
  beforeEach(async () => {
    db = await freshDatabase(kind);
    app = await startEmbeddedLrs(db.database, {
      adminToken: ADMIN,
      courseraReports: { statements: new EmbeddedStatementQuery(db.database), widgetTokens: new Map([[WIDGET, 'tracker']]), pseudonymSecret: COURSERA_SECRET, now: () => TODAY, contextTtlMs: 0 },
    });
    await postStatements(app.endpoint, [
      c.started('hashA', L1, '2026-03-02T10:00:00Z'), c.completed('hashA', L1, '2026-03-02T10:30:00Z'),
      c.started('hashB', L1, '2026-03-03T10:00:00Z'),
    ]);
    // Two sessions, as an export's on_demand_sessions and memberships give them.
    const store = databaseSessionStore(db.database);
    const actorName = (id: string) => learnerOf(id);
    await store.add({ type: 'on_demand_sessions', sessionId: 'march-1', start: '2026-03-02T00:00:00.000Z' }, 'C1', actorName);
    await store.add({ type: 'on_demand_sessions', sessionId: 'march-2', start: '2026-03-09T00:00:00.000Z' }, 'C1', actorName);
    await store.add({ type: 'on_demand_session_memberships', sessionId: 'march-1', userId: 'hashA', start: '2026-03-01T00:00:00.000Z' }, 'C1', actorName);
    await store.add({ type: 'on_demand_session_memberships', sessionId: 'march-2', userId: 'hashB', start: '2026-03-01T00:00:00.000Z' }, 'C1', actorName);
    await store.flush();
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const widget = (path: string) => request(app.origin).get(path).auth(WIDGET, { type: 'bearer' });
  type Answer = { indicators: { indicator: number; value: number | null; absolute_value?: number }[] };
  const indicator = (body: Answer, n: number) => body.indicators.find((i) => i.indicator === n)!.value;
  const completedItems = (body: Answer) => body.indicators.find((i) => i.indicator === 7)!.absolute_value;

  it("measures each learner against their own session's start, and a hand-set cohort start overrides the sessions", async () => {
    const a = (await widget('/reports/coursera/C1/learners/hashA?at=2026-03-12T00:00:00Z').expect(200)).body;
    const b = (await widget('/reports/coursera/C1/learners/hashB?at=2026-03-12T00:00:00Z').expect(200)).body;
    // a began module 1 on 2 March, 6.6 days before the deadline of the session of 2 March; b a week early for the session of 9 March.
    expect(indicator(a, 5)).toBeGreaterThan(6.5);
    expect(indicator(a, 5)).toBeLessThan(7);
    expect(indicator(b, 5)).toBe(7);
    await request(app.origin).put('/admin/coursera/courses/C1/settings').auth(ADMIN, { type: 'bearer' }).send({ cohortStart: '2026-02-16' }).expect(201);
    const overridden = (await widget('/reports/coursera/C1/learners/hashA?at=2026-03-12T00:00:00Z').expect(200)).body;
    expect(indicator(overridden, 5)).toBe(0);
  });

  it('shows a past day from its snapshot as it was, though data arrived since; a day without one is computed', async () => {
    const service = new CourseraIndicatorService({ database: db.database, statements: new EmbeddedStatementQuery(db.database) });
    await request(app.origin).put('/admin/coursera/courses/C1/settings').auth(ADMIN, { type: 'bearer' }).send({ cohortStart: null }).expect(201);
    expect(await snapshotAllCourses(service, db.database, new Date('2026-03-10T23:55:00Z'))).toEqual({ courses: 1, learners: 2 });
    const before = (await widget('/reports/coursera/C1/learners/hashA?at=2026-03-10').expect(200)).body;
    expect(before).toMatchObject({ snapshot: true, at: '2026-03-10T23:55:00.000Z' });
    // An import brings a completion of 10 March late: the day computed again would change.
    await postStatements(app.endpoint, [c.started('hashA', L2, '2026-03-10T08:00:00Z'), c.completed('hashA', L2, '2026-03-10T08:20:00Z')]);
    const again = (await widget('/reports/coursera/C1/learners/hashA?at=2026-03-10').expect(200)).body;
    expect(again.indicators).toEqual(before.indicators);
    expect(completedItems(again)).toBe(1);
    const computed = (await widget('/reports/coursera/C1/learners/hashA?at=2026-03-11').expect(200)).body;
    expect(computed.snapshot).toBe(false);
    expect(completedItems(computed)).toBe(2);

    const csv = await request(app.origin).get('/reports/coursera/C1/indicators.csv?at=2026-03-10').auth(ADMIN, { type: 'bearer' }).expect(200);
    const rows = csv.text.trim().split('\n').map((line) => line.split(','));
    const header = rows[0]!;
    const rowA = rows.find((r) => r[0] === learnerOf('hashA'))!;
    expect(rowA[header.indexOf('completion_all_count')]).toBe('1');
    expect((await widget('/reports/coursera/C1/learners/hashA?at=2026-03-10T25:00:00Z')).status).toBe(400);
  });
});
