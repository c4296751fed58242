/**
 * OAI-PMH and ECO API benchmarks on PostgreSQL, over HTTP against the app in this
 * process: with N published courses, the time of the first and of the thousandth
 * ListRecords page (keyset paging: they should match) and records served per second at
 * page sizes 100 and 500; with M statements in the embedded LRS, the latency of
 * `/ecoapi/users/<id>/courses`.
 */
import { loadConfig } from '../src/config/index.js';
import { openDatabase, type Database } from '../src/db/connection.js';
import { runMigrations } from '../src/db/migrate.js';
import { EmbeddedStatementQuery } from '../src/lrs/server/statement-reader.js';
import { oaiProvider } from '../src/oai-pmh/routes.js';
import { accountActor, pseudonym } from '../src/xapi/ids.js';
import { createPostgresDatabase } from '../test/support/databases.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../test/support/embedded-lrs.js';
import { BENCH_DATABASE_URL } from './lrs-process.js';

const REPO = 'eco.example.org';
const LMS = 'https://lms.example.org/';
const KEY = 'bench-eco-key-0123456789abcdef';

function percentile(sorted: number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1));
}

async function serve(database: Database, pageSize: number): Promise<RunningLrs> {
  return startEmbeddedLrs(database, {
    bodyLimitBytes: 50 * 1024 * 1024,
    oai: await oaiProvider(database, loadConfig({ OAI_REPOSITORY_ID: REPO, OAI_PAGE_SIZE: String(pageSize) })),
    ecoApi: { keys: new Map([[KEY, 'bench']]), statements: new EmbeddedStatementQuery(database), repositoryId: REPO, edxLmsUrl: LMS, pseudonymSecret: 'bench-secret-0123456789abcdef' },
  });
}

/** Walks ListRecords; returns per-page times and the records served. */
async function harvest(origin: string, pages: number): Promise<{ times: number[]; records: number; seconds: number }> {
  const times: number[] = [];
  let records = 0;
  let url = `${origin}/oai?verb=ListRecords&metadataPrefix=oai_lom`;
  const started = performance.now();
  for (let i = 0; i < pages; i++) {
    const t = performance.now();
    const xml = await (await fetch(url)).text();
    times.push(performance.now() - t);
    records += xml.split('<record>').length - 1;
    const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(xml)?.[1];
    if (token === undefined) break;
    url = `${origin}/oai?verb=ListRecords&resumptionToken=${token}`;
  }
  return { times, records, seconds: (performance.now() - started) / 1000 };
}

/** Inserts `n` published courses in SQL, a second apart. */
async function seedCourses(database: Database, n: number): Promise<void> {
  await database.query(
    `INSERT INTO catalog_courses (id, platform, platform_course_id, titles, descriptions, languages, url, organisation, start_date, end_date, units,
       study_load_hours, typical_learning_time, interest_area, image_url, oai_status, datestamp)
     SELECT 'c' || lpad(i::text, 7, '0'), 'edx', 'course-v1:OrgX+C' || i || '+2026', jsonb_build_object('en', 'Course ' || i, 'es', 'Curso ' || i),
            jsonb_build_object('en', repeat('A course about many things. ', 10)), ARRAY['en', 'es'], 'https://lms.example.org/courses/c' || i,
            'OrgX University', date '2026-03-01', date '2026-05-31', 6, 4, 'PT24H', 'ECO:TS', 'https://lms.example.org/c.png', 'active',
            timestamptz '2025-01-01' + i * interval '1 second'
       FROM generate_series(1, $1::int) AS i`,
    [n],
  );
}

/** POSTs `total` statements of `learners` learners in one course, in batches of 500. */
async function seedStatements(origin: string, total: number, learners: number): Promise<void> {
  const auth = `Basic ${Buffer.from(`${LRS_USER.username}:${LRS_USER.password}`).toString('base64')}`;
  const homePage = LMS.replace(/\/$/, '');
  const names = Array.from({ length: learners }, (_, l) => pseudonym('bench-secret-0123456789abcdef', String(l)));
  for (let start = 0; start < total; start += 500) {
    const batch = Array.from({ length: Math.min(500, total - start) }, (_, k) => {
      const i = start + k;
      return {
        actor: accountActor(homePage, names[i % learners]!),
        verb: { id: 'https://w3id.org/xapi/video/verbs/played' },
        object: { id: `${LMS}xblock/block-v1:OrgX+C1+2026+type@video+block@v${i % 50}`, definition: { type: 'https://w3id.org/xapi/video/activity-type/video' } },
        context: { contextActivities: { parent: [{ id: `${LMS}courses/course-v1:OrgX+C1+2026` }] } },
        timestamp: new Date(Date.UTC(2026, 2, 1) + i * 1000).toISOString(),
      };
    });
    const res = await fetch(`${origin}/xapi/statements`, { method: 'POST', headers: { authorization: auth, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    if (!res.ok) throw new Error(`seeding statements: HTTP ${res.status}`);
  }
}

/** Runs the OAI-PMH and ECO API benchmarks. */
export async function benchOai(courses: number, statements: number): Promise<Record<string, unknown>> {
  const created = await createPostgresDatabase(BENCH_DATABASE_URL);
  const database = await openDatabase({ url: created.url });
  const results: Record<string, unknown> = { courses, statements };
  try {
    await runMigrations(database);
    await seedCourses(database, courses);
    await database.query('ANALYZE');
    for (const pageSize of [100, 500]) {
      const app = await serve(database, pageSize);
      try {
        const pages = Math.min(1000, Math.ceil(courses / pageSize));
        const run = await harvest(app.origin, pages);
        results[`pageSize${pageSize}`] = {
          firstPageMs: Number(run.times[0]!.toFixed(1)),
          firstTenMeanMs: Number((run.times.slice(0, 10).reduce((a, b) => a + b, 0) / 10).toFixed(1)),
          lastTenMeanMs: Number((run.times.slice(-10).reduce((a, b) => a + b, 0) / 10).toFixed(1)),
          pages: run.times.length,
          recordsPerSecond: Math.round(run.records / run.seconds),
        };
        console.error(`ListRecords at page size ${pageSize}: ${JSON.stringify(results[`pageSize${pageSize}`])}`);
      } finally {
        await app.close();
      }
    }
    const app = await serve(database, 100);
    try {
      const learners = Math.max(1, Math.floor(statements / 200));
      await seedStatements(app.origin, statements, learners);
      const sampled = Math.min(200, learners);
      await database.query(`INSERT INTO identity_links (platform, platform_user_id, eco_user_id) SELECT 'edx', g::text, 'eco-' || g FROM generate_series(0, $1::int - 1) g`, [sampled]);
      const times: number[] = [];
      for (let l = 0; l < sampled; l++) {
        const t = performance.now();
        const res = await fetch(`${app.origin}/ecoapi/users/eco-${l}/courses`, { headers: { authorization: `Bearer ${KEY}` } });
        const body = (await res.json()) as { viewCount: number }[];
        times.push(performance.now() - t);
        if (body.length !== 1 || body[0]!.viewCount === 0) throw new Error(`users/eco-${l}/courses gave ${JSON.stringify(body)}`);
      }
      times.sort((a, b) => a - b);
      results.ecoUserCoursesMs = { p50: percentile(times, 50), p95: percentile(times, 95), statementsPerLearner: Math.round(statements / learners) };
      console.error(`users/<id>/courses: ${JSON.stringify(results.ecoUserCoursesMs)}`);
    } finally {
      await app.close();
    }
    return results;
  } finally {
    await database.close();
    await created.drop();
  }
}
