import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullCoursera, type CourseraPullSummary } from '../../../src/pipelines/coursera-pull.js';
import { loadConfig } from '../../../src/config/index.js';
import { LrsClient } from '../../../src/lrs/client.js';
import { DeliveryStats } from '../../../src/lrs/delivery-stats.js';
import { Flusher } from '../../../src/lrs/flusher.js';
import { Outbox } from '../../../src/lrs/outbox.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { CourseraIndicatorService } from '../../../src/reports/coursera/course-indicators.js';
import { putCourseSettings } from '../../../src/reports/coursera/course-settings.js';
import type { ScaledIndicator } from '../../../src/reports/coursera/scaling.js';
import { courseraIri } from '../../../src/translators/coursera/iris.js';
import { pseudonym } from '../../../src/xapi/ids.js';
import { EXT, VERB } from '../../../src/xapi/vocabulary.js';
import { startFakeCoursera, type FakeCoursera } from '../../fakes/coursera.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { LRS_USER, startEmbeddedLrs } from '../../support/embedded-lrs.js';

const TOKEN = 'coursera-e2e-token-0123456789';
const SECRET = 'coursera-e2e-pseudonym-secret-0123';
const COURSE = 'course-abc';
const FIXTURE = new URL('../../fixtures/coursera/course-abc/', import.meta.url).pathname;
const silent = pino({ level: 'silent' });

/** The hand-built course of test/fixtures/coursera as the fake serves it: its tables zipped, its clickstream day gzipped. */
async function fixtureContent(): Promise<{ tables: Record<string, string>; clicks: string[] }> {
  const tables: Record<string, string> = {};
  for (const name of await readdir(join(FIXTURE, 'tables'))) tables[name] = await readFile(join(FIXTURE, 'tables', name), 'utf8');
  const clicks = (await readFile(join(FIXTURE, 'clickstream', 'access-2026-09-14.csv'), 'utf8')).split('\n').filter(Boolean);
  return { tables, clicks };
}

describe.each(DATABASE_KINDS)('the scheduled Coursera pull, end to end, on %s', (kind) => {
  let t: TestDatabase;
  let dir: string;
  let fake: FakeCoursera;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'coursera-e2e-'));
    const { tables, clicks } = await fixtureContent();
    fake = await startFakeCoursera({ token: TOKEN, tables: { [COURSE]: tables }, clickstream: { [COURSE]: { '2026-09-14': clicks } } });
  });
  afterEach(async () => {
    await fake.close();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('requests, polls, downloads, imports and delivers the exports; the indicators come from the delivered statements', async () => {
    const config = loadConfig({
      COURSERA_TOKEN: TOKEN, COURSERA_API_URL: fake.baseUrl, COURSERA_COURSE_IDS: COURSE, COURSERA_EXPORT_DIR: dir, PSEUDONYM_SECRET: SECRET,
    });
    const outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    const pull = () => pullCoursera({ config, database: t.database, outbox, logger: silent, today: '2026-09-15' });

    // Jobs move one state per poll: the first pull requests them, a later one finds them done and imports.
    const pulls: CourseraPullSummary[] = [await pull()];
    expect(pulls[0]).toMatchObject({ requested: 2, pending: 2, imported: [], errors: [] });
    while (pulls.at(-1)!.imported.length === 0 && pulls.length < 5) pulls.push(await pull());
    const done = pulls.at(-1)!;
    expect(done).toMatchObject({ requested: 0, errors: [] });
    // Tables first, so that the clickstream finds the course structure.
    expect(done.imported.map((i) => i.kind)).toEqual(['tables', 'clickstream']);
    const [tablesRun, clickRun] = done.imported.map((i) => i.summary);
    expect(tablesRun).toMatchObject({ rejected: 0 });
    expect(tablesRun!.statements).toBeGreaterThan(10);
    // Six rows: four page views of the course, one page outside it and one event that is no page view.
    expect(clickRun).toMatchObject({ read: 6, statements: 4, ignored: 2, rejected: 0 });

    // A later pull on the same day asks for nothing and imports nothing again.
    const again = await pull();
    expect(again).toMatchObject({ requested: 0, imported: [], errors: [] });
    expect(fake.count('create')).toBe(2);

    const lrs = await startEmbeddedLrs(t.database);
    try {
      const client = new LrsClient({ endpoint: lrs.endpoint, ...LRS_USER, timeoutMs: 10_000 });
      const flushed = await new Flusher({ outbox, client, stats: new DeliveryStats(), logger: silent, batchSize: 100, leaseSeconds: 30 }).flushUntilIdle();
      expect(flushed.sent).toBe(tablesRun!.statements + clickRun!.statements);
    } finally {
      await lrs.close();
    }

    // The clickstream (of 09-14) took the course structure from the tables export (of 09-15).
    const views = await new EmbeddedStatementQuery(t.database).page({ verb: VERB.viewed.id, activity: courseraIri.item(COURSE, 'lec01') });
    expect(views.statements).toHaveLength(1);
    expect(views.statements[0]!.context?.extensions).toMatchObject({ [EXT.itemType]: 'lecture', [EXT.moduleIndex]: 1, [EXT.sessionId]: 'sess-1' });

    await putCourseSettings(t.database, COURSE, { cohortStart: '2026-09-07', moduleLengthDays: 7, gradeWeights: {}, maxima: {} });
    const service = new CourseraIndicatorService({ database: t.database, statements: new EmbeddedStatementQuery(t.database) });
    const result = await service.courseIndicators(COURSE, new Date('2026-09-30T00:00:00Z'));
    const of = (learner: string) => {
      const found = result.learners.find((l) => l.learner === pseudonym(SECRET, learner));
      expect(found, learner).toBeDefined();
      return new Map(found!.indicators.map((i): [number, ScaledIndicator] => [i.indicator, i]));
    };
    const a = of('learner-a');
    const b = of('learner-b');
    const c = of('learner-c');
    // learner-a completed lec01 on 09-07 08:10 and opened it again on 09-14: 1 of 1 reviewed.
    expect(a.get(1)).toMatchObject({ value: 100, absolute_value: 1, total: 1, scaled_value: 10 });
    // Started and completed on the same day.
    expect(a.get(3)).toMatchObject({ value: 100, absolute_value: 1, total: 1 });
    // learner-a asked q1 and answered in it (own thread); posts (2) outnumber forum visits (1):
    // (0.5·1 + 0.2·1 + 0.3·0) / 2 = 0.35.
    expect(a.get(2)!.value).toBeCloseTo(0.35, 10);
    // learner-b asked q2 and answered in a1's thread q1, not their own: (0.5 + 0.3) / 2 = 0.4.
    expect(b.get(2)!.value).toBeCloseTo(0.4, 10);
    // The items the statements name: lec01, qz001 (module 1) and peer1 (module 2), all open by 09-30.
    expect(a.get(7)).toMatchObject({ absolute_value: 1, total: 3 });
    // learner-c completed the one peer assignment.
    expect(c.get(9)).toMatchObject({ value: 100, absolute_value: 1, total: 1 });
    // Every scored item weighs 1: qz001 (b: 0.8) and peer1 (c: 0.4).
    expect(b.get(12)!.value).toBeCloseTo(40, 10);
    expect(c.get(12)!.value).toBeCloseTo(20, 10);
    expect(a.get(12)!.value).toBe(0);
  });
});
