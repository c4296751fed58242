import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CourseStore } from '../../src/catalog/courses.js';
import { TeacherStore } from '../../src/catalog/teachers.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { consoleApp, signedIn } from './console-app.js';

const COMPLETE = {
  id: 'cs101', platform: 'edx', platformCourseId: 'course-v1:OrgX+CS101+2026',
  titles: { en: 'Introduction to Computer Science' }, descriptions: { en: 'Programs and data.' }, languages: ['en'],
  url: 'https://lms.example.org/courses/cs101/about', organisation: 'Example University', interestArea: 'ECO:TS',
  teachers: ['t-full'], published: true,
};
const DRAFT = { id: 'draft-course', platform: 'coursera', platformCourseId: 'draft', titles: { pt: 'Rascunho' }, teachers: ['t-bare'] };

describe.each(DATABASE_KINDS)('the console\'s catalogue page on %s', (kind) => {
  let t: TestDatabase;
  let signed: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    t = await freshDatabase(kind);
    const teachers = new TeacherStore(t.database);
    await teachers.put({ id: 't-full', name: 'Ana Exemplo', imageUrl: 'https://www.example.org/ana.jpg', descriptions: { en: 'Professor.' } });
    await teachers.put({ id: 't-bare', name: 'Rui Sem Foto' });
    const courses = new CourseStore(t.database);
    await courses.put(COMPLETE);
    await courses.put(DRAFT);
    signed = await signedIn(consoleApp(t.database).app);
  });
  afterAll(() => t.drop());

  it('shows each course\'s publish state and what ECO still needs of it', async () => {
    const page = await signed.agent.get('/console/catalogue').expect(200);
    expect(page.text).toContain('<td><code>cs101</code></td><td>Introduction to Computer Science</td><td>edx</td><td>published</td><td>nothing</td><td>t-full</td>');
    expect(page.text).toContain('<td><code>draft-course</code></td><td>Rascunho</td><td>coursera</td><td>not published</td><td><strong>descriptions, languages, url, organisation, interestArea</strong></td>');
  });

  it('shows what each teacher\'s ECO card lacks', async () => {
    const page = await signed.agent.get('/console/catalogue').expect(200);
    expect(page.text).toContain('<td><code>t-full</code></td><td>Ana Exemplo</td><td>nothing</td>');
    expect(page.text).toContain('<td><code>t-bare</code></td><td>Rui Sem Foto</td><td>picture, description</td>');
  });
});
