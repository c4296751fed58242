import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertIdentityLinks } from '../src/catalog/identity-links.js';
import { importFutureLearnRun } from '../src/pipelines/futurelearn.js';
import { futurelearnVideoStats } from '../src/ingest/futurelearn/schema.js';
import { importRuns, rejectedRecords, statementOutbox } from '../src/lrs/schema.js';
import { learnerProfiles } from '../src/ingest/schema.js';
import { Outbox } from '../src/lrs/outbox.js';
import { pseudonym } from '../src/xapi/ids.js';
import type { Statement } from '../src/xapi/types.js';
import { validateStatement } from '../src/xapi/validate.js';
import { EXT } from '../src/xapi/vocabulary.js';
import { runCli } from './support/cli.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases.js';

const SECRET = 'futurelearn-cli-test-pseudonym-secret';
const ROOT = new URL('./fixtures/futurelearn', import.meta.url).pathname;
const RUN = join(ROOT, 'uni-x', 'climate-change', '3 - 2026-01-05 - 2026-01-19');

/** What the fixture run gives: 41 statements from 35 rows, nothing rejected. */
const FIXTURE_SUMMARY = {
  read: 35, translated: 28, statements: 41, ignored: 7, rejected: 0,
  byType: {
    'archetype-survey-responses': { translated: 0, ignored: 1, rejected: 0 },
    comments: { translated: 4, ignored: 0, rejected: 0 },
    enrolments: { translated: 4, ignored: 1, rejected: 0 },
    'leaving-survey-responses': { translated: 1, ignored: 0, rejected: 0 },
    'peer-review-assignments': { translated: 1, ignored: 1, rejected: 0 },
    'peer-review-reviews': { translated: 1, ignored: 0, rejected: 0 },
    'question-response': { translated: 5, ignored: 0, rejected: 0 },
    'step-activity': { translated: 12, ignored: 0, rejected: 0 },
    'team-members': { translated: 0, ignored: 1, rejected: 0 },
    'video-stats': { translated: 0, ignored: 2, rejected: 0 },
    'weekly-sentiment-survey-responses': { translated: 0, ignored: 1, rejected: 0 },
  },
  errors: [],
};

/** Learner ids, texts, names and demographics of the fixture: none may reach a statement. */
const PERSONAL = [
  'l-aaaa1111', 'l-bbbb2222', 'e-eeee5555', 'Interesting article', 'feedback loops', 'climate\\\\', 'cut emissions', 'Clear plan', 'Maybe add costs',
  'Vitalisers', 'Great week', 'Edna', 'female', 'teaching_and_education', 'Welcome to the course',
];

describe.each(DATABASE_KINDS)('importFutureLearnRun on %s', (kind) => {
  let t: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'xgw-cli-futurelearn-'));
  });
  afterEach(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const importRun = (path: string) => importFutureLearnRun({ database: t.database, outbox: new Outbox(t.database, { baseMs: 10, maxMs: 10, maxAttempts: 3 }), secret: SECRET, path });

  it('imports a run folder into the outbox, counting by dataset, and adds nothing the second time', async () => {
    const first = await importRun(RUN);
    expect(first.summary).toEqual({ ...FIXTURE_SUMMARY, added: 41, known: 0 });
    const rows = await t.database.db.select({ statement: statementOutbox.statement, source: statementOutbox.source }).from(statementOutbox);
    expect(rows).toHaveLength(41);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['futurelearn']));
    const text = JSON.stringify(rows);
    for (const word of PERSONAL) expect(text).not.toContain(word);
    const [run] = await t.database.db.select().from(importRuns).where(eq(importRuns.id, first.runId));
    expect(run).toMatchObject({ source: 'futurelearn', input: RUN, status: 'finished' });

    const second = await importRun(RUN);
    expect(second.summary).toMatchObject({ statements: 41, added: 0, known: 41 });
    expect(await t.database.db.select().from(learnerProfiles)).toHaveLength(3);
    expect(await t.database.db.select().from(futurelearnVideoStats)).toHaveLength(2);
  });

  it('keeps the demographics of learner enrolments in learner_profiles, keyed by the pseudonym', async () => {
    await importRun(RUN);
    const profiles = await t.database.db.select().from(learnerProfiles);
    const byLearner = new Map(profiles.map((p) => [p.learner, p]));
    expect(profiles.every((p) => p.platform === 'futurelearn')).toBe(true);
    // The educator and the learner with no demographics have none.
    expect(new Set(byLearner.keys())).toEqual(new Set(['l-aaaa1111', 'l-bbbb2222', 'l-cccc3333'].map((id) => pseudonym(SECRET, id))));
    expect(byLearner.get(pseudonym(SECRET, 'l-aaaa1111'))).toMatchObject({
      gender: 'female', country: 'NL', ageRange: '26-35', levelOfEducation: 'university_degree', employmentStatus: 'working_full_time',
      employmentArea: 'teaching_and_education', detectedCountry: 'NL', yearOfBirth: null, city: null,
    });
    expect(byLearner.get(pseudonym(SECRET, 'l-cccc3333'))).toMatchObject({ gender: 'Unknown', detectedCountry: 'FR' });
  });

  it('names a learner linked to an ECO user by the ECO user id', async () => {
    await upsertIdentityLinks(t.database, [{ platform: 'futurelearn', platformUserId: 'l-aaaa1111', ecoUserId: 'eco-user-9' }]);
    await importRun(RUN);
    const names = (await t.database.db.select({ statement: statementOutbox.statement }).from(statementOutbox)).map((r) => (r.statement as Statement).actor.account?.name);
    expect(names).toContain('eco-user-9');
    expect(names).toContain(pseudonym(SECRET, 'l-bbbb2222'));
    expect(names).not.toContain(pseudonym(SECRET, 'l-aaaa1111'));
  });

  it('keeps video figures in futurelearn_video_stats, every column in stats', async () => {
    await importRun(RUN);
    const videos = await t.database.db.select().from(futurelearnVideoStats).orderBy(futurelearnVideoStats.stepPosition);
    expect(videos).toEqual([
      expect.objectContaining({ course: 'climate-change', run: '3', stepPosition: '1.1', title: 'Welcome to the course', videoDurationSeconds: 183, totalViews: 4 }),
      expect.objectContaining({ course: 'climate-change', run: '3', stepPosition: '2.1', title: 'What is a carbon budget?', videoDurationSeconds: 246, totalViews: 2 }),
    ]);
    expect(videos[0]!.stats).toMatchObject({ step_position: '1.1', total_downloads: '0', viewed_hd: '50.0' });
  });

  it('stores each bad row in rejected_records at its file and line, and imports the rest', async () => {
    const copy = join(dir, 'uni-x', 'climate-change', '3 - 2026-01-05 - 2026-01-19');
    await cp(RUN, copy, { recursive: true });
    const steps = join(copy, 'step-activity.csv');
    await writeFile(steps, 'learner_id,step,week_number,step_number,first_visited_at,last_completed_at\nl-aaaa1111,1.1,1,1,not a time,\nl-bbbb2222,1.1,1,1,2026-01-06 10:00:00 UTC,\n');
    const { runId, summary } = await importRun(dir);
    expect(summary.byType['step-activity']).toEqual({ translated: 1, ignored: 0, rejected: 1 });
    expect(summary.errors).toEqual([{ at: `${steps}:2`, reason: expect.stringMatching(/^bad value in first_visited_at/) }]);
    const rejected = await t.database.db.select().from(rejectedRecords).where(eq(rejectedRecords.runId, runId));
    expect(rejected).toEqual([expect.objectContaining({ source: 'futurelearn', position: `${steps}:2`, code: 'bad_value' })]);
  });
});

describe('the futurelearn commands', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-cli-futurelearn-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('translate futurelearn writes valid NDJSON statements to stdout and the summary to stderr', async () => {
    const run = await runCli(['translate', 'futurelearn', RUN, '--json'], { PSEUDONYM_SECRET: SECRET });
    expect(run.code).toBe(0);
    const statements = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Statement);
    expect(statements).toHaveLength(41);
    for (const s of statements) expect(validateStatement(s)).toEqual([]);
    expect(new Set(statements.map((s) => s.id)).size).toBe(41);
    const completed = statements.filter((s) => s.context?.extensions?.[EXT.sourceType] === 'step-activity' && s.verb.id.endsWith('/completed'));
    expect(completed).toHaveLength(10);
    for (const word of PERSONAL) expect(run.stdout).not.toContain(word);
    expect(JSON.parse(run.stderr.trim().split('\n').at(-1)!)).toEqual(FIXTURE_SUMMARY);

    const again = await runCli(['translate', 'futurelearn', RUN, '--json'], { PSEUDONYM_SECRET: SECRET });
    expect(again.stdout).toBe(run.stdout);
  });

  it('import futurelearn imports a data root into the database of DATA_DIR and prints the run', async () => {
    const run = await runCli(['import', 'futurelearn', ROOT, '--json'], { PSEUDONYM_SECRET: SECRET, DATA_DIR: join(dir, 'data') });
    expect(run.code).toBe(0);
    // Both runs of the fixtures: run 3, and run 1 with older headers (7 rows, 10 statements).
    expect(JSON.parse(run.stdout)).toMatchObject({ runId: expect.any(Number), read: 42, statements: 51, added: 51, rejected: 0 });
  });

  it('stops with a one-line reason for a missing path, and for translate without PSEUDONYM_SECRET', async () => {
    const missing = await runCli(['translate', 'futurelearn', join(dir, 'nope')], { PSEUDONYM_SECRET: SECRET });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^xapi-gateway translate futurelearn: no such file or folder/)]);
    expect(missing.stdout).toBe('');
    const noSecret = await runCli(['translate', 'futurelearn', RUN], {});
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr.trim()).toMatch(/^xapi-gateway translate futurelearn: .*PSEUDONYM_SECRET/);
  });
});
