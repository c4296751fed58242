/**
 * The one pipeline runner: a source of platform records with their positions, the
 * platform's translator, and a sink (the outbox through the import-run bookkeeping, or
 * NDJSON on a stream). It owns the progress, the run summary (DESIGN.md "Interfaces"),
 * rejected records and the run record; each platform module only declares its source
 * and translator (DESIGN.md "The one picture").
 */
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { CodedError } from '../errors.js';
import { runImport, type ImportItem, type ImportResult, type StatementValidator } from '../lrs/import-run.js';
import type { Outbox, OutboxStatement } from '../lrs/outbox.js';
import type { Rejection, RunSummary } from '../xapi/run-summary.js';
import { translateToNdjson } from './ndjson-sink.js';
import { startProgress } from './progress.js';

/**
 * One record of a source at its position (`file:line`, page, API cursor), counted under
 * its source type; a record that could not be read carries its rejection, and one the
 * source already knows to skip is ignored. `payload` is the record as received, kept
 * with a rejection so that it can be fixed and run again; `learner`, the account name a
 * record the source could not read still names (an erased learner's is dropped).
 */
export type SourceItem<R> = { at: string; type: string; payload?: string; learner?: string } & (
  | { record: R }
  | { rejection: Rejection }
  | { ignored: true; reason?: string }
  | { erasedByPlatform: true }
);

/** What a translator made of one record: statements, nothing (with the reason, where counted), or a rejection. */
export type Translation =
  | { statements: OutboxStatement[]; unresolved?: true }
  | { ignored: true; reason?: string }
  | { rejection: Rejection };

/** A platform's records and their translator. */
export interface Pipeline<R> {
  source: AsyncIterable<SourceItem<R>> | Iterable<SourceItem<R>>;
  translate: (record: R) => Translation;
  /** The text kept with a record its translator rejects, where the source gives none. */
  payloadOf?: (record: R) => string;
  /** The account name of the learner a record is about, so that a rejected record of an erased learner is dropped too. */
  learnerOf?: (record: R) => string | undefined;
  /** How statements are validated: the full check by default; `validateBuiltStatement` for a rule table's. */
  validate?: StatementValidator;
}

/** The outbox as a sink: one import run of `source` (e.g. `edx`) reading `input`. */
export interface OutboxSink {
  database: Database;
  outbox: Outbox;
  source: string;
  input: string;
}

/** NDJSON statements on a stream, touching no database (`translate <platform>`). */
export interface NdjsonSink {
  out: Writable;
}

/** How a run shows itself: a bar on a terminal, else a log line every few seconds; or a callback. */
export interface RunProgress {
  /** What is counted, e.g. "events read"; with `logger`, the command line's progress. */
  what?: string;
  logger?: Logger;
  onProgress?: (summary: RunSummary) => void;
}

/** One source item as an import item: the translator runs on records that were read. */
export function importItem<R>(item: SourceItem<R>, pipeline: Pick<Pipeline<R>, 'translate' | 'payloadOf' | 'learnerOf'>): ImportItem {
  if (!('record' in item)) return item;
  const { at, type, payload } = item;
  const t = pipeline.translate(item.record);
  if ('statements' in t) return { at, type, ...(payload === undefined ? {} : { payload }), statements: t.statements, ...(t.unresolved ? { unresolved: true as const } : {}) };
  if ('ignored' in t) return { at, type, ignored: true, ...(t.reason === undefined ? {} : { reason: t.reason }) };
  const kept = payload ?? pipeline.payloadOf?.(item.record);
  const learner = pipeline.learnerOf?.(item.record);
  return { at, type, ...(kept === undefined ? {} : { payload: kept }), ...(learner === undefined ? {} : { learner }), rejection: t.rejection };
}

/** Every source item of `pipeline` as an import item, in order. */
export async function* importItems<R>(pipeline: Pick<Pipeline<R>, 'source' | 'translate' | 'payloadOf' | 'learnerOf'>): AsyncGenerator<ImportItem> {
  for await (const item of pipeline.source) yield importItem(item, pipeline);
}

/**
 * The pseudonym key of `translate <platform>`, which touches no database and so cannot
 * read the stored one: PSEUDONYM_SECRET, else a `setup` error.
 */
export function translateSecret(config: Pick<Config, 'pseudonymSecret'>): string {
  if (config.pseudonymSecret === undefined) throw new CodedError('setup', 'PSEUDONYM_SECRET is not set: translate touches no database, so the pseudonym key must be given');
  return config.pseudonymSecret;
}

function progressDetail(s: RunSummary): Record<string, number> {
  return { translated: s.translated, ignored: s.ignored, rejected: s.rejected, ...(s.added === undefined ? {} : { added: s.added }) };
}

/**
 * Runs `pipeline` into `sink`: into the outbox it returns the import run and its
 * summary; as NDJSON, the summary. Bad records never stop a run; a failure that does
 * (the database went away) marks the run failed and rethrows.
 * @example const { runId, summary } = await runPipeline(pipeline, { database, outbox, source: 'edx', input }, { what: 'events read', logger });
 */
export async function runPipeline<R>(pipeline: Pipeline<R>, sink: OutboxSink, progress?: RunProgress): Promise<ImportResult>;
export async function runPipeline<R>(pipeline: Pipeline<R>, sink: NdjsonSink, progress?: RunProgress): Promise<RunSummary>;
export async function runPipeline<R>(pipeline: Pipeline<R>, sink: OutboxSink | NdjsonSink, progress: RunProgress = {}): Promise<ImportResult | RunSummary> {
  const items = importItems(pipeline);
  const bar = progress.what !== undefined && progress.logger !== undefined ? startProgress(progress.what, progress.logger) : undefined;
  const onProgress = (s: RunSummary) => {
    bar?.update(s.read, progressDetail(s));
    progress.onProgress?.(s);
  };
  try {
    const result = 'out' in sink
      ? await translateToNdjson(items, sink.out, onProgress, pipeline.validate)
      : await runImport(items, { ...sink, onProgress, ...(pipeline.validate === undefined ? {} : { validate: pipeline.validate }) });
    // The last count shown is the run's, whenever the sink last reported.
    const summary = 'runId' in result ? result.summary : result;
    bar?.update(summary.read, progressDetail(summary));
    return result;
  } finally {
    bar?.stop();
  }
}
