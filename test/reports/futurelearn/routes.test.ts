import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { StatementStore } from '../../../src/lrs/server/statement-store.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { tickingClock } from '../../support/clock.js';
import { startEmbeddedLrs, type RunningLrs } from '../../support/embedded-lrs.js';
import { seedTestRun, TEST_RUN } from '../../support/futurelearn-statements.js';

const TOKEN = 'fl-admin-token-0123456789';
const DASHBOARD = `/reports/futurelearn/${TEST_RUN.course}/${TEST_RUN.run}`;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe.each(DATABASE_KINDS)('FutureLearn reports over HTTP on %s', (kind) => {
  let db: TestDatabase;
  let lrs: RunningLrs;
  // The LRS stamps `stored` on this clock: the later export is stored later without a wait.
  const clock = tickingClock();
  beforeEach(async () => {
    db = await freshDatabase(kind);
    lrs = await startEmbeddedLrs(db.database, { statementStore: new StatementStore(db.database, clock.now), adminToken: TOKEN, futurelearnReports: { statements: new EmbeddedStatementQuery(db.database) } });
    await seedTestRun(db.database, lrs.endpoint, clock);
  });
  afterEach(async () => {
    await lrs.close();
    await db.drop();
  });

  it('refuses both routes without the admin token, asking a browser for Basic credentials on the page', async () => {
    const json = await request(lrs.origin).get(`${DASHBOARD}.json`);
    expect(json.status).toBe(401);
    expect(json.headers['www-authenticate']).toBe('Bearer realm="admin"');
    const page = await request(lrs.origin).get(DASHBOARD);
    expect(page.status).toBe(401);
    expect(page.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+", charset="UTF-8"$/);
    expect(page.type).toBe('application/problem+json');
    // The token never appears in an answer, wrong or right.
    const wrong = await request(lrs.origin).get(DASHBOARD).set('Authorization', `Bearer ${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain(TOKEN);
    expect((await request(lrs.origin).get(DASHBOARD).set('Authorization', basic('root', TOKEN))).status).toBe(401);
    expect((await request(lrs.origin).get(DASHBOARD).set('Authorization', basic('admin', 'nope'))).status).toBe(401);
  });

  it('accepts the token as a bearer token or as the Basic password of user admin', async () => {
    expect((await request(lrs.origin).get(`${DASHBOARD}.json`).set('Authorization', `Bearer ${TOKEN}`)).status).toBe(200);
    expect((await request(lrs.origin).get(`${DASHBOARD}.json`).set('Authorization', basic('admin', TOKEN))).status).toBe(200);
    expect((await request(lrs.origin).get(DASHBOARD).set('Authorization', basic('admin', TOKEN))).status).toBe(200);
  });

  it('refuses everything when ADMIN_TOKEN is not set', async () => {
    const off = await startEmbeddedLrs(db.database, { futurelearnReports: { statements: new EmbeddedStatementQuery(db.database) } });
    try {
      const res = await request(off.origin).get(DASHBOARD).set('Authorization', 'Bearer anything');
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/ADMIN_TOKEN is not set/);
    } finally {
      await off.close();
    }
  });

  it('returns every report of the run as JSON', async () => {
    const res = await request(lrs.origin).get(`${DASHBOARD}.json`).set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.body)).toEqual(['course', 'run', 'runIri', 'title', 'statements', 'steps', 'overview', 'stepFunnel', 'weekFunnel', 'comments', 'quiz', 'videos', 'demographics', 'signups', 'stepHeatmap', 'commentWeeks', 'erasedByPlatform']);
    expect(res.body).toMatchObject({ course: TEST_RUN.course, run: TEST_RUN.run, steps: 6 });
    expect(res.body.overview[0]).toEqual({ figure: 'joiners', description: expect.any(String), learners: 5, percentOfJoiners: 100 });
    expect(res.body.stepFunnel).toHaveLength(6);
    expect(res.body.quiz[1]).toMatchObject({ week: 1, step: 3, question: 2, percentCorrect: 66.7 });
    expect(res.body.videos[0]).toMatchObject({ stepPosition: '1.2', title: 'Welcome' });
  });

  it('serves the dashboard under a strict CSP that allows no script', async () => {
    const res = await request(lrs.origin).get(DASHBOARD).set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/^default-src 'none'; /);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline|unsafe-eval|\*/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).not.toMatch(/<script/i);
    expect(res.text).not.toMatch(/\s(src|href)="(https?:)?\/\//);
  });

  it('escapes the run name and video titles: the markup shows as text', async () => {
    const res = await request(lrs.origin).get(DASHBOARD).set('Authorization', `Bearer ${TOKEN}`);
    expect(res.text).toContain('Intro to &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; xAPI');
    expect(res.text).toContain('Week 2 &#60;b&#62;recap&#60;/b&#62;');
    expect(res.text).not.toContain('<b>recap');
    expect(res.text).toContain('<figure data-chart="funnel-week-1"');
    expect(res.text).toMatch(/<rect class="bar"[^>]* data-group="Step 1\.2" data-metric="visited" data-value="3"><title>Step 1\.2 visited: 3 \(75% of learners\)<\/title><\/rect>/);
  });

  it('answers 400 to a course or run that is not a FutureLearn slug or run number', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    expect((await request(lrs.origin).get('/reports/futurelearn/bad%20course/2').set(auth)).status).toBe(400);
    expect((await request(lrs.origin).get(`/reports/futurelearn/${TEST_RUN.course}/2.5`).set(auth)).status).toBe(400);
    expect((await request(lrs.origin).get(`/reports/futurelearn/${'a'.repeat(129)}/2.json`).set(auth)).status).toBe(400);
    expect((await request(lrs.origin).get('/reports/futurelearn/-x/2.json').set(auth)).status).toBe(400);
  });

  it('answers 404 naming the course and run when nothing of the run was imported, never a page of zeros', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    for (const path of [`/reports/futurelearn/${TEST_RUN.course}/99`, `/reports/futurelearn/${TEST_RUN.course}/99.json`, '/reports/futurelearn/no-such-course/1.json']) {
      const res = await request(lrs.origin).get(path).set(auth);
      expect(res.status, path).toBe(404);
      expect(res.type).toBe('application/problem+json');
    }
    const res = await request(lrs.origin).get(`/reports/futurelearn/${TEST_RUN.course}/99.json`).set(auth);
    expect(res.body.detail).toBe(`no statements of FutureLearn course ${TEST_RUN.course} run 99`);
  });
});
