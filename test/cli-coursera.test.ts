import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertIdentityLinks } from '../src/catalog/identity-links.js';
import { importCourseraExport } from '../src/pipelines/coursera.js';
import { importRuns, rejectedRecords, statementOutbox } from '../src/lrs/schema.js';
import { Outbox } from '../src/lrs/outbox.js';
import { pseudonym } from '../src/xapi/ids.js';
import type { Statement } from '../src/xapi/types.js';
import { validateStatement } from '../src/xapi/validate.js';
import { EXT } from '../src/xapi/vocabulary.js';
import { runCli } from './support/cli.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases.js';

const SECRET = 'coursera-cli-test-pseudonym-secret';
const FIXTURE = new URL('./fixtures/coursera/course-abc', import.meta.url).pathname;

/** What the fixture export gives: 19 statements from 42 rows, nothing rejected. */
const FIXTURE_SUMMARY = {
  read: 42, translated: 19, statements: 19, ignored: 23, rejected: 0,
  byType: {
    course_modules: { translated: 0, ignored: 2, rejected: 0 },
    course_lessons: { translated: 0, ignored: 4, rejected: 0 },
    course_items: { translated: 0, ignored: 6, rejected: 0 },
    course_item_types: { translated: 0, ignored: 5, rejected: 0 },
    users: { translated: 0, ignored: 3, rejected: 0 },
    course_progress: { translated: 4, ignored: 0, rejected: 0 },
    course_item_grades: { translated: 2, ignored: 0, rejected: 0 },
    course_grades: { translated: 1, ignored: 0, rejected: 0 },
    course_memberships: { translated: 3, ignored: 1, rejected: 0 },
    discussion_questions: { translated: 2, ignored: 0, rejected: 0 },
    discussion_answers: { translated: 2, ignored: 0, rejected: 0 },
    peer_comments: { translated: 1, ignored: 0, rejected: 0 },
    'clickstream:lecture': { translated: 1, ignored: 0, rejected: 0 },
    'clickstream:quiz': { translated: 1, ignored: 0, rejected: 0 },
    'clickstream:discussions': { translated: 1, ignored: 0, rejected: 0 },
    'clickstream:page': { translated: 1, ignored: 0, rejected: 0 },
    'clickstream:outside-course': { translated: 0, ignored: 1, rejected: 0 },
    'clickstream:key:open_course_home.view': { translated: 0, ignored: 1, rejected: 0 },
  },
  errors: [],
};

/** Words of the fixture that are names, emails, free text or profile data: none may reach a statement. */
const PERSONAL = ['learner-a', 'learner-b', 'learner-c', 'alice@example.org', 'Why, though', 'Nice work', 'Intro video', 'Reading', 'Thanks, agreed', 'female', 'iphash', 'Mozilla', 'Amsterdam'];

describe.each(DATABASE_KINDS)('importCourseraExport on %s', (kind) => {
  let t: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'xgw-cli-coursera-'));
  });
  afterEach(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const importExport = (path: string, courseId?: string) =>
    importCourseraExport({ database: t.database, outbox: new Outbox(t.database, { baseMs: 10, maxMs: 10, maxAttempts: 3 }), secret: SECRET, path, ...(courseId && { courseId }) });

  it('imports a small export into the outbox, counting by table and page type, and adds nothing the second time', async () => {
    const first = await importExport(FIXTURE);
    expect(first.summary).toEqual({ ...FIXTURE_SUMMARY, added: 19, known: 0 });
    const rows = await t.database.db.select({ statement: statementOutbox.statement, source: statementOutbox.source }).from(statementOutbox);
    expect(rows).toHaveLength(19);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['coursera']));
    const text = JSON.stringify(rows);
    for (const word of PERSONAL) expect(text).not.toContain(word);
    const [run] = await t.database.db.select().from(importRuns).where(eq(importRuns.id, first.runId));
    expect(run).toMatchObject({ source: 'coursera', input: FIXTURE, status: 'finished' });

    const second = await importExport(FIXTURE);
    expect(second.summary).toMatchObject({ statements: 19, added: 0, known: 19 });
  });

  it('names a linked learner by the ECO user id', async () => {
    await upsertIdentityLinks(t.database, [{ platform: 'coursera', platformUserId: 'learner-a', ecoUserId: 'eco-user-7' }]);
    await importExport(FIXTURE);
    const names = (await t.database.db.select({ statement: statementOutbox.statement }).from(statementOutbox)).map((r) => (r.statement as Statement).actor.account?.name);
    expect(names).toContain('eco-user-7');
    expect(names).toContain(pseudonym(SECRET, 'learner-b'));
    expect(names).not.toContain(pseudonym(SECRET, 'learner-a'));
  });

  it('stores each bad row in rejected_records at its file and line, and imports the rest', async () => {
    await cp(FIXTURE, dir, { recursive: true });
    const progress = join(dir, 'tables', 'course_progress.csv');
    await writeFile(progress, 'course_id,course_item_id,erasmus_user_id,course_progress_state_type_id,course_progress_ts\ncourse-abc,lec01,learner-a,2,not a time\ncourse-abc,lec01,learner-b,2,2026-09-07 08:00:00\n');
    const { runId, summary } = await importExport(dir);
    expect(summary.byType.course_progress).toEqual({ translated: 1, ignored: 0, rejected: 1 });
    expect(summary.errors).toEqual([{ at: `${progress}:2`, reason: expect.stringMatching(/^bad value in course_progress_ts/) }]);
    const rejected = await t.database.db.select().from(rejectedRecords).where(eq(rejectedRecords.runId, runId));
    expect(rejected).toEqual([expect.objectContaining({ source: 'coursera', position: `${progress}:2`, code: 'bad_value' })]);
  });

  it('takes the course of clickstream rows from the folder layout <courseId>/<day>/ when there are no structure tables', async () => {
    const day = join(dir, 'course-xyz', '2026-09-14');
    await mkdir(day, { recursive: true });
    await cp(join(FIXTURE, 'clickstream'), day, { recursive: true });
    const { summary } = await importExport(day);
    expect(summary).toMatchObject({ translated: 4, rejected: 0 });
    const objects = (await t.database.db.select({ statement: statementOutbox.statement }).from(statementOutbox)).map((r) => ((r.statement as Statement).object as { id: string }).id);
    expect(objects.every((id) => id.startsWith('https://www.coursera.org/courses/course-xyz/'))).toBe(true);
    // The course given by the caller wins.
    const given = await importExport(day, 'course-given');
    expect(given.summary.added).toBe(4);
  });

  it('gives clickstream views of a clickstream/ folder the item positions of the tables/ folder beside it', async () => {
    const day = join(dir, 'course-abc', '2026-09-14');
    await cp(FIXTURE, day, { recursive: true });
    const { summary } = await importExport(join(day, 'clickstream'), 'course-abc');
    expect(summary).toMatchObject({ read: 6, translated: 4, rejected: 0 });
    const views = (await t.database.db.select({ statement: statementOutbox.statement }).from(statementOutbox)).map((r) => r.statement as Statement);
    const lecture = views.find((s) => s.context?.extensions?.[EXT.sourceType] === 'clickstream:lecture')!;
    expect(lecture.context?.extensions).toMatchObject({ [EXT.moduleIndex]: 1, [EXT.lessonIndex]: 1, [EXT.itemIndex]: 1, [EXT.itemType]: 'lecture' });
  });
});

describe('the coursera commands', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-cli-coursera-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('translate coursera writes valid NDJSON statements to stdout and the summary to stderr', async () => {
    const run = await runCli(['translate', 'coursera', FIXTURE, '--json'], { PSEUDONYM_SECRET: SECRET });
    expect(run.code).toBe(0);
    const statements = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Statement);
    expect(statements).toHaveLength(19);
    for (const s of statements) expect(validateStatement(s)).toEqual([]);
    expect(new Set(statements.map((s) => s.id)).size).toBe(19);
    const view = statements.find((s) => s.context?.extensions?.[EXT.sourceType] === 'clickstream:lecture')!;
    expect(view.context?.extensions).toMatchObject({ [EXT.sessionId]: 'sess-1', [EXT.moduleIndex]: 1, [EXT.itemType]: 'lecture' });
    for (const word of PERSONAL) expect(run.stdout).not.toContain(word);
    expect(JSON.parse(run.stderr.trim().split('\n').at(-1)!)).toEqual(FIXTURE_SUMMARY);

    const again = await runCli(['translate', 'coursera', FIXTURE, '--json'], { PSEUDONYM_SECRET: SECRET });
    expect(again.stdout).toBe(run.stdout);
  });

  it('import coursera imports into the database of DATA_DIR and prints the run', async () => {
    const run = await runCli(['import', 'coursera', FIXTURE, '--course', 'course-abc', '--json'], { PSEUDONYM_SECRET: SECRET, DATA_DIR: join(dir, 'data') });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ runId: expect.any(Number), read: 42, statements: 19, added: 19, rejected: 0 });
  });

  it('stops with a one-line reason for a missing export, and for translate without PSEUDONYM_SECRET', async () => {
    const missing = await runCli(['translate', 'coursera', join(dir, 'nope')], { PSEUDONYM_SECRET: SECRET });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^xapi-gateway translate coursera: no such file or folder/)]);
    expect(missing.stdout).toBe('');
    const noSecret = await runCli(['translate', 'coursera', FIXTURE], {});
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr.trim()).toMatch(/^xapi-gateway translate coursera: .*PSEUDONYM_SECRET/);
  });
});
