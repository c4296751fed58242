import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { fullCourse } from '../support/catalog.js';
import { startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';

const TOKEN = 'admin-token-0123456789abcdef';

describe.each(DATABASE_KINDS)('the admin API on %s', (kind) => {
  let t: TestDatabase;
  let app: RunningLrs;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    app = await startEmbeddedLrs(t.database, { adminToken: TOKEN });
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.origin}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown> & { errors?: { field: string; message: string }[] }) };
  };

  it('answers nothing without the admin token', async () => {
    for (const [method, path] of [['GET', '/courses'], ['PUT', '/courses/c1'], ['DELETE', '/teachers/t1'], ['GET', '/identity-links']]) {
      expect((await call(method!, path!, undefined, { authorization: '' })).status).toBe(401);
      expect((await call(method!, path!, undefined, { authorization: 'Bearer wrong-token-0123456789abc' })).status).toBe(401);
    }
    const off = await startEmbeddedLrs(t.database);
    try {
      const res = await fetch(`${off.origin}/admin/courses`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(401);
      expect(await res.text()).toMatch(/ADMIN_TOKEN is not set/);
    } finally {
      await off.close();
    }
  });

  it('lists every bad field of a course at once', async () => {
    const res = await call('PUT', '/courses/c1', {
      platform: 'moodle', titles: {}, url: 'ftp://x', startDate: '2026-13-01', units: -1, interestArea: 'ECO:XX', colour: 'red',
    });
    expect(res.status).toBe(400);
    expect(res.body!.errors!.map((e) => e.field).sort()).toEqual(
      ['/colour', '/interestArea', '/platform', '/platformCourseId', '/startDate', '/titles', '/units', '/url'].sort(),
    );
  });

  it('creates, reads, pages, patches and deletes courses', async () => {
    for (const id of ['c1', 'c2', 'c3']) expect((await call('PUT', `/courses/${id}`, fullCourse(id))).status).toBe(201);
    expect((await call('PUT', '/courses/c1', fullCourse('c1', { units: 7 }))).status).toBe(200);
    expect((await call('POST', '/courses', fullCourse('c1'))).status).toBe(409);
    const first = await call('GET', '/courses?limit=2');
    expect((first.body!.items as { id: string }[]).map((c) => c.id)).toEqual(['c1', 'c2']);
    const second = await call('GET', `/courses?limit=2&after=${first.body!.next as string}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: 'c3' })] });
    const patched = await call('PATCH', '/courses/c2', { organisation: 'OrgY', units: 9 });
    expect(patched.body).toMatchObject({ id: 'c2', organisation: 'OrgY', units: 9, titles: { en: 'Course c2' } });
    expect((await call('PATCH', '/courses/c2', { units: 'nine' })).body!.errors).toEqual([{ field: '/units', message: 'must be integer' }]);
    expect((await call('DELETE', '/courses/c2')).status).toBe(204);
    expect((await call('GET', '/courses/c2')).status).toBe(404);
    expect((await call('DELETE', '/courses/c2')).status).toBe(404);
    const { rows } = await t.database.query(`SELECT id FROM catalog_courses WHERE id = 'c2'`);
    expect(rows).toHaveLength(0);
  });

  it('refuses to publish a course that lacks what ECO needs, naming each missing field', async () => {
    await call('PUT', '/courses/c1', { id: 'c1', platform: 'edx', platformCourseId: 'c1', titles: { en: 'Bare' } });
    const refused = await call('POST', '/courses/c1/publish');
    expect(refused.status).toBe(400);
    expect(refused.body!.errors!.map((e) => e.field)).toEqual(['/descriptions', '/languages', '/url', '/organisation', '/interestArea']);
    expect((await call('PUT', '/courses/c1', { ...fullCourse('c1'), url: undefined, published: true })).body!.errors).toEqual([
      { field: '/url', message: 'is required to publish: ECO skips a course without it' },
    ]);
    await call('PUT', '/courses/c1', fullCourse('c1'));
    expect((await call('POST', '/courses/c1/publish')).body).toMatchObject({ published: true });
  });

  it('keeps a tombstone of a deleted published course and moves its datestamp', async () => {
    const published = await call('PUT', '/courses/c1', fullCourse('c1', { published: true }));
    expect((await call('DELETE', '/courses/c1')).status).toBe(204);
    const { rows } = await t.database.query<{ oai_status: string; removed: boolean; datestamp: Date }>(`SELECT oai_status, removed, datestamp FROM catalog_courses WHERE id = 'c1'`);
    expect(rows[0]).toMatchObject({ oai_status: 'deleted', removed: true });
    expect(rows[0]!.datestamp.toISOString() > (published.body!.datestamp as string)).toBe(true);
    expect((await call('PUT', '/courses/c1', fullCourse('c1'))).status).toBe(201);
  });

  it('checks that teachers and sets exist, and moves the datestamps of a changed teacher\'s courses', async () => {
    const bad = await call('PUT', '/courses/c1', fullCourse('c1', { teachers: ['t1'], sets: ['cs'] }));
    expect(bad.body!.errors).toEqual([
      { field: '/teachers/0', message: 'no teacher with id t1' },
      { field: '/sets/0', message: 'no set with spec cs' },
    ]);
    expect((await call('PUT', '/teachers/t1', { name: 'Grace Hopper', descriptions: { en: 'Admiral' } })).status).toBe(201);
    expect((await call('PUT', '/sets/cs:intro', { name: 'Intro' })).body!.errors).toEqual([{ field: '/spec', message: 'its parent set cs does not exist' }]);
    expect((await call('PUT', '/sets/cs', { name: 'Computer science' })).status).toBe(201);
    const course = await call('PUT', '/courses/c1', fullCourse('c1', { teachers: ['t1'], sets: ['cs'] }));
    expect(course.body).toMatchObject({ teachers: ['t1'], sets: ['cs'] });
    await call('PUT', '/teachers/t1', { name: 'Grace B. Hopper' });
    const after = await call('GET', '/courses/c1');
    expect((after.body!.datestamp as string) > (course.body!.datestamp as string)).toBe(true);
    expect((await call('DELETE', '/teachers/t1')).status).toBe(409);
    expect((await call('DELETE', '/sets/cs')).status).toBe(409);
  });

  it('deletes a teacher or set that only deleted courses name, and refuses (409) one a live course names, naming it', async () => {
    await call('PUT', '/teachers/t1', { name: 'Grace Hopper' });
    await call('PUT', '/sets/cs', { name: 'Computer science' });
    await call('PUT', '/sets/cs:intro', { name: 'Intro' });
    await call('PUT', '/courses/gone', fullCourse('gone', { teachers: ['t1'], sets: ['cs'], published: true }));
    await call('PUT', '/courses/live', fullCourse('live', { teachers: ['t1'], sets: ['cs'] }));
    expect((await call('DELETE', '/courses/gone')).status).toBe(204);
    const teacher = await call('DELETE', '/teachers/t1');
    expect(teacher).toMatchObject({ status: 409, body: { detail: 'teacher t1 is used by courses live: change or delete those first', courses: ['live'] } });
    const set = await call('DELETE', '/sets/cs');
    expect(set).toMatchObject({ status: 409, body: { courses: ['live'], subsets: ['cs:intro'] } });
    expect(set.body!.detail).toBe('set cs is used by courses live and subsets cs:intro: change or delete those first');
    expect((await call('DELETE', '/courses/live')).status).toBe(204);
    expect((await call('DELETE', '/sets/cs:intro')).status).toBe(204);
    const { rows: before } = await t.database.query<{ datestamp: Date }>(`SELECT datestamp FROM catalog_courses WHERE id = 'gone'`);
    expect((await call('DELETE', '/teachers/t1')).status).toBe(204);
    expect((await call('DELETE', '/sets/cs')).status).toBe(204);
    expect((await call('GET', '/teachers/t1')).status).toBe(404);
    expect((await call('GET', '/sets')).body).toEqual({ items: [] });
    // The tombstone stays, and its header no longer names the set: its datestamp moved.
    const { rows } = await t.database.query<{ oai_status: string; datestamp: Date }>(`SELECT oai_status, datestamp FROM catalog_courses WHERE id = 'gone'`);
    expect(rows[0]!.oai_status).toBe('deleted');
    expect(rows[0]!.datestamp.getTime()).toBeGreaterThan(before[0]!.datestamp.getTime());
    expect((await call('DELETE', '/teachers/t1')).status).toBe(404);
  });

  it('keeps identity links', async () => {
    expect((await call('PUT', '/identity-links/edx/42', { ecoUserId: 'eco-sub-1' })).body).toEqual({ platform: 'edx', platformUserId: '42', ecoUserId: 'eco-sub-1' });
    expect((await call('PUT', '/identity-links/edx/43', {})).body!.errors).toEqual([{ field: '/ecoUserId', message: 'is required' }]);
    expect((await call('GET', '/identity-links?platform=edx')).body).toEqual({ items: [{ platform: 'edx', platformUserId: '42', ecoUserId: 'eco-sub-1' }] });
    expect((await call('DELETE', '/identity-links/edx/42')).status).toBe(204);
    expect((await call('DELETE', '/identity-links/edx/42')).status).toBe(404);
  });

  it('imports courses from CSV and links from JSON, keeping the good records and naming the bad', async () => {
    const csv = [
      'id,platform,platform_course_id,title:en,title:es,description:en,languages,url,organisation,interest_area,units,published',
      'c1,edx,course-v1:OrgX+C1+2026,Loops,Bucles,About loops,en;es,https://lms.example.org/c1,OrgX,ECO:TS,4,true',
      'c2,edx,course-v1:OrgX+C2+2026,Data,,,en,https://lms.example.org/c2,OrgX,ECO:TS,four,false',
      'c3,coursera,ml,Machine learning,,,en,,,,,true',
    ].join('\n');
    const res = await call('POST', '/courses/import', csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ read: 3, imported: 1, rejected: 2 });
    expect(res.body!.errors).toEqual([
      { at: 'line 3', errors: [{ field: '/units', message: 'must be integer' }] },
      { at: 'line 4', errors: expect.arrayContaining([{ field: '/url', message: expect.stringMatching(/required to publish/) }]) },
    ]);
    expect((await call('GET', '/courses/c1')).body).toMatchObject({ titles: { en: 'Loops', es: 'Bucles' }, languages: ['en', 'es'], units: 4, published: true });
    const links = await call('POST', '/identity-links/import', [{ platform: 'edx', platformUserId: '1', ecoUserId: 'a' }, { platform: 'edx' }]);
    expect(links.body).toMatchObject({ read: 2, imported: 1, rejected: 1, errors: [{ at: 'item 1' }] });
  });

  it('refuses with 400 naming the field a body, path or query holding text the database cannot store', async () => {
    const nul = await call('PUT', '/courses/c1', fullCourse('c1', { titles: { en: 'Secret title\u0000' } }));
    expect(nul.status).toBe(400);
    expect(nul.body!.errors).toEqual([{ field: '/titles/en', message: 'contains the character U+0000, which the database cannot store' }]);
    expect(JSON.stringify(nul.body)).not.toContain('Secret');
    const surrogate = await call('PUT', '/teachers/t1', { name: 'Ada \ud800' });
    expect(surrogate.status).toBe(400);
    expect(surrogate.body!.errors).toEqual([{ field: '/name', message: expect.stringMatching(/lone UTF-16 surrogate/) }]);
    const link = await call('PUT', '/identity-links/edx/42', { ecoUserId: 'eco\u0000' });
    expect(link.body!.errors).toEqual([{ field: '/ecoUserId', message: expect.stringMatching(/U\+0000/) }]);
    for (const path of ['/courses/c%00', '/teachers/t%00', '/identity-links?after=%00', '/identity-links/edx/4%002']) {
      const res = await call(path.includes('?') ? 'GET' : 'DELETE', path);
      expect(res.status).toBe(400);
      expect(res.body!.detail).toMatch(/contains the character U\+0000/);
    }
    const csv = ['id,platform,platform_course_id,title:en', 'c2,edx,c2,Fine', 'c3,edx,c3,Bad\u0000'].join('\n');
    const bulk = await call('POST', '/courses/import', csv);
    expect(bulk.body).toMatchObject({ read: 2, imported: 1, rejected: 1, errors: [{ at: 'line 3', errors: [{ field: '/titles/en' }] }] });
    expect((await call('GET', '/courses')).body!.items).toHaveLength(1);
  });
});
