import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { INDICATOR_CSV_COLUMNS } from '../../../src/reports/coursera/indicators-csv.js';
import { COURSERA_SECRET, courseraStatements, learnerOf, postStatements, type TestItem } from '../../support/coursera-statements.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { startEmbeddedLrs, type RunningLrs } from '../../support/embedded-lrs.js';

const ADMIN = 'admin-token-0123456789abcdef';
const WIDGET = 'widget-token-0123456789abcdef';
const BODY_LIMIT = 4096;
const L1: TestItem = { id: 'L1', module: 1, type: 'lecture' };
const c = courseraStatements('C1');
const AT = '2026-03-12T00:00:00Z';

describe.each(DATABASE_KINDS)('the Coursera widget API on %s', (kind) => {
  let db: TestDatabase;
  let app: RunningLrs;
  beforeEach(async () => {
    db = await freshDatabase(kind);
    app = await startEmbeddedLrs(db.database, {
      adminToken: ADMIN,
      courseraReports: {
        statements: new EmbeddedStatementQuery(db.database),
        widgetTokens: new Map([[WIDGET, 'tracker']]),
        pseudonymSecret: COURSERA_SECRET,
        bodyLimitBytes: BODY_LIMIT,
      },
    });
    await postStatements(app.endpoint, [
      c.started('hashA', L1, '2026-03-02T10:00:00Z'),
      c.completed('hashA', L1, '2026-03-02T10:30:00Z'),
      c.viewed('hashA', L1, '2026-03-02T10:40:00Z'),
      c.started('hashB', L1, '2026-03-03T10:00:00Z'),
    ]);
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const api = () => request(app.origin);

  it('answers 401 with a challenge without a valid token, and keeps admin routes from widget tokens', async () => {
    for (const path of ['/reports/coursera/C1/learners/hashA', '/reports/coursera/C1/learners/hashA/choice', '/reports/coursera/C1/indicators.csv', '/admin/coursera/courses/C1/settings']) {
      const res = await api().get(path);
      expect(res.status, path).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=/);
      expect((await api().get(path).set('authorization', 'Bearer not-a-token-0123456789')).status).toBe(401);
    }
    expect((await api().get('/reports/coursera/C1/indicators.csv').auth(WIDGET, { type: 'bearer' })).status).toBe(401);
    expect((await api().put('/admin/coursera/courses/C1/settings').auth(WIDGET, { type: 'bearer' }).send({ cohortStart: null })).status).toBe(401);
  });

  it('gives a widget a learner\'s indicators by the hashed Coursera id', async () => {
    const res = await api().get(`/reports/coursera/C1/learners/hashA?at=${AT}`).auth(WIDGET, { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ course: 'C1', learner: 'hashA', at: '2026-03-12T00:00:00.000Z' });
    expect(res.body.indicators).toHaveLength(12);
    // L1 completed and viewed again: 100% reviewed, scaled by its bound to 10.
    expect(res.body.indicators[0]).toMatchObject({ indicator: 1, name: 'reviewed', value: 100, absolute_value: 1, total: 1, scaled_value: 10, max_used: { value: 100, source: 'bound' } });
    // No settings yet: early start has no module deadlines.
    expect(res.body.indicators[4]).toMatchObject({ indicator: 5, value: null, reason: expect.any(String) });
    expect((await api().get('/reports/coursera/C1/learners/hashA?at=last-week').auth(WIDGET, { type: 'bearer' })).status).toBe(400);
  });

  it('lets a widget choose indicators, refuses a second choice while closed, and shows the history', async () => {
    const path = '/reports/coursera/C1/learners/hashA/choice';
    expect((await api().get(path).auth(WIDGET, { type: 'bearer' })).body).toMatchObject({ current: null });
    const put = await api().put(path).auth(WIDGET, { type: 'bearer' }).send({ consent: true, goal: 'finish week 1', indicators: [1, 4] });
    expect(put.status).toBe(200);
    expect(put.body.current).toMatchObject({ consent: true, indicators: [1, 4], open: false, reason: 'learner' });
    const again = await api().put(path).auth(WIDGET, { type: 'bearer' }).send({ consent: true, indicators: [2] });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/closed/);
    const bad = await api().put(path).auth(WIDGET, { type: 'bearer' }).send({ consent: 1, indicators: [13] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['/consent', '/indicators/0']);
    const history = await api().get(`${path}?history=true`).auth(ADMIN, { type: 'bearer' });
    expect(history.body.history).toHaveLength(1);
    expect(JSON.stringify(history.body)).not.toContain(learnerOf('hashA'));
  });

  it('gives the admin one CSV row per learner, its columns named for the indicators', async () => {
    const res = await api().get(`/reports/coursera/C1/indicators.csv?at=${AT}`).auth(ADMIN, { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(INDICATOR_CSV_COLUMNS);
    expect(lines[0]!.slice(0, 5)).toEqual(['learner', 'reviewed_percent', 'reviewed_count', 'reviewed_total', 'reviewed_scaled']);
    expect(lines.slice(1).map((l) => l[0]).sort()).toEqual([learnerOf('hashA'), learnerOf('hashB')].sort());
    const a = lines.find((l) => l[0] === learnerOf('hashA'))!;
    expect(a.slice(1, 5)).toEqual(['100', '1', '1', '10']);
  });

  it('answers 404 for an unknown course or learner, naming the course and never the learner', async () => {
    const cases: [string, string][] = [
      ['/reports/coursera/C1/learners/hashNobody', 'no statements of this learner in Coursera course C1'],
      ['/reports/coursera/C9/learners/hashA', 'no statements of Coursera course C9'],
      ['/reports/coursera/C9/indicators.csv', 'no statements of Coursera course C9'],
    ];
    for (const [path, detail] of cases) {
      const res = await api().get(path).auth(ADMIN, { type: 'bearer' });
      expect(res.status, path).toBe(404);
      expect(res.body.detail, path).toBe(detail);
      expect(res.text).not.toContain(learnerOf('hashNobody'));
    }
    // A learner is known by their statements, whatever the time asked for.
    expect((await api().get('/reports/coursera/C1/learners/hashB?at=2026-03-01T00:00:00Z').auth(WIDGET, { type: 'bearer' })).status).toBe(200);
  });

  it('validates settings, listing every bad field, and stores good ones', async () => {
    const path = '/admin/coursera/courses/C1/settings';
    expect((await api().get(path).auth(ADMIN, { type: 'bearer' })).status).toBe(404);
    const bad = await api().put(path).auth(ADMIN, { type: 'bearer' }).send({
      cohortStart: 'next monday', moduleLengthDays: 0, gradeWeights: { Q1: -1 }, forumWeights: { questions: 1 }, previousCourseId: 'C1', maxima: { 13: 5 }, colour: 'blue',
    });
    expect(bad.status).toBe(400);
    const fields = new Set(bad.body.errors.map((e: { field: string }) => e.field));
    for (const field of ['/cohortStart', '/moduleLengthDays', '/gradeWeights/Q1', '/forumWeights/ownThreadAnswers', '/forumWeights/otherAnswers', '/previousCourseId', '/maxima', '/colour']) {
      expect(fields, field).toContain(field);
    }
    expect((await api().put(path).auth(ADMIN, { type: 'bearer' }).send({})).body.errors).toEqual([{ field: '/cohortStart', message: 'is required' }]);
    const good = { cohortStart: '2026-03-02', moduleLengthDays: 7, gradeWeights: { Q1: 2 }, maxima: { 4: 120 } };
    const created = await api().put(path).auth(ADMIN, { type: 'bearer' }).send(good);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ courseId: 'C1', cohortStart: '2026-03-02T00:00:00.000Z', gradeWeights: { Q1: 2 }, maxima: { 4: 120 }, previousCourseId: null });
    expect((await api().put(path).auth(ADMIN, { type: 'bearer' }).send(good)).status).toBe(200);
    expect((await api().get(path).auth(ADMIN, { type: 'bearer' })).body).toMatchObject({ moduleLengthDays: 7, forumWeights: { questions: 0.5, ownThreadAnswers: 0.2, otherAnswers: 0.3 } });
  });

  it('refuses bodies over the limit with 413', async () => {
    const big = { consent: true, indicators: [1], goal: 'x'.repeat(BODY_LIMIT) };
    const res = await api().put('/reports/coursera/C1/learners/hashA/choice').auth(WIDGET, { type: 'bearer' }).send(big);
    expect(res.status).toBe(413);
    const settings = await api().put('/admin/coursera/courses/C1/settings').auth(ADMIN, { type: 'bearer' }).send({ cohortStart: null, gradeWeights: { [`item-${'y'.repeat(BODY_LIMIT)}`]: 1 } });
    expect(settings.status).toBe(413);
  });
});
