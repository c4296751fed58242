/**
 * Runs the edX course reports: every statement of the course (the course as object or
 * parent, in any of its activity ids) is read once through `StatementQuery` and fed to
 * each report asked for; statements outside the optional time span are skipped.
 */
import { CodedError } from '../../errors.js';
import { allStatements, type StatementQuery } from '../../lrs/statement-query.js';
import type { Cell, ReportTable } from '../table.js';
import { EDX_REPORTS, type ReportOptions } from './reports.js';

/** Which statements: the course's activity ids and an optional span of days (UTC, inclusive). */
export interface ReportScope {
  courseIris: string[];
  from?: string;
  to?: string;
}

/** Thrown for a report name that does not exist (`not-found`). */
export class UnknownReportError extends CodedError {
  override readonly name = 'UnknownReportError';
  constructor(message: string) {
    super('not-found', message);
  }
}

/** The reports `names` (or all) of a course, from one read of its statements; also how many statements were read. */
export async function runEdxReports(
  query: StatementQuery,
  scope: ReportScope,
  options: ReportOptions,
  names: string[] = Object.keys(EDX_REPORTS),
): Promise<{ tables: ReportTable[]; statements: number }> {
  const unknown = names.filter((n) => !Object.hasOwn(EDX_REPORTS, n));
  if (unknown.length > 0) throw new UnknownReportError(`no report ${unknown.join(', ')}; reports: ${Object.keys(EDX_REPORTS).join(', ')}`);
  const running = names.map((name) => ({ name, definition: EDX_REPORTS[name]!, acc: EDX_REPORTS[name]!.create(options) }));
  const seen = new Set<string>();
  let statements = 0;
  for (const activity of scope.courseIris) {
    for await (const s of allStatements(query, { activity, relatedActivities: true, limit: 500 })) {
      if (s.id !== undefined && seen.has(s.id)) continue;
      if (s.id !== undefined && scope.courseIris.length > 1) seen.add(s.id);
      const day = (s.timestamp ?? '').slice(0, 10);
      if ((scope.from !== undefined && day < scope.from) || (scope.to !== undefined && day > scope.to)) continue;
      statements += 1;
      for (const r of running) r.acc.add(s);
    }
  }
  const tables = running.map((r) => ({ name: r.name, description: r.definition.description, columns: r.acc.columns?.() ?? r.definition.columns, rows: r.acc.rows() }));
  return { tables: options.structure === undefined ? tables : tables.map((t) => withStructure(t, EDX_REPORTS[t.name]!.blockColumn, options.structure!)), statements };
}

/**
 * A table with the course structure applied: the block's display name after its column,
 * and rows in course order of that block (within the columns before it, e.g. per learner).
 */
function withStructure(table: ReportTable, blockColumn: string | undefined, structure: NonNullable<ReportOptions['structure']>): ReportTable {
  const at = blockColumn === undefined ? -1 : table.columns.findIndex((c) => c.name === blockColumn);
  if (at < 0) return table;
  const blocks = new Map(structure.map((b, order) => [b.blockId, { name: b.name, order }]));
  const blockOf = (cell: Cell) => blocks.get(String(cell).slice(String(cell).indexOf('/xblock/') + '/xblock/'.length));
  const before = (row: Cell[]) => row.slice(0, at).join('\u0000');
  const rows = table.rows
    .map((row, index) => ({ row, index, block: blockOf(row[at] ?? '') }))
    .sort((a, b) => (before(a.row) < before(b.row) ? -1 : before(a.row) > before(b.row) ? 1 : (a.block?.order ?? Infinity) - (b.block?.order ?? Infinity) || a.index - b.index))
    .map(({ row, block }) => [...row.slice(0, at + 1), block?.name ?? null, ...row.slice(at + 1)]);
  const columns = [...table.columns.slice(0, at + 1), { name: `${blockColumn}_name`, description: `display name of the ${blockColumn} (from the course structure)` }, ...table.columns.slice(at + 1)];
  return { ...table, columns, rows };
}
