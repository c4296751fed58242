/**
 * The catalogue page, `/console/catalogue`: courses with their publish state and what
 * ECO still needs of each (the catalogue's own `missingForEco`, which also refuses to
 * publish without it), and teachers with what ECO's teacher card would lack. Read only:
 * courses change through the admin API.
 */
import { Router } from 'express';
import { CourseStore, missingForEco, type Course } from '../catalog/courses.js';
import { TeacherStore, type Teacher } from '../catalog/teachers.js';
import type { Database } from '../db/connection.js';
import { consolePage, textField } from './input.js';
import { esc, hrefOf, sendPage, table } from './layout.js';
import { sessionIn } from './sign-in.js';

const PATH = '/console/catalogue';
const PER_PAGE = 50;

/** What ECO's teacher card (`GET teachers/<id>`: name, imageUrl, desc; eco.md) shows empty when a teacher lacks it. */
const TEACHER_CARD: readonly [keyof Teacher, string][] = [['imageUrl', 'picture'], ['descriptions', 'description']];

const teacherMissing = (t: Teacher): string[] =>
  TEACHER_CARD.filter(([field]) => t[field] === undefined || (typeof t[field] === 'object' && Object.keys(t[field]).length === 0)).map(([, label]) => label);

/** The first title of a course, in English where it has one. */
const titleOf = (c: Course): string => c.titles.en ?? Object.values(c.titles)[0] ?? '';

function courseRow(c: Course): string[] {
  const missing = missingForEco(c).map((m) => m.field.slice(1));
  return [
    `<code>${esc(c.id)}</code>`, esc(titleOf(c)), esc(c.platform), c.published ? 'published' : 'not published',
    missing.length === 0 ? 'nothing' : `<strong>${esc(missing.join(', '))}</strong>`, esc(c.teachers.join(', ')),
  ];
}

/** The router of the catalogue page. */
export function cataloguePage(deps: { database: Database }): Router {
  const router = Router();
  const courses = new CourseStore(deps.database);
  const teachers = new TeacherStore(deps.database);
  router.get('/catalogue', consolePage('Catalogue', PATH, async (req, res) => {
    const after = textField(req, 'query', 'after', 200);
    const teachersAfter = textField(req, 'query', 'teachersAfter', 200);
    const [coursePage, teacherPage] = await Promise.all([
      courses.list({ ...(after !== undefined && { after }), limit: PER_PAGE }),
      teachers.list({ ...(teachersAfter !== undefined && { after: teachersAfter }), limit: PER_PAGE }),
    ]);
    const more = (next: string | undefined, params: Record<string, string | undefined>, text: string) =>
      next === undefined ? '' : `<p><a rel="next" href="${esc(hrefOf(PATH, params))}">${text}</a></p>`;
    sendPage(res, 200, {
      title: 'Catalogue', current: PATH, csrf: sessionIn(res).csrf,
      body: `<p>Published courses are served over OAI-PMH; ECO skips a course that lacks any of its required fields, so the admin API refuses to publish one.</p>
<section aria-labelledby="courses-h"><h2 id="courses-h">Courses</h2>
${table('Courses by id', ['Course', 'Title', 'Platform', 'State', 'Missing for ECO', 'Teachers'], coursePage.items.map(courseRow), 'no course yet')}
${more(coursePage.next, { after: coursePage.next, teachersAfter }, 'More courses')}</section>
<section aria-labelledby="teachers-h"><h2 id="teachers-h">Teachers</h2>
${table('Teachers by id', ['Teacher', 'Name', 'Missing on the ECO card'], teacherPage.items.map((t) => [`<code>${esc(t.id)}</code>`, esc(t.name), esc(teacherMissing(t).join(', ') || 'nothing')]), 'no teacher yet')}
${more(teacherPage.next, { after, teachersAfter: teacherPage.next }, 'More teachers')}</section>`,
    });
  }));
  return router;
}
