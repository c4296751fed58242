import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CourseStore } from '../../src/catalog/courses.js';
import { upsertIdentityLinks } from '../../src/catalog/identity-links.js';
import { TeacherStore } from '../../src/catalog/teachers.js';
import { edxItems, edxTranslateOptions } from '../../src/pipelines/edx.js';
import { fromValue } from '../../src/ingest/edx/tracking-log.js';
import { loadConfig } from '../../src/config/index.js';
import { LrsClient } from '../../src/lrs/client.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Flusher } from '../../src/lrs/flusher.js';
import { runImport } from '../../src/lrs/import-run.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { EmbeddedStatementQuery } from '../../src/lrs/server/statement-reader.js';
import { fullCourse } from '../support/catalog.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { COURSE, LMS, playVideo, problemCheck, SECRET } from '../support/edx-events.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';

const KEY = 'eco-portal-key-0123456789abcdef';
const REPO = 'eco.example.org';
const silent = pino({ level: 'silent' });

/** A course-level grade event of user `userId`. */
function courseEvent(type: string, userId: number, time: string, event: Record<string, unknown>): Record<string, unknown> {
  return { username: `learner${userId}`, event_source: 'server', event_type: type, time, event: { course_id: COURSE, user_id: userId, ...event }, context: { course_id: COURSE, user_id: userId, org_id: 'OrgX' } };
}

describe.each(DATABASE_KINDS)('the ECO API on %s', (kind) => {
  let t: TestDatabase;
  let app: RunningLrs;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    app = await startEmbeddedLrs(t.database, {
      ecoApi: { keys: new Map([[KEY, 'eco']]), statements: new EmbeddedStatementQuery(t.database), repositoryId: REPO, edxLmsUrl: LMS, pseudonymSecret: SECRET },
    });
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
  });

  const get = async (path: string, key: string | null = KEY) => {
    const res = await fetch(`${app.origin}/ecoapi/${path}`, { headers: key === null ? {} : { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  /** Events of learner 7 translated, enqueued and delivered to the embedded LRS, as in production. */
  async function deliver(events: Record<string, unknown>[]): Promise<void> {
    const outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    const links = new Map([['7', 'eco-7']]);
    const opts = edxTranslateOptions(config, SECRET, undefined, (id) => links.get(id));
    const records = (async function* () {
      for (const [i, e] of events.entries()) yield fromValue(`event ${i}`, e, JSON.stringify(e));
    })();
    await runImport(edxItems(records, opts), { database: t.database, outbox, source: 'edx', input: 'test' });
    const client = new LrsClient({ endpoint: app.endpoint, ...LRS_USER, timeoutMs: 10_000 });
    const flushed = await new Flusher({ outbox, client, stats: new DeliveryStats(), logger: silent, batchSize: 100, leaseSeconds: 30 }).flushUntilIdle();
    expect(flushed.sent).toBe(events.length);
  }

  it('answers nothing without a valid API key', async () => {
    for (const path of ['heartbeat', 'teachers/t1', 'users/eco-7/courses', 'tasks/c1']) {
      expect((await get(path, null)).status).toBe(401);
      expect((await get(path, 'not-a-key-0123456789abcdef')).status).toBe(401);
    }
  });

  it('answers the heartbeat and teachers as ECO reads them', async () => {
    const beat = await get('heartbeat');
    expect(beat.body).toEqual({ alive_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    await new TeacherStore(t.database).put({ id: 't1', name: 'Grace Hopper', imageUrl: 'https://example.org/g.png', descriptions: { en: 'Admiral', es: 'Almirante' } });
    expect((await get('teachers/t1')).body).toEqual({ name: 'Grace Hopper', imageUrl: 'https://example.org/g.png', desc: [{ language: 'en', label: 'Admiral' }, { language: 'es', label: 'Almirante' }] });
    expect((await get('teachers/nobody')).body).toEqual({});
  });

  it('computes a learner\'s progress per course from the statements in the LRS', async () => {
    await new CourseStore(t.database).put(fullCourse('c1', { platformCourseId: COURSE, published: true }));
    await upsertIdentityLinks(t.database, [{ platform: 'edx', platformUserId: '7', ecoUserId: 'eco-7' }]);
    // 09:00:00 video, 09:10:00 problem (one session of 10 min); 10:10:00 pause, 10:11:00 passed (another, 1 min).
    await deliver([
      playVideo(7, 0),
      problemCheck(7, 2, { time: '2026-03-02T09:10:00.000000+00:00' }),
      playVideo(7, 0, { event_type: 'pause_video', name: 'pause_video', time: '2026-03-02T10:10:00.000000+00:00' }),
      courseEvent('edx.grades.course.grade_calculated', 7, '2026-03-02T10:10:30.000000+00:00', { percent_grade: 0.8, letter_grade: 'Pass' }),
      courseEvent('edx.course.grade.passed.first_time', 7, '2026-03-02T10:11:00.000000+00:00', {}),
      playVideo(8, 5),
    ]);
    expect((await get('users/eco-7/courses')).body).toEqual([
      {
        id: `oai:${REPO}:c1`,
        viewCount: 2,
        progressPercentage: 80,
        firstViewDate: '2026-03-02T09:00:00',
        lastViewDate: '2026-03-02T10:11:00',
        completedDate: '2026-03-02T10:11:00',
        spentTime: 11 * 60 * 1000,
      },
    ]);
    expect((await get('users/eco-unknown/courses')).body).toEqual([]);
  });

  it('gives the tasks of a course from the blocks seen in its statements, and 404 {} for an unknown course', async () => {
    await new CourseStore(t.database).put(fullCourse('c1', { platformCourseId: COURSE, endDate: '2026-05-31' }));
    await deliver([playVideo(7, 0), problemCheck(7, 1)]);
    const res = await get(`tasks/oai:${REPO}:c1`);
    expect(res.body).toEqual({
      moocId: `oai:${REPO}:c1`,
      tasks: [
        { id: 'block-v1:OrgX+CS101+2026+type@problem+block@q1', type: 'http://adlnet.gov/expapi/activities/question', completedTimestamp: '2026-05-31T00:00:00' },
        { id: 'block-v1:OrgX+CS101+2026+type@video+block@0b9e39477cf34507a7a48f74be381fdd', type: 'http://activitystrea.ms/schema/1.0/video', completedTimestamp: '2026-05-31T00:00:00' },
      ],
    });
    expect(await get('tasks/nope')).toEqual({ status: 404, body: {} });
  });

  it('gives the tasks from the imported course structure, in course order, where there is one', async () => {
    await new CourseStore(t.database).put(fullCourse('c1', { platformCourseId: 'OrgX/CS101/2026', endDate: '2026-05-31' }));
    const block = (type: string, name: string) => `block-v1:OrgX+CS101+2026+type@${type}+block@${name}`;
    await t.database.query(
      `INSERT INTO course_blocks (course_key, block_id, category, parent_id, position, display_name) VALUES
         ($1, $2, 'course', NULL, 0, 'CS101'), ($1, $3, 'chapter', $2, 0, 'Week 1'), ($1, $4, 'video', $3, 1, 'Intro'),
         ($1, $5, 'problem', $3, 0, 'Quiz'), ($1, $6, 'about', $2, 1, 'About')`,
      [COURSE, block('course', 'course'), block('chapter', 'w1'), block('video', 'v1'), block('problem', 'q1'), block('about', 'a')],
    );
    const res = await get('tasks/c1');
    const when = '2026-05-31T00:00:00';
    expect(res.body).toEqual({
      moocId: `oai:${REPO}:c1`,
      tasks: [
        { id: block('chapter', 'w1'), type: 'http://adlnet.gov/expapi/activities/module', completedTimestamp: when },
        { id: block('problem', 'q1'), type: 'http://adlnet.gov/expapi/activities/question', completedTimestamp: when },
        { id: block('video', 'v1'), type: 'http://activitystrea.ms/schema/1.0/video', completedTimestamp: when },
      ],
    });
  });
});
