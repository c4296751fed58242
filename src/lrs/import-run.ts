/**
 * The entrance to the outbox for every importer: translated records are validated,
 * their statements enqueued in large batches, rejections stored in `rejected_records`,
 * and the run with its summary kept in `import_runs` (DESIGN.md invariants 2 and 5).
 */
import { eq } from 'drizzle-orm';
import type { Database, SqlSession } from '../db/connection.js';
import { erasedPseudonyms } from '../db/erased-learners.js';
import { importRuns, rejectedRecords } from './schema.js';
import { SummaryCounter, rejectionReason, type Rejection, type RunSummary } from '../xapi/run-summary.js';
import { escapeUnstorable, replaceUnstorableIn } from '../xapi/storable.js';
import { formatIssues, validateStatement, type StatementIssue } from '../xapi/validate.js';
import type { Outbox, OutboxStatement, RefusedStatement } from './outbox.js';
import { endLiveRun, startLiveRun, sweepInterruptedRuns } from './import-run-sweep.js';

/** What became of one source record. */
export type ImportItem = {
  at: string;
  /** The source type (edX event type, Coursera table, ...), for `byType`. */
  type: string;
  /** The raw record, kept with a rejection so that it can be fixed and re-run. */
  payload?: string;
  /** The account name a rejected record names, where it could be read: one of an erased learner is dropped, not kept. */
  learner?: string;
} & ({ statements: OutboxStatement[]; unresolved?: true } | { ignored: true; reason?: string } | { rejection: Rejection } | { erasedByPlatform: true });

/** One import's inputs. */
export interface ImportOptions {
  database: Database;
  outbox: Outbox;
  /** e.g. `xapi`, `edx`: the `source` of outbox rows, rejections and the run. */
  source: string;
  /** What was read, e.g. the file path, for the run record. */
  input: string;
  /** Called after every flushed batch with the summary so far. */
  onProgress?: (summary: RunSummary) => void;
  /** Statements per enqueue. */
  batchSize?: number;
  /** How statements are validated: the full check by default; `validateBuiltStatement` for a rule table's. */
  validate?: StatementValidator;
}

/** The issues of one statement; empty when it is valid. */
export type StatementValidator = (statement: unknown) => StatementIssue[];

/** The finished run. */
export interface ImportResult {
  runId: number;
  summary: RunSummary;
}

const DEFAULT_BATCH = 5000;

/**
 * Whose erasures the records of a source are checked against, where the source is not a
 * platform's own name: the edX package's learners are edX's, and ready-made xAPI
 * statements may name a learner of any platform.
 */
const ERASURE_SCOPE: Readonly<Record<string, string>> = { 'edx-package': 'edx', xapi: 'any' };

type RejectedRow = typeof rejectedRecords.$inferInsert;

/** Where the statements of one record came from: shared by its statements in a batch. */
interface Origin {
  at: string;
  type: string;
  payload: string | null;
}

/**
 * Consumes `items` in constant memory and returns the run's summary. A failure that
 * stops the run (the database went away) marks the run failed and rethrows.
 * @example const { summary } = await runImport(readNdjson(path), { database, outbox, source: 'xapi', input: path });
 */
export async function runImport(items: AsyncIterable<ImportItem> | Iterable<ImportItem>, opts: ImportOptions): Promise<ImportResult> {
  const { database, source } = opts;
  const runId = await startLiveRun(database, (id) => database.db.insert(importRuns).values({ id, source, input: opts.input }));
  try {
    await sweepInterruptedRuns(database);
    return await importInto(runId, items, opts);
  } finally {
    // After the run's final status: released before it, a sweep could mark a finished run interrupted.
    await endLiveRun(database, runId);
  }
}

/** The body of `runImport`, in run `runId`, which is live. */
async function importInto(runId: number, items: AsyncIterable<ImportItem> | Iterable<ImportItem>, opts: ImportOptions): Promise<ImportResult> {
  const { database, outbox, source } = opts;
  const counter = new SummaryCounter();
  const summary = counter.summary;
  summary.added = 0;
  summary.known = 0;
  // Learners erased at their request never come back (docs/learner-rights.md).
  const erased = await erasedPseudonyms(database, ERASURE_SCOPE[source] ?? source);
  if (erased.size > 0) summary.erased = 0;
  let statements: OutboxStatement[] = [];
  // origins[i] is where statements[i] came from, so that a statement the database
  // refuses becomes a rejection at its record's position.
  let origins: Origin[] = [];
  let rejections: RejectedRow[] = [];
  const rejectionRow = (origin: Origin, rejection: Rejection): RejectedRow => ({
    runId, source, type: origin.type, position: origin.at, code: rejection.code, reason: rejectionReason(rejection),
    // The record as received; a text column cannot hold U+0000, so it is kept escaped.
    payload: origin.payload === null ? null : escapeUnstorable(origin.payload),
  });

  // One write in flight while the next batch is translated: an import costs the
  // larger of translating and writing, not their sum.
  let writing: Promise<void> = Promise.resolve();
  const write = async (batch: OutboxStatement[], from: Origin[], rejected: RejectedRow[]) => {
    if (batch.length > 0) {
      const { added, known, refused } = await outbox.enqueue(batch, source);
      summary.added! += added;
      summary.known! += known;
      if (refused !== undefined) {
        for (const [origin, reasons] of byOrigin(refused, from)) {
          const rejection: Rejection = { code: 'unstorable', detail: reasons[0]! };
          counter.refused(origin.type, origin.at, reasons.length, rejection);
          rejected.push(rejectionRow(origin, rejection));
        }
      }
    }
    if (rejected.length > 0) await database.db.insert(rejectedRecords).values(rejected);
    opts.onProgress?.(summary);
  };
  const flush = async () => {
    await writing;
    writing = write(statements, origins, rejections);
    // Seen when awaited by the next flush or at the end; not an unhandled rejection meanwhile.
    writing.catch(() => undefined);
    statements = [];
    origins = [];
    rejections = [];
  };
  const replacing = outbox.unstorableText === 'replace';
  if (replacing) summary.replaced = 0;

  try {
    for await (const item of items) {
      let produced = 'statements' in item ? item.statements : undefined;
      if (produced !== undefined && replacing) {
        const replaced = produced.map((s) => replaceUnstorableIn(s));
        summary.replaced! += replaced.filter((s, i) => s !== produced![i]).length;
        produced = replaced;
      }
      const rejection = 'rejection' in item ? item.rejection : produced !== undefined ? firstInvalid(produced, opts.validate) : undefined;
      if ('erasedByPlatform' in item) {
        counter.erasedByPlatform(item.type);
      } else if (produced !== undefined && erased.size > 0 && produced.some((s) => erased.has(actorName(s) ?? ''))) {
        counter.erased(item.type);
      } else if ('rejection' in item && item.learner !== undefined && erased.has(item.learner)) {
        counter.erased(item.type);
      } else if (rejection) {
        counter.rejected(item.type, item.at, rejection);
        rejections.push(rejectionRow({ at: item.at, type: item.type, payload: item.payload ?? null }, rejection));
      } else if (produced !== undefined) {
        counter.translated(item.type, produced.length, 'unresolved' in item && item.unresolved === true);
        const origin: Origin = { at: item.at, type: item.type, payload: item.payload ?? null };
        for (const statement of produced) {
          statements.push(statement);
          origins.push(origin);
        }
      } else {
        counter.ignored(item.type, 'reason' in item ? item.reason : undefined);
      }
      if (statements.length >= (opts.batchSize ?? DEFAULT_BATCH) || rejections.length >= 1000) await flush();
    }
    await flush();
    await writing;
  } catch (err) {
    await database.db
      .update(importRuns)
      .set({ status: 'failed', endedAt: new Date(), counts: summary, error: escapeUnstorable(err instanceof Error ? err.message : String(err)) })
      .where(eq(importRuns.id, runId));
    throw err;
  }
  await database.db.update(importRuns).set({ status: 'finished', endedAt: new Date(), counts: summary }).where(eq(importRuns.id, runId));
  return { runId, summary };
}

/** The account name of a statement's actor: the pseudonym the erasure registry keeps. */
function actorName(statement: OutboxStatement): string | undefined {
  const name = (statement as { actor?: { account?: { name?: unknown } } }).actor?.account?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The refusal reasons of a batch grouped by the record the refused statements came from. */
function byOrigin(refused: readonly RefusedStatement[], origins: readonly Origin[]): Map<Origin, string[]> {
  const grouped = new Map<Origin, string[]>();
  for (const { index, reason } of refused) {
    const origin = origins[index]!;
    grouped.set(origin, [...(grouped.get(origin) ?? []), reason]);
  }
  return grouped;
}

/** The first statement's validation failure, as a rejection naming the field path. */
export function firstInvalid(statements: readonly OutboxStatement[], validate: StatementValidator = validateStatement): Rejection | undefined {
  for (const [i, statement] of statements.entries()) {
    const issues = validate(statement);
    if (issues.length > 0) {
      const prefix = statements.length > 1 ? `statement ${i}: ` : '';
      return { code: 'invalid_statement', field: issues[0]!.path, detail: prefix + formatIssues(issues) };
    }
  }
  return undefined;
}

/** How many rejected records the database holds, for `/metrics`. */
export async function countRejectedRecords(session: SqlSession): Promise<number> {
  const { rows } = await session.query<{ n: number }>('SELECT count(*)::int AS n FROM rejected_records');
  return rows[0]?.n ?? 0;
}
