/** The Khan Academy commands: `khan authorize|coaches|revoke|pull`, `report khan`. */
import { readWarehouseTable } from '../../ingest/khan/warehouse.js';
import { KHAN_TABLES, type KhanTableName } from '../../reports/khan/tables.js';
import { writeKhanCsv } from '../../reports/khan/csv.js';
import { CodedError } from '../../errors.js';
import { UsageError } from '../failure.js';
import { PULLS, type SummaryOptions } from '../summaries.js';
import { printJson, pullNow, withContext, type CliIo } from '../context.js';
import { authorizeKhanCoach, listKhanCoaches, revokeKhanCoach, terminalKhanIo } from '../khan-authorize.js';
import { pullKhanNow } from '../../pipelines/khan.js';
import { ADVISORY_LOCKS } from '../../db/advisory-locks.js';

export function authorize(io: CliIo, opts: { coach: string; listen?: string }): Promise<void> {
  return withContext(io, async ({ config, database }) => {
    const port = opts.listen === undefined ? undefined : Number(opts.listen);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) throw new UsageError('--listen', 'expected a port number, 0 to 65535');
    printJson(io, await authorizeKhanCoach({ config, database, coachEmail: opts.coach, io: terminalKhanIo(io), ...(port !== undefined && { listen: { port } }) }));
  });
}

export function coaches(io: CliIo): Promise<void> {
  return withContext(io, async ({ database }) => {
    printJson(io, await listKhanCoaches(database));
  });
}

export function revoke(io: CliIo, coach: string): Promise<void> {
  return withContext(io, async ({ database }) => {
    if (!(await revokeKhanCoach(database, coach))) throw new CodedError('not-found', `no active Khan coach is ${coach}; see khan coaches`);
    printJson(io, { revoked: coach });
  });
}

export function pull(io: CliIo, opts: SummaryOptions): Promise<void> {
  return pullNow(io, opts, ADVISORY_LOCKS.khanPull, 'Khan Academy', (ctx) => pullKhanNow(ctx, { showProgress: true }), PULLS.khan);
}

export function report(io: CliIo, table: string, opts: { out: string }): Promise<void> {
  return withContext(io, async ({ database }) => {
    if (table !== 'all' && !(KHAN_TABLES as readonly string[]).includes(table)) throw new UsageError(table, `not a Khan table; one of ${KHAN_TABLES.join(', ')}, or all`);
    printJson(io, { files: await writeKhanCsv((name) => readWarehouseTable(database, name), table as KhanTableName | 'all', opts.out) });
  });
}

/** The help of `report khan <table>`, read when that command runs. */
export function tableNames(): string {
  return `a table (${KHAN_TABLES.join(', ')}) or all`;
}
