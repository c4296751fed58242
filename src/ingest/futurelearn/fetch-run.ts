/**
 * One fetch of an organisation's FutureLearn datasets: sign in, read the admin course
 * list, and for every run that has started read its stats dashboard and bring each
 * dataset's file up to date in
 * `<dataDir>/<organisation>/<course>/<run> - <start> - <end>/<dataset>.csv`.
 *
 * A failed download is reported and the others go on. A page whose structure changed
 * ends the run (every other page would be misread too), keeping every file on disk.
 * Every run folder gets `metadata.csv` (run-metadata.ts). `update.txt` (the old scraper's
 * name) and `updated.txt` (deprecated, kept for a release) hold the start time of the last
 * complete fetch only, so a consumer can tell how fresh the whole folder is. Run it under
 * `ADVISORY_LOCKS.futurelearnPull`: two runs at once would write the same files.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { FutureLearnPageError, parseCourseList, parseStatsDashboard, type CourseRun } from './admin-pages.js';
import { downloadDataset, type KnownVersion } from './dataset-file.js';
import { FutureLearnHttpError, FutureLearnSession, type SessionOptions } from './session.js';
import { FutureLearnSignInError, SIGN_IN_PATH, signIn } from './sign-in.js';
import { RUN_METADATA_FILE, runEndDay, runMetadataCsv } from './run-metadata.js';

/** Inputs of a fetch. */
export interface FutureLearnFetchOptions {
  /** The site base, ending in `/` (FUTURELEARN_URL). */
  baseUrl: string;
  email: string;
  /** Secret: sent in the sign-in form only. */
  password: string;
  /** The organisation slug of the admin pages, also the institution folder. */
  organisation: string;
  /** FUTURELEARN_DATA_DIR. */
  dataDir: string;
  logger?: Logger;
  /** The clock, for `update.txt`. */
  now?: () => Date;
  /** Timeout, attempts and backoff of every request (tests shorten the backoff). */
  http?: Omit<SessionOptions, 'baseUrl'>;
  /** Limit of one dataset download (default 10 min: step-activity files are big). */
  downloadTimeoutMs?: number;
}

/** Something that went wrong, at a page or dataset path. */
export interface FutureLearnFetchError {
  at: string;
  /** The error's code: `page_changed` and `sign_in_failed` ended the run. */
  code: string;
  reason: string;
}

/** What a fetch did, counted. */
export interface FutureLearnFetchSummary {
  courses: number;
  runs: number;
  /** Runs not fetched: upcoming, so without data yet. */
  skipped: number;
  /** Datasets listed by the dashboards read. */
  datasets: number;
  downloaded: number;
  unchanged: number;
  failed: number;
  errors: FutureLearnFetchError[];
  /** Run folders (absolute) where a file changed: the ones to import. */
  changedRuns: string[];
  /** Whether every page and dataset was read, so `update.txt` was written. */
  complete: boolean;
}

// Only plain names become folders: the organisation comes from configuration, slugs from pages.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const VERSIONS_FILE = '.etags.json';
/** The last complete fetch's time: `update.txt` as the old scraper named it, and `updated.txt` (deprecated, issue 24: kept for one release). */
const UPDATE_FILES = ['update.txt', 'updated.txt'];

/**
 * Runs one fetch; throws only when it cannot start (sign-in refused, site unreachable).
 * @example
 * const summary = await runFutureLearnFetch({ baseUrl: config.futurelearnUrl, email, password,
 *   organisation: 'uni', dataDir: '/data/futurelearn', logger });
 */
export async function runFutureLearnFetch(opts: FutureLearnFetchOptions): Promise<FutureLearnFetchSummary> {
  if (!SAFE_NAME.test(opts.organisation)) throw new RangeError('organisation: expected a plain slug (letters, digits, - _ .)');
  const { logger } = opts;
  const startedAt = (opts.now ?? (() => new Date()))();
  const orgDir = join(opts.dataDir, opts.organisation);
  const summary: FutureLearnFetchSummary = {
    courses: 0, runs: 0, skipped: 0, datasets: 0, downloaded: 0, unchanged: 0, failed: 0, errors: [], changedRuns: [], complete: false,
  };
  const changed = new Set<string>();
  const session = new FutureLearnSession({ baseUrl: opts.baseUrl, ...opts.http });
  await signIn(session, { email: opts.email, password: opts.password });
  logger?.info({ organisation: opts.organisation }, 'futurelearn signed in');

  await mkdir(orgDir, { recursive: true });
  const versions = await readVersions(orgDir);
  const report = (at: string, err: FutureLearnHttpError | FutureLearnPageError | FutureLearnSignInError) => {
    summary.errors.push({ at, code: err.code, reason: err.message });
    logger?.warn({ at, code: err.code }, err.message);
  };

  try {
    const list = await adminPage(session, `admin/organisations/${opts.organisation}/courses`);
    const courses = parseCourseList(list.html, list.path);
    summary.courses = courses.length;
    logger?.info({ courses: courses.length, runs: courses.reduce((n, c) => n + c.runs.length, 0) }, 'futurelearn course list read');
    for (const course of courses) {
      for (const run of course.runs) {
        summary.runs += 1;
        if (run.status === 'upcoming' || !run.statsPath || !run.start || !run.weeks) {
          summary.skipped += 1;
          continue;
        }
        const folderName = runFolderName({ run: run.run, start: run.start, weeks: run.weeks });
        const folder = join(orgDir, course.slug, folderName);
        let datasets;
        try {
          const dashboard = await adminPage(session, run.statsPath);
          datasets = parseStatsDashboard(dashboard.html, dashboard.path);
        } catch (err) {
          if (!(err instanceof FutureLearnHttpError)) throw err;
          report(run.statsPath, err);
          continue;
        }
        summary.datasets += datasets.length;
        await mkdir(folder, { recursive: true });
        await writeAtomically(join(folder, RUN_METADATA_FILE), runMetadataCsv({ course: course.slug, courseName: course.title, run: run.run, start: run.start, weeks: run.weeks }));
        for (const dataset of datasets) {
          const key = `${course.slug}/${folderName}/${dataset.name}.csv`;
          try {
            const got = await downloadDataset(session, dataset.path, join(folder, `${dataset.name}.csv`), versions[key], opts.downloadTimeoutMs ?? 600_000);
            if (got.etag) versions[key] = { etag: got.etag, sha256: got.sha256 };
            else delete versions[key];
            summary[got.outcome] += 1;
            if (got.outcome === 'downloaded') changed.add(folder);
            logger?.info({ course: course.slug, run: run.run, dataset: dataset.name, outcome: got.outcome }, 'futurelearn dataset');
          } catch (err) {
            if (!(err instanceof FutureLearnHttpError)) throw err;
            summary.failed += 1;
            report(dataset.path, err);
          }
        }
      }
    }
  } catch (err) {
    // The structure changed or the session was lost: every next page would fail alike.
    if (!(err instanceof FutureLearnPageError || err instanceof FutureLearnSignInError || err instanceof FutureLearnHttpError)) throw err;
    report(err.path, err);
  } finally {
    await writeAtomically(join(orgDir, VERSIONS_FILE), `${JSON.stringify(versions, null, 2)}\n`);
  }

  summary.changedRuns = [...changed].sort();
  summary.complete = summary.errors.length === 0;
  if (summary.complete) for (const name of UPDATE_FILES) await writeAtomically(join(orgDir, name), `${startedAt.toISOString()}\n`);
  logger?.info({ ...summary, errors: summary.errors.length, changedRuns: summary.changedRuns.length }, 'futurelearn fetch done');
  return summary;
}

/**
 * The folder of a run, `<run> - <start> - <end>`, where end = start + 7·weeks − 1 days,
 * the last day of the last week. It depends on the course list only, so it stays the
 * same from one fetch to the next (unless FutureLearn changes the run's dates).
 * @example runFolderName({ run: 3, start: '2016-08-08', weeks: 3 }) // '3 - 2016-08-08 - 2016-08-28'
 */
export function runFolderName(run: Required<Pick<CourseRun, 'run' | 'start' | 'weeks'>>): string {
  return `${run.run} - ${run.start} - ${runEndDay(run.start, run.weeks)}`;
}

/** GETs an admin page; a redirect to the sign-in page means the session was lost. */
async function adminPage(session: FutureLearnSession, target: string): Promise<{ path: string; html: string }> {
  const page = await session.page(target);
  if (page.path === session.resolve(SIGN_IN_PATH).pathname) {
    throw new FutureLearnSignInError(session.resolve(target).pathname, 'redirected to the sign-in page: the session was lost');
  }
  return page;
}

/** The ETag and hash of each file downloaded so far, by path under the organisation folder. */
async function readVersions(orgDir: string): Promise<Record<string, KnownVersion>> {
  try {
    const parsed = JSON.parse(await readFile(join(orgDir, VERSIONS_FILE), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, KnownVersion>) : {};
  } catch {
    // No file yet, or a damaged one: the hash comparison still avoids rewriting unchanged files.
    return {};
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const part = `${file}.${process.pid}.part`;
  await writeFile(part, text);
  await rename(part, file);
}
