/**
 * The Coursera pull as the scheduler and `coursera fetch` run it: request, poll, download
 * and unpack the configured courses' exports, then import every export that is ready
 * (tables before clickstream, so the clickstream finds the course structure) and mark it
 * imported. One instance runs it at a time (DESIGN.md invariant 6).
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { courseraPullReadiness, type Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { CodedError } from '../errors.js';
import { CourseraExportsClient, type CourseraExportsApi } from '../ingest/coursera/exports-client.js';
import { latestTablesFolder, markImported, runCourseraFetch, type CourseraFetchSummary, type ReadyExport } from '../ingest/coursera/fetch-run.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import type { Outbox } from '../lrs/outbox.js';
import type { RunSummary } from '../xapi/run-summary.js';
import { importCourseraExport } from './coursera.js';

/** What one pull did: the fetch's summary and each import's. */
export interface CourseraPullSummary extends Omit<CourseraFetchSummary, 'ready'> {
  imported: { jobId: string; courseId: string; kind: ReadyExport['kind']; runId: number; summary: RunSummary }[];
}

/** What a pull needs. */
export interface CourseraPullDeps {
  config: Config;
  database: Database;
  outbox: Outbox;
  logger: Logger;
  /** The exports API; default: the client of COURSERA_API_URL with COURSERA_TOKEN. */
  client?: CourseraExportsApi;
  /** The UTC day of the run, YYYY-MM-DD; default today. */
  today?: string;
}

/** The folder of downloaded exports: COURSERA_EXPORT_DIR, else DATA_DIR/coursera. */
export function courseraExportDir(config: Config): string {
  return config.courseraExportDir ?? join(config.dataDir, 'coursera');
}

/**
 * One pull of every configured course; an import that fails leaves its export ready for
 * the next pull and is reported, the others go on. Throws a `setup` error without courses or token.
 * @example const summary = await pullCoursera({ config, database, outbox, logger });
 */
export async function pullCoursera(deps: CourseraPullDeps): Promise<CourseraPullSummary> {
  const { config, database, logger } = deps;
  const readiness = courseraPullReadiness(config);
  if (!readiness.ready) throw new CodedError('setup', `${readiness.missing.join(', ')} not set: the pull needs a bearer token of the exports API and courses to fetch`);
  const courses = [...config.courseraCourseIds!];
  const client = deps.client ?? new CourseraExportsClient({ baseUrl: config.courseraApiUrl, token: config.courseraToken! });
  const fetched = await runCourseraFetch({
    database, client, courses, logger,
    exportDir: courseraExportDir(config),
    ...(config.courseraSchemas && { schemaNames: [...config.courseraSchemas] }),
    anonymityLevel: config.courseraAnonymityLevel,
    purpose: config.courseraPurpose,
    today: deps.today ?? new Date().toISOString().slice(0, 10),
  });
  const { ready, ...counts } = fetched;
  const summary: CourseraPullSummary = { ...counts, imported: [] };
  const secret = await pseudonymSecret(config, database);
  const ordered = [...ready].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'tables' ? -1 : 1));
  for (const exported of ordered) {
    try {
      const structureFrom = exported.kind === 'clickstream' ? await latestTablesFolder(database, exported.courseId) : undefined;
      const { runId, summary: run } = await importCourseraExport({
        database, outbox: deps.outbox, secret, path: exported.folder, courseId: exported.courseId, ...(structureFrom !== undefined && { structureFrom }),
      });
      await markImported(database, exported.jobId, runId);
      summary.imported.push({ jobId: exported.jobId, courseId: exported.courseId, kind: exported.kind, runId, summary: run });
      logger.info({ job: exported.jobId, course: exported.courseId, kind: exported.kind, run: runId, read: run.read, statements: run.statements, rejected: run.rejected }, 'coursera export imported');
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      summary.errors.push({ course: exported.courseId, job: exported.jobId, step: 'import', reason });
      logger.warn({ job: exported.jobId, course: exported.courseId, reason }, 'coursera export not imported; retried on the next pull');
    }
  }
  return summary;
}
