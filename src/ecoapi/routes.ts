/**
 * The ECO REST API under `/ecoapi` (eco.md), with API keys (`ECO_API_KEYS`; in the path
 * for ECO's own client, see access.ts) where the old API had none: a learner's progress
 * per course, computed from statements through `StatementQuery` and the identity links;
 * teachers; the structure of a course as tasks; a heartbeat. Shapes exactly as ECO reads them.
 */
import type { BlockList } from 'node:net';
import { Router } from 'express';
import type { Database } from '../db/connection.js';
import { allStatements, type StatementQuery } from '../lrs/statement-query.js';
import { courseByActivity, learnerStatements, progressOf } from '../reports/eco-progress.js';
import { newFormCourseId } from '../reports/edx/scope.js';
import { courseStructure } from '../catalog/course-structure.js';
import { CourseStore, coursesNamed } from '../catalog/courses.js';
import { linksOfEcoUser } from '../catalog/identity-links.js';
import { TeacherStore } from '../catalog/teachers.js';
import { pseudonym, accountActor } from '../xapi/ids.js';
import type { Agent } from '../xapi/types.js';
import { ecoAccess } from './access.js';
import { categoryTaskType, taskType } from './tasks.js';

/** What the ECO API needs. */
export interface EcoApiDeps {
  database: Database;
  statements: StatementQuery;
  /** API key → client name; empty: every request is refused. */
  keys: Map<string, string>;
  /** Client addresses that may call (ECO_API_ALLOWED_IPS); undefined: any. */
  allowedClients?: BlockList;
  repositoryId: string;
  /** The edX LMS base URL (ending in `/`), whose `courses/<id>` activities are catalogue courses. */
  edxLmsUrl?: string;
  /** The key of the pseudonyms that name learners in statements made before their link. */
  pseudonymSecret: string;
}

/** The catalogue id of a course named by its local id or its OAI identifier. */
function localCourseId(deps: EcoApiDeps, id: string): string {
  const prefix = `oai:${deps.repositoryId}:`;
  return id.startsWith(prefix) ? id.slice(prefix.length) : id;
}

/**
 * The activity ids that name catalogue courses in statements (`<lms>courses/<id>` and
 * `oai:<repository>:<id>`), mapped to the courses' OAI identifiers; `candidates` are
 * the course-like ids found in a learner's statements.
 */
async function courseActivities(deps: EcoApiDeps, candidates: Set<string>): Promise<Map<string, string>> {
  const oaiPrefix = `oai:${deps.repositoryId}:`;
  const lmsPrefix = deps.edxLmsUrl === undefined ? undefined : `${deps.edxLmsUrl}courses/`;
  const byLocal = new Map<string, string>();
  const byEdx = new Map<string, string>();
  for (const id of candidates) {
    if (id.startsWith(oaiPrefix)) byLocal.set(id.slice(oaiPrefix.length), id);
    else if (lmsPrefix !== undefined && id.startsWith(lmsPrefix) && !id.slice(lmsPrefix.length).includes('/')) byEdx.set(id.slice(lmsPrefix.length), id);
  }
  if (byLocal.size + byEdx.size === 0) return new Map();
  // Statements name edX courses in the new id form; the catalogue may hold either form.
  const courses = await coursesNamed(deps.database, { ids: [...byLocal.keys()], edxCourseIds: [...byEdx.keys()] });
  const out = new Map<string, string>();
  for (const c of courses) {
    const oai = `${oaiPrefix}${c.id}`;
    const local = byLocal.get(c.id);
    if (local !== undefined) out.set(local, oai);
    const edx = byEdx.get(c.edxCourseId);
    if (edx !== undefined) out.set(edx, oai);
  }
  return out;
}

/** The router of `/ecoapi`. */
export function ecoApiRouter(deps: EcoApiDeps): Router {
  const teachers = new TeacherStore(deps.database);
  const courses = new CourseStore(deps.database);
  const router = Router();
  router.use(ecoAccess({ keys: deps.keys, ...(deps.allowedClients && { allowedClients: deps.allowedClients }) }));

  router.get('/heartbeat', (_req, res) => {
    res.json({ alive_at: new Date().toISOString() });
  });

  router.get('/teachers/:id', async (req, res) => {
    const teacher = await teachers.get(req.params.id);
    if (teacher === undefined) return void res.json({});
    res.json({
      name: teacher.name,
      imageUrl: teacher.imageUrl ?? '',
      desc: Object.entries(teacher.descriptions ?? {}).map(([language, label]) => ({ language, label })),
    });
  });

  router.get('/users/:ecoUserId/courses', async (req, res) => {
    const ecoUserId = req.params.ecoUserId;
    const links = await linksOfEcoUser(deps.database, ecoUserId);
    const actors: Agent[] = [];
    for (const link of links) {
      if (link.platform !== 'edx' || deps.edxLmsUrl === undefined) continue;
      const homePage = deps.edxLmsUrl.replace(/\/$/, '');
      // Statements since the link name the ECO user; those before it, the pseudonym.
      actors.push(accountActor(homePage, ecoUserId), accountActor(homePage, pseudonym(deps.pseudonymSecret, link.platformUserId)));
    }
    if (actors.length === 0) return void res.json([]);
    const statements = await learnerStatements(deps.statements, actors);
    const candidates = new Set<string>();
    for (const s of statements) {
      const objectId = (s.object as { id?: string }).id;
      if (objectId !== undefined) candidates.add(objectId);
      for (const p of s.context?.contextActivities?.parent ?? []) candidates.add(p.id);
    }
    res.json(progressOf(statements, courseByActivity(await courseActivities(deps, candidates))));
  });

  router.get('/tasks/:courseId', async (req, res) => {
    const id = localCourseId(deps, req.params.courseId);
    const course = await courses.get(id);
    if (course === undefined) return void res.status(404).json({});
    const completedTimestamp = course.endDate === undefined ? '' : `${course.endDate}T00:00:00`;
    const edxId = newFormCourseId(course.platformCourseId) ?? course.platformCourseId;
    const tasks = new Map<string, { id: string; type: string; completedTimestamp: string }>();
    // The imported course structure where there is one: every block, in course order.
    const blocks = await courseStructure(deps.database, edxId);
    for (const b of blocks) {
      const type = categoryTaskType(b.category);
      if (type !== undefined) tasks.set(b.blockId, { id: b.blockId, type, completedTimestamp });
    }
    // Otherwise the blocks seen in the course's statements.
    const iris = [`oai:${deps.repositoryId}:${course.id}`];
    if (course.platform === 'edx' && deps.edxLmsUrl !== undefined) iris.push(`${deps.edxLmsUrl}courses/${edxId}`);
    for (const activity of blocks.length > 0 ? [] : iris) {
      for await (const s of allStatements(deps.statements, { activity, relatedActivities: true, limit: 500 })) {
        const object = s.object as { id?: string; definition?: { type?: string } };
        // Tasks are the course's blocks; forum posts and pages are not.
        const at = object.id?.indexOf('/xblock/') ?? -1;
        if (object.id === undefined || at < 0) continue;
        const blockId = object.id.slice(at + '/xblock/'.length);
        const type = taskType(object.definition?.type);
        if (type !== undefined && !tasks.has(blockId)) tasks.set(blockId, { id: blockId, type, completedTimestamp });
      }
    }
    const ordered = blocks.length > 0 ? [...tasks.values()] : [...tasks.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    res.json({ moocId: `oai:${deps.repositoryId}:${course.id}`, tasks: ordered });
  });
  return router;
}
