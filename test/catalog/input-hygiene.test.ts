import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { fullCourse } from '../support/catalog.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';

const TOKEN = 'admin-token-0123456789abcdef';
type Answer = { status: number; body: { detail?: string; errors?: { field: string; message: string }[]; [k: string]: unknown } };

describe('input hygiene of the admin API: 400 naming the field, and nothing stored changes', () => {
  let t: TestDatabase;
  let app: RunningLrs;
  beforeAll(async () => {
    t = await freshDatabase('pglite');
    app = await startEmbeddedLrs(t.database, { adminToken: TOKEN });
    await call('PUT', '/teachers/t1', { name: 'Grace Hopper' });
    await call('PUT', '/courses/c1', fullCourse('c1', { teachers: ['t1'] }));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${app.origin}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }) },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Answer['body']) };
  };
  const stored = async () => JSON.stringify([(await call('GET', '/courses/c1')).body, (await call('GET', '/teachers/t1')).body, (await call('GET', '/courses')).body]);
  let before: string | undefined;
  afterEach(async () => {
    if (before !== undefined) expect(await stored()).toBe(before);
    before = undefined;
  });
  const refused = async (method: string, path: string, body: unknown, field: string, message: RegExp) => {
    before = await stored();
    const res = await call(method, path, body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field, message: expect.stringMatching(message) });
    return res;
  };

  it.each([
    ['a newline in a title', { titles: { en: 'Two\nlines' } }, '/titles/en'],
    ['a tab in the organisation', { organisation: 'OrgX\tUniversity' }, '/organisation'],
    ['a carriage return in the organisation', { organisation: 'OrgX\r' }, '/organisation'],
    ['a C1 control in the platform course id', { platformCourseId: 'c1\u0085' }, '/platformCourseId'],
    ['U+FFFF, which XML cannot carry, in a description', { descriptions: { en: 'ok\uffff' } }, '/descriptions/en'],
    ['a bell in a description', { descriptions: { en: 'ring \u0007' } }, '/descriptions/en'],
  ])('refuses control characters: %s', async (_what, change, field) => {
    await refused('PUT', '/courses/c1', fullCourse('c1', { teachers: ['t1'], ...change }), field, /control character/);
  });

  it('keeps tab and line breaks in multi-line fields', async () => {
    before = await stored();
    const res = await call('PUT', '/courses/c2', fullCourse('c2', { descriptions: { en: 'Week 1:\n\tloops\r\nWeek 2' } }));
    expect(res.status).toBe(201);
    expect((await call('DELETE', '/courses/c2')).status).toBe(204);
  });

  it('refuses CR/LF in a teacher name, which would break its vCard line', async () => {
    await refused('PUT', '/teachers/t1', { name: 'Grace\r\nEND:VCARD' }, '/name', /one line of text/);
  });

  it('refuses a lone surrogate with 400, not 500', async () => {
    await refused('PUT', '/courses/c1', fullCourse('c1', { titles: { en: 'Ada \udc00' } }), '/titles/en', /lone UTF-16 surrogate/);
    await refused('PATCH', '/courses/c1', { teachers: ['t\ud800'] }, '/teachers/0', /lone UTF-16 surrogate/);
  });

  it.each(['c 1', 'c<1>', 'c"1', 'c\\1', 'cours[1]', 'c\u00e91'])('refuses the id %j, which cannot form an OAI identifier', async (id) => {
    await refused('POST', '/courses', fullCourse(id), '/id', /OAI identifier/);
  });

  it('refuses over-long values', async () => {
    await refused('PUT', '/courses/c1', fullCourse('c1', { titles: { en: 'x'.repeat(1001) } }), '/titles/en', /must NOT have more than 1000 characters/);
    await refused('PUT', '/teachers/t1', { name: 'n'.repeat(501) }, '/name', /more than 500/);
    await refused('PUT', '/courses/c1', fullCourse('c1', { typicalLearningTime: `P${'1'.repeat(101)}D` }), '/typicalLearningTime', /more than 100/);
  });

  it.each(['ftp://lms.example.org/c1', 'javascript:alert(1)', 'lms.example.org/c1'])('refuses the URL %s, not http(s)', async (url) => {
    await refused('PUT', '/courses/c1', fullCourse('c1', { url }), '/url', /^must be an http:\/\/ or https:\/\/ URL$/);
  });

  it.each(['2026-03-01T10:00:00', '2026-03-01T10:00:00Z', '01/03/2026'])('refuses the date %s: a calendar date, no time or offset', async (startDate) => {
    await refused('PUT', '/courses/c1', fullCourse('c1', { startDate }), '/startDate', /calendar date YYYY-MM-DD/);
  });

  it('lists schema errors and unknown teachers and sets in one 400; an enum error lists the allowed values', async () => {
    const res = await refused('PUT', '/courses/c1', fullCourse('c1', { platform: 'moodle', teachers: ['t1', 'nobody'], sets: ['nowhere'] }), '/platform', /^must be one of edx, coursera, futurelearn, khan, other$/);
    expect(res.body.errors).toEqual(expect.arrayContaining([
      { field: '/teachers/1', message: 'no teacher with id nobody' },
      { field: '/sets/0', message: 'no set with spec nowhere' },
    ]));
    expect(res.body.errors!.some((e) => e.field === '/teachers/0')).toBe(false);
  });

  it('refuses the same inputs in a CSV import, line by line, storing only the good ones', async () => {
    before = await stored();
    const csv = [
      'id,platform,platform_course_id,title:en,organisation,url,start_date',
      '"c 9",edx,c9,Fine,OrgX,https://x.example.org/c9,2026-03-01',
      'c10,edx,c10,Fine,"Org\nX",https://x.example.org/c10,2026-03-01',
      'c11,edx,c11,Fine,OrgX,ftp://x.example.org/c11,2026-03-01T10:00',
      'c12,moodle,c12,Fine\u0001,OrgX,https://x.example.org/c12,2026-03-01',
    ].join('\n');
    const res = await call('POST', '/courses/import', csv);
    expect(res.body).toMatchObject({ read: 4, imported: 0, rejected: 4 });
    expect(res.body.errors).toEqual([
      { at: 'line 2', errors: [{ field: '/id', message: expect.stringMatching(/OAI identifier/) }] },
      { at: 'line 3', errors: [{ field: '/organisation', message: expect.stringMatching(/one line/) }] },
      { at: 'line 4', errors: expect.arrayContaining([{ field: '/url', message: expect.stringMatching(/http/) }, { field: '/startDate', message: expect.stringMatching(/YYYY-MM-DD/) }]) },
      { at: 'line 5', errors: expect.arrayContaining([{ field: '/platform', message: expect.stringMatching(/one of edx/) }, { field: '/titles/en', message: expect.stringMatching(/control/) }]) },
    ]);
  });

  it("names keys in the README's words in the settings' errors", () => {
    expect(() => loadConfig({ ECO_API_KEYS: 'eco' })).toThrow(/^ECO_API_KEYS: expected a comma-separated list of client:key$/);
    expect(() => loadConfig({ ECO_API_KEYS: 'eco:short' })).toThrow(/keys of at least 16 characters in "client:key,..."/);
  });
});
