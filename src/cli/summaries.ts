/**
 * The summaries commands print: a short block of the counts that are not zero (the full
 * object, zero rows included, with `--json`), and, per kind, when a summary means that
 * nothing could be done: then the command exits 1 with that cause (failure.ts).
 * Decision (README "Command line"): a command that did anything exits 0 and says what
 * failed beside; only one that did nothing at all because of a fault exits 1.
 */
import { CodedError, type ErrorCode } from '../errors.js';
import type { CourseraPullSummary } from '../pipelines/coursera-pull.js';
import type { EdxSyncSummary } from '../pipelines/edx-s3-sync.js';
import type { FutureLearnPullSummary } from '../pipelines/futurelearn-pull.js';
import type { KhanPullSummary } from '../pipelines/khan.js';
import type { FlushSummary } from '../lrs/delivery-stats.js';
import type { RunSummary } from '../xapi/run-summary.js';
import type { CliIo } from './context.js';

/** How a kind of summary is told short, and when it means nothing could be done (the cause, coded `code`). */
export interface SummaryKind<S> {
  text(summary: S): string;
  failure?(summary: S): string | undefined;
  code?: ErrorCode;
}

/** The option of the commands that print a summary. */
export interface SummaryOptions {
  json?: boolean;
}

/**
 * Prints `summary` on `stream` (stdout, or stderr beside NDJSON output): short, or the whole
 * object with `--json`; then throws the cause when the summary says nothing could be done.
 * @example printSummary(io, opts, summary, RUNS);
 */
export function printSummary<S>(io: CliIo, opts: SummaryOptions, summary: S, kind: SummaryKind<S>, stream = io.stdout): void {
  if (opts.json) stream.write(`${stream === io.stdout ? JSON.stringify(summary, null, 2) : JSON.stringify(summary)}\n`);
  else stream.write(`${kind.text(summary)}\n`);
  const cause = kind.failure?.(summary);
  if (cause !== undefined) throw new CodedError(kind.code ?? 'unavailable', cause);
}

/** An import's summary: a run summary with the import run's id and what the importer adds. */
export type ImportSummary = RunSummary & { runId?: number; snapshot?: string; blocks?: number };

/** How many rejections and errors a short summary names; the rest are counted (and `--json` or `rejected list` show them). */
const SHOWN = 3;

const n = (value: number) => value.toLocaleString('en-US');
const plural = (value: number, one: string, more: string) => `${n(value)} ${value === 1 ? one : more}`;

/** `label value` pairs whose value is not zero, comma-separated: `requested 2, polled 3`. */
function nonZero(pairs: readonly (readonly [string, number])[]): string {
  return pairs.filter(([, value]) => value !== 0).map(([label, value]) => `${label} ${n(value)}`).join(', ');
}

/** `value label` pairs whose value is not zero, comma-separated: `3 new, 2 rejected`. */
function countsOf(pairs: readonly (readonly [string, number])[]): string {
  return pairs.filter(([, value]) => value !== 0).map(([label, value]) => `${n(value)} ${label}`).join(', ');
}

/** A run's counts on one line: `read 1,300: 1,204 translated into 1,204 statements (1,180 new), 94 ignored, 2 rejected`. */
function runLine(s: RunSummary): string {
  const outbox = s.added === undefined ? '' : ` (${countsOf([['new', s.added], ['already in the outbox', s.known ?? 0]]) || 'none new'})`;
  const translated = s.translated === 0 ? [] : [`${n(s.translated)} translated into ${n(s.statements)} statements${outbox}`];
  const rest = [['ignored', s.ignored], ['rejected', s.rejected], ['of unresolved learners', s.unresolved ?? 0], ['with replaced text', s.replaced ?? 0], ['of erased learners, dropped', s.erased ?? 0], ['erased by the platform', s.erasedByPlatform ?? 0]] as const;
  return `read ${n(s.read)} records${s.read === 0 ? '' : `: ${[...translated, countsOf(rest)].filter(Boolean).join(', ')}`}`;
}

/** Where the rejected records of a run are listed. */
const seeRejected = (runId: number | undefined) => (runId === undefined ? '' : ` (see: xapi-gateway rejected list --run ${runId})`);

/** The largest entries of `counts`, as `name 3, other 1`, and how many more. */
function top(counts: Record<string, number>, limit = SHOWN): string {
  const entries = Object.entries(counts).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  const more = entries.length > limit ? `, and ${entries.length - limit} more` : '';
  return entries.slice(0, limit).map(([k, v]) => `${k} ${n(v)}`).join(', ') + more;
}

/** An import's or translation's short summary. */
function runText(s: ImportSummary): string {
  const lines = [`${s.runId === undefined ? '' : `import run ${s.runId}: `}${runLine(s)}`];
  if (s.ignored > 0 && s.ignoredBy) lines.push(`  ignored: ${top(s.ignoredBy)}`);
  if (s.rejected > 0) {
    const byType = Object.fromEntries(Object.entries(s.byType).map(([type, c]) => [type, c.rejected]));
    lines.push(`  rejected ${n(s.rejected)}${seeRejected(s.runId)}: ${top(byType)}`);
    for (const e of s.errors.slice(0, SHOWN)) lines.push(`    ${e.at}: ${e.reason}`);
  }
  return lines.join('\n');
}

/** Why an import did nothing: not one record of its input could be read. */
function runFailure(s: ImportSummary): string | undefined {
  if (s.read === 0 || s.rejected < s.read) return undefined;
  const first = s.errors[0];
  return `no record of the input could be read: all ${n(s.read)} rejected${seeRejected(s.runId)}${first ? `; first: ${first.at}: ${first.reason}` : ''}`;
}

/** Imports and translations. */
export const RUNS: SummaryKind<ImportSummary> = { text: runText, failure: runFailure, code: 'invalid' };

/** A flush's short summary; whether it failed needs the outbox, which the command reads (commands/outbox.ts). */
export const FLUSHES: SummaryKind<FlushSummary> = { text: flushText };

function flushText(s: FlushSummary): string {
  const done = countsOf([['sent', s.sent], ['dead (refused by the LRS)', s.dead], ['in conflict', s.conflict], ['to retry', s.retried]]);
  const lines = [done ? `statements: ${done} (${plural(s.batches, 'batch', 'batches')}, ${plural(s.requests, 'request', 'requests')})` : 'nothing was due'];
  if (s.dead + s.conflict > 0) lines.push('  refused statements: see xapi-gateway status');
  if (s.stoppedBy !== undefined) lines.push(`  stopped early: ${s.stoppedBy}`);
  return lines.join('\n');
}

/** The errors of a pull, the first few. */
function errorLines<E extends { reason: string }>(errors: readonly E[], at: (e: E) => string): string[] {
  const lines = errors.slice(0, SHOWN).map((e) => `  error: ${at(e)}: ${e.reason}`);
  if (errors.length > SHOWN) lines.push(`  and ${errors.length - SHOWN} more errors (--json lists them)`);
  return lines;
}

/** The cause of a pull that did nothing but fail. */
function pullFailure(what: string, didSomething: boolean, errors: readonly { reason: string }[]): string | undefined {
  if (didSomething || errors.length === 0) return undefined;
  return `nothing pulled from ${what}: ${errors[0]!.reason}${errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : ''}`;
}

const courseraCounts = (s: CourseraPullSummary) =>
  nonZero([['requested', s.requested], ['adopted', s.adopted], ['polled', s.polled], ['pending', s.pending], ['terminated', s.terminated], ['downloaded', s.downloaded]]);

/** The short summary and failure of each pull, by command. */
export const PULLS: {
  coursera: SummaryKind<CourseraPullSummary>;
  edx: SummaryKind<EdxSyncSummary>;
  futurelearn: SummaryKind<FutureLearnPullSummary>;
  khan: SummaryKind<KhanPullSummary>;
} = {
  coursera: {
    text: (s: CourseraPullSummary) => [
      `Coursera export jobs: ${courseraCounts(s) || 'none requested or due'}`,
      ...s.imported.map((i) => `  imported ${i.kind} of ${i.courseId}: import run ${i.runId}: ${runLine(i.summary)}`),
      ...errorLines(s.errors, (e) => `${e.course} ${e.step}`),
    ].join('\n'),
    failure: (s: CourseraPullSummary) => pullFailure('Coursera', courseraCounts(s) !== '' || s.imported.length > 0, s.errors),
  },
  edx: {
    text: (s: EdxSyncSummary) => [
      `edX S3: ${nonZero([['listed', s.listed], ['unchanged', s.unchanged], ['fetched', s.fetched], ['imported', s.imported], ['failed', s.failed], ['skipped', s.skipped.length]]) || 'nothing listed'}`,
      ...(s.runs.length > 0 ? [`  ${plural(s.statements, 'new statement', 'new statements')} in ${plural(s.runs.length, 'import run', 'import runs')} (${s.runs.join(', ')})`] : []),
      ...errorLines(s.errors, (e) => `${e.code}`),
      ...(s.skipped.length > 0 ? [`  skipped: ${s.skipped[0]!.at}: ${s.skipped[0]!.reason}${s.skipped.length > 1 ? ` (and ${s.skipped.length - 1} more)` : ''}`] : []),
    ].join('\n'),
    failure: (s: EdxSyncSummary) => pullFailure('edX S3', s.imported > 0, s.errors),
  },
  futurelearn: {
    text: (s: FutureLearnPullSummary) => [
      `FutureLearn: ${nonZero([['courses', s.courses], ['runs', s.runs], ['skipped', s.skipped], ['datasets', s.datasets], ['downloaded', s.downloaded], ['unchanged', s.unchanged], ['failed', s.failed]]) || 'nothing found'}${s.complete ? '' : ' (incomplete)'}`,
      ...s.imported.map((i) => `  imported ${i.folder}: import run ${i.runId}: ${runLine(i.summary)}`),
      ...errorLines(s.errors, (e) => e.at),
    ].join('\n'),
    failure: (s: FutureLearnPullSummary) => pullFailure('FutureLearn', s.downloaded + s.unchanged > 0 || s.imported.length > 0, s.errors),
  },
  khan: {
    text: (s: KhanPullSummary) => [
      `Khan Academy: ${nonZero([['coaches', s.coaches], ['students', s.students], ['requests', s.requests], ['erased students skipped', s.erased ?? 0]]) || 'no coach authorized (see: xapi-gateway khan authorize)'}`,
      `  ${runLine(s.import)}`,
      ...errorLines(s.errors, (e) => e.at),
    ].join('\n'),
    failure: (s: KhanPullSummary) => pullFailure('Khan Academy', s.students > 0, s.errors),
  },
};
