import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { oaiProvider } from '../../src/oai-pmh/routes.js';
import { EcoHarvester, type EcoCourse } from '../fakes/eco-harvester.js';
import { fullCourse, PNG } from '../support/catalog.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';
import { oaiSchemaErrors, standaloneMetadataErrors } from '../support/oai-schema.js';

const TOKEN = 'admin-token-0123456789abcdef';
const REPO = 'eco.example.org';
/** Names as people enter them, in several scripts, with what vCard escapes. */
const NAMES = ['Smith, Jane', "O'Brien; Pat", 'Back\\slash & <Co>', '李小龍', 'Ελένη Παπαδοπούλου', 'محمد عبد الله', 'Иван Петров, мл.', 'Zoë 😀 Ñúñez'];

describe.each(DATABASE_KINDS)('ECO harvesting at default settings on %s', (kind) => {
  let t: TestDatabase;
  let app: RunningLrs;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    app = await startEmbeddedLrs(t.database, {
      adminToken: TOKEN,
      courseImages: { limitBytes: 64 * 1024 },
      oai: await oaiProvider(t.database, loadConfig({ OAI_REPOSITORY_ID: REPO, OAI_PAGE_SIZE: '3' })),
    });
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
  });
  const admin = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const res = await fetch(`${app.origin}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': type }) },
      ...(body !== undefined && { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
  };
  /** What ECO must show of course i, as the catalogue holds it. */
  const expected = new Map<string, Partial<EcoCourse>>();
  const put = async (i: number, overrides: Record<string, unknown> = {}) => {
    const teachers = [`t${i % NAMES.length}`, `t${(i + 3) % NAMES.length}`];
    const course = fullCourse(`c${i}`, { published: true, teachers, sets: [i % 2 ? 'odd' : 'even'], organisation: NAMES[(i + 1) % NAMES.length], ...overrides });
    await admin('PUT', `/courses/c${i}`, course);
    expected.set(`oai:${REPO}:c${i}`, {
      id: `oai:${REPO}:c${i}`, title: (course.titles as { en: string }).en, organisation: course.organisation as string, set: i % 2 ? 'odd' : 'even',
      teachers: teachers.map((id) => ({ id, name: NAMES[Number(id.slice(1))]! })),
    });
  };
  const harvest = async (eco: EcoHarvester, opts: { from?: string } = {}) => {
    await eco.harvest(opts);
    for (const page of eco.pages) {
      expect(oaiSchemaErrors(page)).toEqual([]);
      expect(standaloneMetadataErrors(page)).toEqual([]);
    }
    expect(eco.skipped).toEqual([]);
    expect([...eco.courses.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, course] of expected) expect(eco.courses.get(id), id).toMatchObject(course);
  };

  it('brings every course once and intact, fully and incrementally, with names, images, unpublishing, deletion and renaming', async () => {
    for (const [i, name] of NAMES.entries()) await admin('PUT', `/teachers/t${i}`, { name });
    for (const spec of ['odd', 'even']) await admin('PUT', `/sets/${spec}`, { name: spec });
    for (let i = 1; i <= 10; i++) await put(i, i === 2 ? { imageUrl: `${app.origin}/catalog/courses/c1/image` } : {});
    await admin('PUT', '/courses/c1/image', PNG, 'image/png');
    const eco = new EcoHarvester(`${app.origin}/oai`);
    await harvest(eco);
    expect(eco.pages.length).toBeGreaterThan(3);
    // An uploaded image arrives as bytes; a URL is downloaded (ECO's fetch of the served image).
    expect(eco.courses.get(`oai:${REPO}:c1`)!.image).toEqual(PNG);
    expect(eco.courses.get(`oai:${REPO}:c2`)!.image).toEqual(PNG);
    // A URL that does not answer 200 leaves the course without an image, silently.
    expect(eco.courses.get(`oai:${REPO}:c3`)!.image).toBeUndefined();

    const from = eco.startedAt;
    await admin('POST', '/courses/c4/unpublish');
    await admin('DELETE', '/courses/c5');
    await put(6, { titles: { en: 'Renamed, at last' } });
    await admin('PUT', '/teachers/t1', { name: 'Smith; Jane \\ renamed' });
    NAMES[1] = 'Smith; Jane \\ renamed';
    for (const [id, course] of expected) {
      if (course.teachers !== undefined) course.teachers = course.teachers.map((t) => ({ id: t.id, name: NAMES[Number(t.id.slice(1))]! }));
      if (id.endsWith(':c4') || id.endsWith(':c5')) expected.delete(id);
    }
    await put(11);
    // Incremental (from the first harvest's start, as a generic harvester would), then full (as ECO does).
    await harvest(eco, { from });
    await harvest(eco);
    expect(eco.courses.get(`oai:${REPO}:c6`)!.title).toBe('Renamed, at last');
  });

  it('loses ECO in strict mode, which is for protocol validators only', async () => {
    await app.close();
    app = await startEmbeddedLrs(t.database, { adminToken: TOKEN, oai: await oaiProvider(t.database, loadConfig({ OAI_REPOSITORY_ID: REPO, OAI_PAGE_SIZE: '3', OAI_STRICT: 'true' })) });
    for (let i = 1; i <= 4; i++) await admin('PUT', `/courses/c${i}`, fullCourse(`c${i}`, { published: true }));
    await expect(new EcoHarvester(`${app.origin}/oai`).harvest()).rejects.toThrow(/stops its harvest silently at badArgument/);
  });
});
