/**
 * A vitest reporter for `npm run faults`: after the run, one table of every fault
 * scenario's expected and observed counts (scenario | kind | expected | observed | ok).
 */
import type { Reporter, TestModule } from 'vitest/node';
import type { FaultRow } from './fault-table.js';

const COLUMNS = ['scenario', 'kind', 'what', 'expected', 'observed', 'ok'] as const;

/** The rows as a Markdown table, ready for a closing note. */
export function faultTable(rows: readonly FaultRow[]): string {
  const cells = rows.map((r) => [r.scenario, r.kind, r.what, r.expected, r.observed, r.ok ? 'ok' : 'MISMATCH']);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Prints the fault table of the run to stdout. */
export default class FaultTableReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows = testModules.flatMap((m) => [...m.children.allTests()].flatMap((t) => t.meta().faults ?? []));
    if (rows.length === 0) return;
    process.stdout.write(`\nFault suite: expected and observed counts\n\n${faultTable(rows)}\n\n`);
  }
}
