/**
 * One fetch run of Coursera research exports: per course, request today's tables and
 * the clickstream days not yet requested, poll the jobs in flight, download and unpack
 * the finished ones into `<exportDir>/<courseId>/<day>/{tables,clickstream}/`, and list
 * what is ready to import.
 *
 * Every step leaves its trace in `coursera_export_jobs` and `coursera_export_files`
 * before the next, so a run that stopped half-way resumes where it stopped: no job is
 * requested twice for a day, no file is downloaded twice. Run it under an advisory
 * lock (the scheduler's `lockKey`): two runs at once would both request.
 */
import { rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { and, asc, desc, eq, inArray, isNotNull, isNull, max, ne } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../../db/connection.js';
import { courseraExportFiles, courseraExportJobs } from './schema.js';
import {
  CourseraAuthError, CourseraLinkExpiredError, CourseraResponseError, CourseraServerError,
  type AnonymityLevel, type CourseraExportsApi, type ExportJob,
} from './exports-client.js';
import { gunzipFile, UnpackError, unpackZip } from '../unpack.js';

/** How recent an unrecorded tables job must be to be adopted: one day, the period of table exports. */
const ADOPT_WITHIN_MS = 24 * 3600_000;

/** The two kinds of export a course gets. */
export type ExportKind = 'tables' | 'clickstream';
/** The step of a run where an error happened. */
export type FetchStep = 'request-tables' | 'request-clickstream' | 'poll' | 'download' | 'unpack' | 'import';

/** A downloaded export that no import has read yet. */
export interface ReadyExport {
  jobId: string;
  courseId: string;
  kind: ExportKind;
  folder: string;
}

/** One thing that went wrong; the run went on past it (except a 401, which ends it). */
export interface FetchError {
  course: string;
  job?: string;
  step: FetchStep;
  reason: string;
}

/** What a run did, counted. */
export interface CourseraFetchSummary {
  requested: number;
  /** Jobs Coursera had that an interrupted run had not recorded: taken over, not requested again. */
  adopted: number;
  polled: number;
  /** Jobs still PENDING or IN_PROGRESS after the run. */
  pending: number;
  terminated: number;
  /** Jobs whose files all landed in this run. */
  downloaded: number;
  ready: ReadyExport[];
  errors: FetchError[];
}

/** Inputs of a run. */
export interface CourseraFetchOptions {
  database: Database;
  client: CourseraExportsApi;
  courses: readonly string[];
  exportDir: string;
  /** Tables to export; absent or empty = all. */
  schemaNames?: readonly string[];
  anonymityLevel: AnonymityLevel;
  purpose: string;
  /** The run's day, YYYY-MM-DD (UTC): tables are requested once per day, clickstream up to the day before. */
  today: string;
  logger?: Logger;
}

const DAY = /^\d{4}-\d\d-\d\d$/;
const IN_FLIGHT = ['PENDING', 'IN_PROGRESS'];
// Clickstream file names come from link URLs: only plain names may become paths.
const CLICKSTREAM_FILE = /^[\w.-]+\.csv\.gz$/;

type JobRow = typeof courseraExportJobs.$inferSelect;

/** Thrown inside a run when the token is refused: nothing else can succeed. */
class TokenRefused extends Error {}

/**
 * Runs one fetch of every course's exports and returns its summary.
 * @example
 * const summary = await runCourseraFetch({ database, client, courses: ['abc'], exportDir: './exports',
 *   anonymityLevel: 'HASHED_IDS_NO_PII', purpose: 'learning tracker', today: new Date().toISOString().slice(0, 10) });
 */
export async function runCourseraFetch(opts: CourseraFetchOptions): Promise<CourseraFetchSummary> {
  if (!DAY.test(opts.today)) throw new RangeError('today: expected YYYY-MM-DD');
  const { database, client, courses, logger } = opts;
  const { db } = database;
  const summary: CourseraFetchSummary = { requested: 0, adopted: 0, polled: 0, pending: 0, terminated: 0, downloaded: 0, ready: [], errors: [] };
  const yesterday = addDays(opts.today, -1);
  const purpose = { anonymityLevel: opts.anonymityLevel, purpose: opts.purpose };
  // Jobs fetched in this run: a SUCCESSFUL one carries a download link fresh enough to use.
  const fresh = new Map<string, ExportJob>();

  /** Runs one step; a Coursera failure is reported (and kept on the job) and the run goes on. */
  const step = async (course: string, job: string | undefined, name: FetchStep, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      if (!isReportable(err)) throw err;
      const stepName = err instanceof UnpackError ? 'unpack' : name;
      summary.errors.push({ course, ...(job ? { job } : {}), step: stepName, reason: err.message });
      logger?.warn({ course, job, step: stepName, code: err.code }, err.message);
      if (job) await db.update(courseraExportJobs).set({ lastError: err.message, updatedAt: new Date() }).where(eq(courseraExportJobs.id, job));
      // The token is the same for every course: after a 401 every call would fail alike.
      if (err instanceof CourseraAuthError && err.status === 401) throw new TokenRefused();
    }
  };

  const store = async (job: ExportJob, kind: ExportKind, day: string, adopted: boolean) => {
    await db.insert(courseraExportJobs).values({
      id: job.id, courseId: job.courseId, kind, day, status: job.status,
      intervalStart: job.interval?.start ?? null, intervalEnd: job.interval?.end ?? null,
    }).onConflictDoNothing();
    summary[adopted ? 'adopted' : 'requested'] += 1;
    logger?.info({ course: job.courseId, job: job.id, kind, day, status: job.status }, adopted ? 'coursera export found unrecorded: adopted' : 'coursera export requested');
  };

  /**
   * A job Coursera holds that the database lacks: a run stopped between a request and
   * its insert. It is adopted rather than requested twice. Coursera is asked once per
   * run, at the first request about to be made.
   */
  let unrecorded: ExportJob[] | undefined;
  const adoptable = async (match: (job: ExportJob) => boolean): Promise<ExportJob | undefined> => {
    if (unrecorded === undefined) {
      const listed = (await client.listJobs()).filter((j) => j.status !== 'TERMINATED' && courses.includes(j.courseId));
      const known = listed.length === 0 ? [] : await db.select({ id: courseraExportJobs.id }).from(courseraExportJobs).where(inArray(courseraExportJobs.id, listed.map((j) => j.id)));
      const ids = new Set(known.map((k) => k.id));
      unrecorded = listed.filter((j) => !ids.has(j.id));
    }
    return unrecorded.find(match);
  };
  const createdSince = Date.now() - ADOPT_WITHIN_MS;

  try {
    for (const course of courses) {
      await step(course, undefined, 'request-tables', async () => {
        const [open] = await db.select({ id: courseraExportJobs.id }).from(courseraExportJobs).where(and(
          eq(courseraExportJobs.courseId, course), eq(courseraExportJobs.kind, 'tables'),
          eq(courseraExportJobs.day, opts.today), ne(courseraExportJobs.status, 'TERMINATED'),
        )).limit(1);
        if (open) return;
        const lost = await adoptable((j) => j.courseId === course && j.exportType === 'RESEARCH_WITH_SCHEMAS' && j.createdAt >= createdSince);
        const schemaNames = opts.schemaNames?.length ? [...opts.schemaNames] : undefined;
        await store(lost ?? await client.requestTables(course, { ...purpose, ...(schemaNames ? { schemaNames } : {}) }), 'tables', opts.today, lost !== undefined);
      });
      await step(course, undefined, 'request-clickstream', async () => {
        const [row] = await db.select({ last: max(courseraExportJobs.intervalEnd) }).from(courseraExportJobs).where(and(
          eq(courseraExportJobs.courseId, course), eq(courseraExportJobs.kind, 'clickstream'), ne(courseraExportJobs.status, 'TERMINATED'),
        ));
        const interval = { start: row?.last ? addDays(row.last, 1) : yesterday, end: yesterday };
        if (interval.start > interval.end) return;
        const lost = await adoptable((j) => j.courseId === course && j.exportType === 'RESEARCH_EVENTING' && j.interval?.start === interval.start && j.interval.end === interval.end);
        const job = lost ?? await client.requestClickstream(course, interval, purpose);
        // Store the interval asked for: the next run continues from its end whatever Coursera echoes.
        await store({ ...job, interval }, 'clickstream', interval.end, lost !== undefined);
      });
    }

    const inFlight = await jobsOf(database, courses, inArray(courseraExportJobs.status, IN_FLIGHT));
    for (const row of inFlight) {
      await step(row.courseId, row.id, 'poll', async () => {
        const job = await client.getJob(row.id);
        fresh.set(row.id, job);
        summary.polled += 1;
        await db.update(courseraExportJobs).set({ status: job.status, updatedAt: new Date() }).where(eq(courseraExportJobs.id, row.id));
        if (job.status !== row.status) logger?.info({ course: row.courseId, job: row.id, kind: row.kind, status: job.status }, 'coursera export status');
        if (job.status === 'TERMINATED') {
          summary.terminated += 1;
          summary.errors.push({ course: row.courseId, job: row.id, step: 'poll', reason: `Coursera terminated the ${row.kind} export of ${row.day}; it is requested again on the next run` });
        }
      });
    }

    const finished = await jobsOf(database, courses, and(eq(courseraExportJobs.status, 'SUCCESSFUL'), isNull(courseraExportJobs.downloadedAt)));
    for (const row of finished) {
      await step(row.courseId, row.id, 'download', async () => {
        const folder = await fetchFiles(opts, row, fresh.get(row.id), summary);
        await db.update(courseraExportJobs).set({ downloadedAt: new Date(), folder, lastError: null, updatedAt: new Date() })
          .where(eq(courseraExportJobs.id, row.id));
        summary.downloaded += 1;
        logger?.info({ course: row.courseId, job: row.id, kind: row.kind, folder }, 'coursera export downloaded');
      });
    }
  } catch (err) {
    if (!(err instanceof TokenRefused)) throw err;
  }

  summary.pending = (await jobsOf(database, courses, inArray(courseraExportJobs.status, IN_FLIGHT))).length;
  summary.ready = (await jobsOf(database, courses, and(isNotNull(courseraExportJobs.downloadedAt), isNull(courseraExportJobs.importedAt))))
    .map((r) => ({ jobId: r.id, courseId: r.courseId, kind: r.kind as ExportKind, folder: r.folder ?? '' }));
  return summary;
}

/** Records that the import run `runId` read the export of job `jobId`, so it is no longer ready. */
export async function markImported(database: Database, jobId: string, runId: number): Promise<void> {
  await database.db.update(courseraExportJobs).set({ importedAt: new Date(), importRunId: runId, updatedAt: new Date() })
    .where(eq(courseraExportJobs.id, jobId));
}

/** The jobs requested so far (of one course, when given), newest first. */
export async function listExportJobs(database: Database, courseId?: string): Promise<(typeof courseraExportJobs.$inferSelect)[]> {
  return database.db.select().from(courseraExportJobs)
    .where(courseId === undefined ? undefined : eq(courseraExportJobs.courseId, courseId))
    .orderBy(desc(courseraExportJobs.createdAt), desc(courseraExportJobs.id));
}

/** The folder of the course's latest downloaded tables export, for the structure of its clickstream. */
export async function latestTablesFolder(database: Database, courseId: string): Promise<string | undefined> {
  const [row] = await database.db.select({ folder: courseraExportJobs.folder }).from(courseraExportJobs)
    .where(and(eq(courseraExportJobs.courseId, courseId), eq(courseraExportJobs.kind, 'tables'), isNotNull(courseraExportJobs.downloadedAt)))
    .orderBy(desc(courseraExportJobs.day)).limit(1);
  return row?.folder ?? undefined;
}

/** Downloads and unpacks the files of one finished job not yet on disk; returns its folder. */
async function fetchFiles(opts: CourseraFetchOptions, row: JobRow, polled: ExportJob | undefined, summary: CourseraFetchSummary): Promise<string> {
  const { db } = opts.database;
  const dayDir = join(opts.exportDir, encodeURIComponent(row.courseId), row.day);
  const folder = join(dayDir, row.kind);
  // Downloads land beside the folder, not in it: the importer reads the folder recursively.
  const work = join(dayDir, `.download-${encodeURIComponent(row.id)}`);
  const have = new Set((await db.select({ name: courseraExportFiles.name }).from(courseraExportFiles)
    .where(eq(courseraExportFiles.jobId, row.id))).map((f) => f.name));
  const record = async (name: string, path: string, bytes: number) => {
    await db.insert(courseraExportFiles).values({ jobId: row.id, name, path, bytes }).onConflictDoNothing();
    opts.logger?.info({ course: row.courseId, job: row.id, file: name, bytes }, 'coursera export file landed');
  };
  await mkdir(folder, { recursive: true });
  await mkdir(work, { recursive: true });

  if (row.kind === 'tables') {
    if (!have.has('tables.zip')) {
      // A link seen in an earlier run may have expired: ask for the job again.
      const job = polled ?? (await opts.client.getJob(row.id));
      if (!job.downloadLink) throw new CourseraResponseError(`GET onDemandExports.v2/${row.id}`, 'a SUCCESSFUL tables job has no downloadLink');
      const zip = join(work, 'tables.zip');
      await opts.client.download(job.downloadLink, zip);
      const unpacked = await unpackZip(zip, folder, /\.csv$/i);
      for (const name of unpacked.refused) {
        summary.errors.push({ course: row.courseId, job: row.id, step: 'unpack', reason: `refused zip entry "${name}": its path leaves the export folder` });
      }
      await record('tables.zip', folder, unpacked.files.reduce((n, f) => n + f.bytes, 0));
    }
  } else {
    if (!row.intervalStart || !row.intervalEnd) throw new CourseraResponseError(`clickstream job ${row.id}`, 'no interval stored');
    // Links are generated on each run: they are signed and expire, a file recorded is skipped.
    const links = await opts.client.clickstreamLinks(row.courseId, { start: row.intervalStart, end: row.intervalEnd });
    for (const link of links) {
      const name = decodeURIComponent(new URL(link).pathname.split('/').pop() ?? '');
      if (!CLICKSTREAM_FILE.test(name)) throw new CourseraResponseError('POST clickstreamExportsDownload.v1', 'a link does not name a .csv.gz file');
      if (have.has(name)) continue;
      const gz = join(work, name);
      await opts.client.download(link, gz);
      const csv = join(folder, name.slice(0, -'.gz'.length));
      const bytes = await gunzipFile(gz, csv);
      await rm(gz, { force: true });
      await record(name, csv, bytes);
      have.add(name);
    }
  }
  await rm(work, { recursive: true, force: true });
  return folder;
}

async function jobsOf(database: Database, courses: readonly string[], where: ReturnType<typeof and>): Promise<JobRow[]> {
  if (courses.length === 0) return [];
  return database.db.select().from(courseraExportJobs)
    .where(and(inArray(courseraExportJobs.courseId, [...courses]), where))
    .orderBy(asc(courseraExportJobs.courseId), asc(courseraExportJobs.day), asc(courseraExportJobs.kind), asc(courseraExportJobs.createdAt));
}

function isReportable(err: unknown): err is Error & { code: string } {
  return err instanceof CourseraAuthError || err instanceof CourseraServerError || err instanceof CourseraLinkExpiredError ||
    err instanceof CourseraResponseError || err instanceof UnpackError;
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
