/** The Khan Academy commands: `khan authorize|coaches|revoke|pull`, `report khan`. */
import { readWarehouseTable } from '../../ingest/khan/warehouse.js';
import { KHAN_TABLES, type KhanTableName } from '../../reports/khan/tables.js';
import { writeKhanCsv } from '../../reports/khan/csv.js';
import { printJson, pullNow, withContext } from '../context.js';
import { authorizeKhanCoach, listKhanCoaches, revokeKhanCoach, terminalKhanIo } from '../khan-authorize.js';
import { KHAN_PULL_LOCK, pullKhanNow } from '../../pipelines/khan.js';

export function authorize(opts: { coach: string; listen?: string }): Promise<void> {
  return withContext(async ({ config, database }) => {
    const port = opts.listen === undefined ? undefined : Number(opts.listen);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) throw new Error('--listen: expected a port number, 0 to 65535');
    printJson(await authorizeKhanCoach({ config, database, coachEmail: opts.coach, io: terminalKhanIo(), ...(port !== undefined && { listen: { port } }) }));
  });
}

export function coaches(): Promise<void> {
  return withContext(async ({ database }) => {
    printJson(await listKhanCoaches(database));
  });
}

export function revoke(coach: string): Promise<void> {
  return withContext(async ({ database }) => {
    if (!(await revokeKhanCoach(database, coach))) throw new Error(`no active Khan coach is ${coach}; see khan coaches`);
    printJson({ revoked: coach });
  });
}

export function pull(): Promise<void> {
  return pullNow(KHAN_PULL_LOCK, 'Khan Academy', (ctx) => pullKhanNow(ctx, { showProgress: true }));
}

export function report(table: string, opts: { out: string }): Promise<void> {
  return withContext(async ({ database }) => {
    if (table !== 'all' && !(KHAN_TABLES as readonly string[]).includes(table)) throw new Error(`${table}: not a Khan table; one of ${KHAN_TABLES.join(', ')}, or all`);
    printJson({ files: await writeKhanCsv((name) => readWarehouseTable(database, name), table as KhanTableName | 'all', opts.out) });
  });
}

/** The help of `report khan <table>`, read when that command runs. */
export function tableNames(): string {
  return `a table (${KHAN_TABLES.join(', ')}) or all`;
}
