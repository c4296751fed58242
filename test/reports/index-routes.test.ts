import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { EmbeddedStatementQuery } from '../../src/lrs/server/statement-reader.js';
import { EDX_REPORTS, reportOptions } from '../../src/reports/edx/reports.js';
import type { ReportEntry } from '../../src/reports/report-index.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { testApp } from '../support/embedded-lrs.js';

const ADMIN = 'index-admin-token-0123456789';
const WIDGET = 'index-widget-token-0123456789';
const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
// A value for each parameter of a URL template, as a client would fill it in.
const SAMPLE: Record<string, string> = { course: 'C1', learner: 'hashA', run: '1' };

describe('the report index', () => {
  let db: TestDatabase;
  let all: ReturnType<typeof testApp>;
  beforeAll(async () => {
    db = await freshDatabase('pglite');
    const statements = new EmbeddedStatementQuery(db.database);
    all = testApp(db.database, {
      adminToken: ADMIN,
      reports: { statements, edxLmsUrl: 'https://lms.example.org/', repositoryId: 'eco.example.org', options: reportOptions(loadConfig({})) },
      courseraReports: { statements, widgetTokens: new Map([[WIDGET, 'tracker']]), pseudonymSecret: 's'.repeat(32) },
      futurelearnReports: { statements },
    });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('lists the platforms whose reports are on, to the admin token as bearer or Basic', async () => {
    expect((await request(all).get('/reports')).status).toBe(401);
    expect((await request(all).get('/reports').auth(WIDGET, { type: 'bearer' })).status).toBe(401);
    const res = await request(all).get('/reports').auth(ADMIN, { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.body.platforms.map((p: { platform: string; url: string }) => [p.platform, p.url])).toEqual([
      ['edx', '/reports/edx'], ['coursera', '/reports/coursera'], ['futurelearn', '/reports/futurelearn'],
    ]);
    for (const p of res.body.platforms) expect(p.description).toEqual(expect.any(String));
    expect((await request(all).get('/reports').set('Authorization', basic(ADMIN))).body).toEqual(res.body);
  });

  it('asks for the credentials each platform\'s reports ask for', async () => {
    const cases: [string, string, number][] = [
      ['/reports/edx', `Bearer ${WIDGET}`, 401], ['/reports/edx', `Bearer ${ADMIN}`, 200],
      ['/reports/coursera', `Bearer ${WIDGET}`, 200], ['/reports/coursera', `Bearer ${ADMIN}`, 200], ['/reports/coursera', '', 401],
      ['/reports/futurelearn', basic(ADMIN), 200], ['/reports/futurelearn', `Bearer ${ADMIN}`, 200], ['/reports/futurelearn', basic(WIDGET), 401],
    ];
    for (const [path, authorization, status] of cases) expect((await request(all).get(path).set('Authorization', authorization)).status, `${path} ${authorization}`).toBe(status);
  });

  it('lists every edX report with its URL template, parameters, formats, meaning and command', async () => {
    const res = await request(all).get('/reports/edx').auth(ADMIN, { type: 'bearer' });
    const reports = res.body.reports as ReportEntry[];
    expect(reports.map((r) => r.name)).toEqual(Object.keys(EDX_REPORTS));
    const detail = reports.find((r) => r.name === 'problem_detail')!;
    expect(detail).toMatchObject({ url: '/reports/edx/problem_detail?course={course}', formats: ['application/json'], cli: 'report edx problem_detail --course ID --out <folder>' });
    expect(detail.columns).toContain('max_grade');
    expect(detail.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual(['query:course:true', 'query:from:false', 'query:to:false', 'query:offset:false', 'query:limit:false']);
    for (const r of reports) expect(r.description.length, r.name).toBeGreaterThan(10);
  });

  it('gives URL templates that lead to the report routes', async () => {
    for (const platform of ['edx', 'coursera', 'futurelearn']) {
      const reports = (await request(all).get(`/reports/${platform}`).auth(ADMIN, { type: 'bearer' })).body.reports as ReportEntry[];
      expect(reports.length, platform).toBeGreaterThan(0);
      for (const r of reports) {
        const url = r.url.replace(/\{(\w+)\}/g, (_m, name: string) => (platform === 'edx' && name === 'course' ? 'course-v1:OrgX+CS101+2026' : SAMPLE[name]!));
        const res = await request(all).get(url).auth(ADMIN, { type: 'bearer' });
        // Nothing was imported: the route answers that the course or run is unknown, or an empty choice.
        expect([200, 404], `${url}: ${res.status}`).toContain(res.status);
        if (res.status === 404) expect(res.body.detail, url).toMatch(/^no (statements|imported run) of /);
      }
    }
  });

  it('lists only what is on', async () => {
    const some = testApp(db.database, { adminToken: ADMIN, futurelearnReports: { statements: new EmbeddedStatementQuery(db.database) } });
    expect((await request(some).get('/reports').auth(ADMIN, { type: 'bearer' })).body).toEqual({ platforms: [expect.objectContaining({ platform: 'futurelearn' })] });
    expect((await request(some).get('/reports/coursera').auth(ADMIN, { type: 'bearer' })).status).toBe(404);
  });
});
