/**
 * The FutureLearn pipeline of `import futurelearn`, `translate futurelearn` and the
 * scheduled fetch: the dataset files of run folders or a data root, each row through the
 * FutureLearn translator, typed by its dataset. The import also keeps learners'
 * demographics and video figures in their tables (`side`), and which runs it read with
 * their days and learners (the index of runs); those rows never become statements.
 */
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { loadLinkedEcoUsers, type LinkedEcoUser } from '../catalog/identity-links.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { readDatasets } from '../ingest/futurelearn/dataset-reader.js';
import { listDatasetFiles, type DatasetFile } from '../ingest/futurelearn/datasets.js';
import type { FutureLearnRecord, RunKey } from '../ingest/futurelearn/records.js';
import type { RunSeen } from '../ingest/futurelearn/run-list.js';
import { databaseSideTables, type FutureLearnSideTables } from '../ingest/futurelearn/side-tables.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import type { ImportResult } from '../lrs/import-run.js';
import type { Outbox } from '../lrs/outbox.js';
import { translateFutureLearnRecord } from '../translators/futurelearn.js';
import { pseudonym } from '../xapi/ids.js';
import { remembered } from '../xapi/remembered.js';
import type { RunSummary } from '../xapi/run-summary.js';
import { runPipeline, translateSecret, type Pipeline, type RunProgress, type SourceItem } from './runner.js';

/** What to read: run folders, data roots or single dataset CSVs. */
export interface FutureLearnRunInput {
  paths: string[];
}

/** How to read datasets. */
export interface FutureLearnItemsOptions {
  /** The account name of a learner id (see `futurelearnActorName`). */
  actorName: (learnerId: string) => string;
  /** Where demographics and video figures go; without it they are only counted. */
  side?: FutureLearnSideTables;
}

/**
 * Each learner's account name: the linked ECO user id, else the keyed pseudonym of the
 * FutureLearn learner id (docs/futurelearn.md).
 * @example const actorName = futurelearnActorName(secret, await loadLinkedEcoUsers(database, 'futurelearn'));
 */
export function futurelearnActorName(secret: string, linked: LinkedEcoUser = () => undefined): (learnerId: string) => string {
  // A run repeats the same learners on every row, and the HMAC is most of a row's translation.
  const pseudonymOf = remembered((learnerId: string) => pseudonym(secret, learnerId), 100_000);
  return (learnerId) => linked(learnerId) ?? pseudonymOf(learnerId);
}

/**
 * Every row of the datasets under `paths` (run folders, data roots, or CSVs), files in
 * path order, after keeping what goes to the side tables. Throws `FutureLearnInputError`
 * when a path cannot be read at all.
 */
async function* datasetSource(paths: readonly string[], opts: FutureLearnItemsOptions): AsyncGenerator<SourceItem<FutureLearnRecord>> {
  for (const path of paths) {
    const files = await listDatasetFiles(path);
    const runs = runsIn(files);
    for await (const row of readDatasets(files)) {
      const { at, source: type } = row;
      if (row.ok === 'skipped') yield { at, type, ignored: true };
      else if (row.ok === 'erased') {
        opts.side?.erasedRow(row.run, type, row.question);
        yield { at, type, erasedByPlatform: true };
      }
      else if (!row.ok) yield { at, type, rejection: row.rejection, ...(row.learnerId === undefined ? {} : { learner: opts.actorName(row.learnerId) }) };
      else {
        const r = row.record;
        // Video figures are course-level, not a learner's activity: kept in their table, counted as ignored.
        if (r.type === 'video-stats') await opts.side?.videoStats(r);
        if (r.type === 'enrolments' && r.role === 'learner') {
          const seen = runs.get(runKeyText(r.run));
          if (seen !== undefined) seen.learners = (seen.learners ?? 0) + 1;
          if (Object.keys(r.profile).length > 0) await opts.side?.profile(opts.actorName(r.learnerId), r.profile);
        }
        yield { at, type, record: r };
      }
    }
    await opts.side?.runs([...runs.values()]);
    await opts.side?.flush();
  }
}

const runKeyText = (k: RunKey) => `${k.course}\n${k.run}`;

/** The runs `files` are of, with their folder days; an enrolments file makes its run's learners counted (from 0). */
function runsIn(files: readonly DatasetFile[]): Map<string, RunSeen> {
  const runs = new Map<string, RunSeen>();
  for (const f of files) {
    if (f.run === undefined) continue;
    const seen = runs.get(runKeyText(f.run)) ?? { ...f.run, dates: undefined, learners: undefined };
    runs.set(runKeyText(f.run), seen);
    seen.dates ??= f.dates;
    if (f.dataset === 'enrolments') seen.learners ??= 0;
  }
  return runs;
}

/**
 * The FutureLearn pipeline of the datasets under `paths`.
 * @example await runPipeline(futurelearnPipeline([runFolder], { actorName }), { database, outbox, source: 'futurelearn', input: runFolder });
 */
export function futurelearnPipeline(paths: readonly string[], opts: FutureLearnItemsOptions): Pipeline<FutureLearnRecord> {
  return {
    source: datasetSource(paths, opts),
    learnerOf: (record) => ('learnerId' in record ? opts.actorName(record.learnerId) : undefined),
    translate: (record) => {
      const t = translateFutureLearnRecord(record, { actorName: opts.actorName });
      return 'statements' in t ? t : { ignored: true };
    },
  };
}

async function importOptions(database: Database, secret: string): Promise<FutureLearnItemsOptions> {
  return { actorName: futurelearnActorName(secret, await loadLinkedEcoUsers(database, 'futurelearn')), side: databaseSideTables(database) };
}

/**
 * Imports one downloaded run folder (or data root) into the outbox, demographics and
 * video figures into their tables: the scheduled fetch's entrance.
 * @example const { runId, summary } = await importFutureLearnRun({ database, outbox, secret, path });
 */
export async function importFutureLearnRun(args: {
  database: Database;
  outbox: Outbox;
  secret: string;
  path: string;
  onProgress?: (summary: RunSummary) => void;
}): Promise<ImportResult> {
  const pipeline = futurelearnPipeline([args.path], await importOptions(args.database, args.secret));
  const progress: RunProgress = args.onProgress === undefined ? {} : { onProgress: args.onProgress };
  return runPipeline(pipeline, { database: args.database, outbox: args.outbox, source: 'futurelearn', input: args.path }, progress);
}

/** Imports FutureLearn datasets into the outbox and returns the run. */
export async function importFutureLearn(input: FutureLearnRunInput, deps: { config: Config; database: Database; outbox: Outbox; logger: Logger }): Promise<ImportResult> {
  const pipeline = futurelearnPipeline(input.paths, await importOptions(deps.database, await pseudonymSecret(deps.config, deps.database)));
  return runPipeline(pipeline, { database: deps.database, outbox: deps.outbox, source: 'futurelearn', input: input.paths.join(' ') }, { what: 'rows read', logger: deps.logger });
}

/**
 * Translates FutureLearn datasets to NDJSON statements on `out`, touching no database
 * (demographics and video figures are only counted); returns the summary.
 */
export async function translateFutureLearn(input: FutureLearnRunInput, deps: { config: Config; logger: Logger; out: Writable }): Promise<RunSummary> {
  const pipeline = futurelearnPipeline(input.paths, { actorName: futurelearnActorName(translateSecret(deps.config)) });
  return runPipeline(pipeline, { out: deps.out }, { what: 'rows read', logger: deps.logger });
}
