/** `rejected list|show|purge`: the records the importers could not take, kept in `rejected_records`. */
import { CodedError } from '../../errors.js';
import { countPurge, getRejected, listRejected, purgeRejected, type PurgeScope, type RejectedRecord } from '../../lrs/rejected-records.js';
import { printJson, withContext, type CliIo } from '../context.js';
import { UsageError } from '../failure.js';

/** A whole number from 1, or an `invalid` error naming the flag. */
function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(flag, `expected a whole number from 1, got "${value}"`);
  return n;
}

/** The columns of the list, as the operator reads them: where the record was, and why it was refused. */
const COLUMNS: readonly (readonly [string, (r: RejectedRecord) => string])[] = [
  ['id', (r) => String(r.id)],
  ['run', (r) => (r.runId === null ? '-' : String(r.runId))],
  ['place', (r) => r.position],
  ['code', (r) => r.code],
  ['reason', (r) => r.reason.replace(/\s+/g, ' ')],
];

/** The rows as a table of padded columns; the last column is not padded. */
function table(rows: readonly RejectedRecord[]): string {
  const cells = [COLUMNS.map(([name]) => name), ...rows.map((r) => COLUMNS.map(([, cell]) => cell(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return cells.map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

export function list(io: CliIo, opts: { run?: string; reason?: string; type?: string; source?: string; limit: string; json?: boolean }): Promise<void> {
  const filter = {
    limit: positive('--limit', opts.limit),
    ...(opts.run !== undefined && { runId: positive('--run', opts.run) }),
    ...(opts.reason !== undefined && { code: opts.reason }),
    ...(opts.type !== undefined && { type: opts.type }),
    ...(opts.source !== undefined && { source: opts.source }),
  };
  return withContext(io, async ({ database }) => {
    const rows = await listRejected(database, filter);
    if (opts.json) return printJson(io, rows);
    io.stdout.write(rows.length === 0 ? 'no rejected records match\n' : `${table(rows)}\n`);
  });
}

export function show(io: CliIo, id: string, opts: { json?: boolean }): Promise<void> {
  const recordId = positive('<id>', id);
  return withContext(io, async ({ database }) => {
    const r = await getRejected(database, recordId);
    if (opts.json) return printJson(io, r);
    const facts = [['id', r.id], ['run', r.runId ?? '-'], ['source', r.source], ['type', r.type ?? '-'], ['place', r.position], ['code', r.code], ['reason', r.reason], ['stored', r.createdAt.toISOString()]];
    io.stdout.write(`${facts.map(([k, v]) => `${String(k)}: ${String(v)}`).join('\n')}\nrecord:\n${r.payload ?? '(not kept)'}\n`);
  });
}

/** The scope of a purge: exactly one of --run, --before, --all. */
function purgeScope(opts: { run?: string; before?: string; all?: boolean }): PurgeScope {
  const given = [opts.run, opts.before, opts.all].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UsageError('--run, --before, --all', 'give exactly one of them');
  if (opts.run !== undefined) return { runId: positive('--run', opts.run) };
  if (opts.before !== undefined) {
    if (!/^\d{4}-\d\d-\d\d$/.test(opts.before) || Number.isNaN(Date.parse(opts.before))) throw new UsageError('--before', `expected a day, YYYY-MM-DD, got "${opts.before}"`);
    return { before: opts.before };
  }
  return { all: true };
}

export function purge(io: CliIo, opts: { run?: string; before?: string; all?: boolean; yes?: boolean; json?: boolean }): Promise<void> {
  const scope = purgeScope(opts);
  return withContext(io, async ({ database }) => {
    if (!opts.yes) {
      const n = await countPurge(database, scope);
      throw new CodedError('invalid', `${n} rejected record(s) would be deleted; run again with --yes to delete them`);
    }
    const deleted = await purgeRejected(database, scope);
    if (opts.json) return printJson(io, { deleted });
    io.stdout.write(`deleted ${deleted} rejected record(s)\n`);
  });
}
