/**
 * `sample load`: the made-up data of `sample/` (an edX tracking log, a Coursera export, a
 * FutureLearn run and a catalogue of four courses) into the configured database, through
 * the same pipelines and course store as `import` and the admin API, then flushed to the
 * LRS, so that the reports, the OAI feed and the dashboard show something on a fresh
 * install. Statement ids are deterministic, so a second load adds nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CourseStore } from '../../catalog/courses.js';
import { PACKAGE_ROOT } from '../../package-root.js';
import { importCoursera } from '../../pipelines/coursera.js';
import { importEdx } from '../../pipelines/edx.js';
import { importFutureLearn } from '../../pipelines/futurelearn.js';
import type { FlushSummary } from '../../lrs/delivery-stats.js';
import type { ImportResult } from '../../lrs/import-run.js';
import { withContext, type CliIo } from '../context.js';
import { flushOnce } from '../flush.js';
import { FLUSHES, printSummary, RUNS, type ImportSummary, type SummaryKind, type SummaryOptions } from '../summaries.js';

/** Where the sample lives in the installed package, whatever the working directory. */
export const SAMPLE_ROOT = join(PACKAGE_ROOT, 'sample');

/** The courses of the sample, as its reports and feed name them. */
export const SAMPLE = {
  edxCourse: 'course-v1:SampleU+DS101+2026_T1',
  courseraCourse: 'sample-python',
  futurelearnCourse: 'sample-climate',
  futurelearnRun: '1',
} as const;

/**
 * Settings the sample needs, used only when unset: its edX events come from this LMS
 * (made up), and the edX reports of the sample need the same EDX_LMS_URL when serving.
 */
const SAMPLE_SETTINGS: Readonly<Record<string, string>> = { EDX_LMS_URL: 'https://lms.example.org/' };

const EDX_LOG = join(SAMPLE_ROOT, 'edx');
const COURSERA_EXPORT = join(SAMPLE_ROOT, 'coursera', SAMPLE.courseraCourse);
const FUTURELEARN_RUN = join(SAMPLE_ROOT, 'futurelearn', 'sample-university', SAMPLE.futurelearnCourse, '1 - 2026-01-05 - 2026-01-19');

/** The env of the load: the sample's settings where the caller's are unset (an empty value counts as unset). */
function sampleEnv(env: CliIo['env']): CliIo['env'] {
  const defaults = Object.entries(SAMPLE_SETTINGS).filter(([name]) => !env[name]);
  return { ...env, ...Object.fromEntries(defaults) };
}

/** What a load did: the catalogue, each import, the flush, and the addresses to open next. */
interface SampleSummary {
  catalogue: { courses: number; created: number };
  edx: ImportSummary;
  coursera: ImportSummary;
  futurelearn: ImportSummary;
  flush: FlushSummary;
  /** The sample's settings this load defaulted, as NAME=value. */
  defaulted: string[];
  next: { oai: string; edxReport: string; courseraReport: string; dashboard: string };
}

const run = ({ runId, summary }: ImportResult): ImportSummary => ({ runId, ...summary });

/** The short text of a load: one block per part, then what to open next. */
const SAMPLE_LOADS: SummaryKind<SampleSummary> = {
  text: (s) =>
    [
      `catalogue: ${s.catalogue.courses} courses (${s.catalogue.created} new)`,
      `edX: ${RUNS.text(s.edx)}`,
      `Coursera: ${RUNS.text(s.coursera)}`,
      `FutureLearn: ${RUNS.text(s.futurelearn)}`,
      `flush: ${FLUSHES.text(s.flush)}`,
      ...(s.defaulted.length === 0 ? [] : [`for the sample only, defaulted: ${s.defaulted.join(' ')} (serve with it too, e.g. in .env, for the edX reports)`]),
      'next: start the service (npm start) with ADMIN_TOKEN set, then open',
      `  OAI feed:      ${s.next.oai}`,
      `  edX report:    curl -H "Authorization: Bearer $ADMIN_TOKEN" '${s.next.edxReport}'`,
      `  Coursera CSV:  curl -H "Authorization: Bearer $ADMIN_TOKEN" ${s.next.courseraReport}`,
      `  dashboard:     ${s.next.dashboard} (user admin, password ADMIN_TOKEN)`,
    ].join('\n'),
};

/** Loads the sample (catalogue, three imports, flush) and prints what it did and what to open next. */
export function load(io: CliIo, opts: SummaryOptions): Promise<void> {
  const env = sampleEnv(io.env);
  return withContext({ ...io, env }, async (ctx) => {
    const courses = new CourseStore(ctx.database);
    const records = JSON.parse(await readFile(join(SAMPLE_ROOT, 'catalogue.json'), 'utf8')) as unknown[];
    let created = 0;
    for (const record of records) if ((await courses.put(record)).created) created += 1;
    const edx = run(await importEdx({ paths: [EDX_LOG], courses: [SAMPLE.edxCourse] }, ctx));
    const coursera = run(await importCoursera({ paths: [COURSERA_EXPORT] }, ctx));
    const futurelearn = run(await importFutureLearn({ paths: [FUTURELEARN_RUN] }, ctx));
    const flush = await flushOnce(ctx.config, ctx);
    const base = `http://localhost:${ctx.config.port}`;
    const summary: SampleSummary = {
      catalogue: { courses: records.length, created },
      edx, coursera, futurelearn, flush,
      defaulted: Object.keys(SAMPLE_SETTINGS).filter((name) => !io.env[name]).map((name) => `${name}=${env[name]}`),
      next: {
        oai: `${base}/oai?verb=ListRecords&metadataPrefix=oai_dc`,
        edxReport: `${base}/reports/edx/summary?course=${encodeURIComponent(SAMPLE.edxCourse)}`,
        courseraReport: `${base}/reports/coursera/${SAMPLE.courseraCourse}/indicators.csv`,
        dashboard: `${base}/reports/futurelearn/${SAMPLE.futurelearnCourse}/${SAMPLE.futurelearnRun}`,
      },
    };
    printSummary(io, opts, summary, SAMPLE_LOADS);
  });
}
