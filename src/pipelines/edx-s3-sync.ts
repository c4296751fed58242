/**
 * `edx sync` and its schedule: lists the institution's objects in edX's two S3 buckets,
 * fetches the new or changed ones (by key and ETag, table `edx_s3_objects`) into the
 * backup folder, checks each download's MD5 and size, decrypts with the institution's
 * GPG key, unpacks the research data packages, and imports each day of events and each
 * course run of a package through the same imports as `import edx` and
 * `import edx-package`. An object that fails is recorded with its code and counted;
 * the others go on. A sync stopped half-way resumes: what was fetched is not fetched
 * again, what was not imported is.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { edxReadiness, edxS3Readiness, type Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { CodedError, isCoded } from '../errors.js';
import { GpgError, openGpg, type Gpg } from '../ingest/edx/s3/gpg.js';
import { backupPath, classifyKey, eventsPath, listPrefixes, snapshotFolder, type EdxS3Item, type EdxS3Layout } from '../ingest/edx/s3/layout.js';
import { failureMessage, objectStates, recordStep, type SyncFailure } from '../ingest/edx/s3/objects.js';
import { packageCourses, unpackPackage } from '../ingest/edx/s3/package-files.js';
import { S3Client, S3Error, type S3Object } from '../ingest/edx/s3/s3-client.js';
import { UnpackError } from '../ingest/unpack.js';
import type { Outbox } from '../lrs/outbox.js';
import { NetError } from '../net/net-error.js';
import type { NetClock } from '../net/request.js';
import { parseCourseId } from '../translators/edx/ids.js';
import { importEdx } from './edx.js';
import { importEdxPackage } from './edx-package.js';

/** What one sync did. */
export interface EdxSyncSummary {
  /** Objects of the layout listed in the buckets. */
  listed: number;
  /** Objects already imported at their ETag: not fetched. */
  unchanged: number;
  fetched: number;
  imported: number;
  failed: number;
  /** Statements new to the outbox. */
  statements: number;
  /** The import runs made. */
  runs: number[];
  /** Objects under the prefixes that are not of the layout. */
  skipped: { at: string; reason: string }[];
  errors: { at: string; code: SyncFailure; reason: string }[];
}

/** What a sync needs; `clock` signs the requests, `now` stamps the rows. */
export interface EdxSyncDeps {
  config: Config;
  database: Database;
  outbox: Outbox;
  logger: Logger;
  clock?: NetClock;
  now?: () => Date;
  /** Told after each object, e.g. for a progress bar. */
  onProgress?: (done: number, total: number, at: string) => void;
}

/** The coded failure of an object's step; an error that is not the object's (database down, a bug) is thrown on. */
function failureOf(err: unknown): SyncFailure {
  if (err instanceof S3Error) return err.s3Code === 'ChecksumMismatch' ? 'checksum' : err.s3Code === 'SizeMismatch' ? 'size' : 'fetch';
  if (err instanceof GpgError && err.fault !== 'bad-key-file') return err.fault === 'failed' ? 'decrypt' : err.fault;
  if (err instanceof UnpackError) return 'unpack';
  if (err instanceof NetError) return 'fetch';
  if (isCoded(err, 'invalid')) return 'import';
  throw err;
}

/** Throws a `setup` error naming every unset variable the sync needs. */
function checkReady(config: Config): void {
  const missing = [edxS3Readiness(config), edxReadiness(config)].flatMap((r) => (r.ready ? [] : r.missing));
  if (missing.length > 0) throw new CodedError('setup', `the edX S3 sync needs ${missing.join(', ')}`);
}

/**
 * Syncs and imports; throws only when it cannot run at all (settings, the key file, S3
 * refusing the listing).
 * @example const summary = await syncEdxS3({ config, database, outbox, logger });
 */
export async function syncEdxS3(deps: EdxSyncDeps): Promise<EdxSyncSummary> {
  const { config, database } = deps;
  checkReady(config);
  const now = deps.now ?? (() => new Date());
  const layout: EdxS3Layout = { org: config.edxS3Prefix!, dataBucket: config.edxS3BucketData, eventsBucket: config.edxS3BucketEvents };
  const backupDir = config.edxS3BackupDir ?? join(config.dataDir, 'edx-s3');
  const dataRoot = join(config.dataDir, 'edx-data');
  const client = new S3Client({
    region: config.edxS3Region,
    credentials: { accessKeyId: config.edxS3AccessKeyId!, secretAccessKey: config.edxS3SecretAccessKey! },
    retry: { attempts: 3, baseMs: 1000 },
    timeoutMs: 30 * 60_000,
    ...(config.edxS3Endpoint !== undefined && { endpoint: config.edxS3Endpoint }),
    ...(deps.clock !== undefined && { clock: deps.clock }),
  });
  const summary: EdxSyncSummary = { listed: 0, unchanged: 0, fetched: 0, imported: 0, failed: 0, statements: 0, runs: [], skipped: [], errors: [] };

  const work: { item: EdxS3Item; object: S3Object; resume: boolean }[] = [];
  for (const { bucket, prefix } of listPrefixes(layout)) {
    const states = await objectStates(database, bucket);
    for await (const object of client.list(bucket, prefix)) {
      const item = classifyKey(layout, bucket, object.key);
      if ('skipped' in item) {
        summary.skipped.push({ at: `${bucket}/${object.key}`, reason: item.skipped });
        continue;
      }
      summary.listed += 1;
      const known = states.get(object.key);
      if (known?.etag === object.etag && known.state === 'imported') summary.unchanged += 1;
      // At the same ETag, an original kept whole passed its checks: it is decrypted again, not fetched.
      else work.push({ item, object, resume: known?.etag === object.etag });
    }
  }
  if (work.length === 0) return summary;
  // Days of events in order, then the packages: a package's snapshot is read after the events before it.
  const order = (w: (typeof work)[number]) => `${w.item.kind === 'events' ? 0 : 1} ${w.item.day} ${w.item.key}`;
  work.sort((a, b) => (order(a) < order(b) ? -1 : 1));

  const gpg = await openGpg(config.edxGpgKeyFile!, config.edxGpgPassphrase!);
  try {
    for (const [index, { item, object, resume }] of work.entries()) {
      const at = `${item.bucket}/${item.key}`;
      const row = { bucket: item.bucket, key: item.key, etag: object.etag, size: object.size };
      try {
        const original = backupPath(backupDir, item);
        if (!resume || (await stat(original).catch(() => undefined))?.size !== object.size) {
          await client.download(item.bucket, object, original);
          await recordStep(database, row, { state: 'fetched' }, now());
          summary.fetched += 1;
        }
        const runs = await decryptAndImport(item, original, { ...deps, layout, dataRoot, gpg, row, now });
        for (const run of runs) {
          summary.runs.push(run.runId);
          summary.statements += run.added;
        }
        summary.imported += 1;
      } catch (err) {
        const code = failureOf(err);
        await recordStep(database, row, { state: 'failed', errorCode: code }, now());
        summary.failed += 1;
        summary.errors.push({ at, code, reason: failureMessage(code, at) });
        deps.logger.warn({ at, code }, failureMessage(code, at));
      }
      deps.onProgress?.(index + 1, work.length, at);
    }
  } finally {
    await gpg.close();
  }
  return summary;
}

/** A course id in one form, whichever form it is written in. */
const courseKey = (id: string): string => parseCourseId(id)?.id ?? id;

/** Decrypts an object's original and imports it; records `decrypted`, then `imported` with the last run. */
async function decryptAndImport(
  item: EdxS3Item,
  original: string,
  ctx: EdxSyncDeps & { layout: EdxS3Layout; dataRoot: string; gpg: Gpg; row: { bucket: string; key: string; etag: string; size: number }; now: () => Date },
): Promise<{ runId: number; added: number }[]> {
  const deps = { config: ctx.config, database: ctx.database, outbox: ctx.outbox, logger: ctx.logger };
  const runs: { runId: number; added: number }[] = [];
  if (item.kind === 'events') {
    const log = eventsPath(ctx.dataRoot, item);
    await ctx.gpg.decrypt(original, log);
    await recordStep(ctx.database, ctx.row, { state: 'decrypted' }, ctx.now());
    const { runId, summary } = await importEdx({ paths: [log] }, deps);
    runs.push({ runId, added: summary.added ?? 0 });
  } else {
    const folder = snapshotFolder(ctx.dataRoot, ctx.layout.org, item.day);
    await unpackPackage(original, folder, ctx.gpg);
    await recordStep(ctx.database, ctx.row, { state: 'decrypted' }, ctx.now());
    // EDX_COURSE_IDS (either id form) chooses the course runs, as it does for the events.
    const chosen = ctx.config.edxCourseIds === undefined ? undefined : new Set([...ctx.config.edxCourseIds].map(courseKey));
    for (const course of await packageCourses(folder)) {
      if (chosen !== undefined && !chosen.has(courseKey(course))) continue;
      const { runId, summary } = await importEdxPackage({ root: ctx.dataRoot, course, to: item.day, events: false }, deps);
      runs.push({ runId, added: summary.added ?? 0 });
    }
  }
  await recordStep(ctx.database, ctx.row, { state: 'imported', ...(runs.length > 0 && { runId: String(runs.at(-1)!.runId) }) }, ctx.now());
  return runs;
}
