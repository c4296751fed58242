/**
 * docs/reports/<platform>.md describe every column of every CSV file the reports write;
 * below their marker line they are generated from the code's column tables, and this
 * test holds them in step. After changing a table, regenerate them with
 * `WRITE_COLUMN_DOCS=1 npx vitest run test/reports/column-docs.test.ts` and review the diff.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { courseraIndicatorsTable } from '../../src/reports/coursera/indicators-csv.js';
import { EDX_REPORTS, reportOptions } from '../../src/reports/edx/reports.js';
import { futurelearnTables } from '../../src/reports/futurelearn/csv.js';
import { KHAN_TABLES, khanTables } from '../../src/reports/khan/tables.js';
import { columnsMarkdown, type ReportTable } from '../../src/reports/table.js';

const MARKER = '<!-- Below: generated from the column tables of src/reports; test/reports/column-docs.test.ts checks it. -->';
const OPTIONS = reportOptions(loadConfig({}));

/** Each platform's tables as a report without data has them. */
const TABLES: Record<string, () => Promise<ReportTable[]>> = {
  edx: async () => Object.entries(EDX_REPORTS).map(([name, r]) => ({ name, description: r.description, columns: r.create(OPTIONS).columns?.() ?? r.columns, rows: [] })),
  futurelearn: async () => futurelearnTables({ course: '', run: '', runIri: '', title: '', statements: 0, steps: 0, overview: [], stepFunnel: [], weekFunnel: [], comments: [], quiz: [], videos: [], demographics: [], signups: { days: [], hasUnenrolments: false, hasFullParticipation: false }, stepHeatmap: { unit: 'day', columns: [], steps: [], max: 0 }, commentWeeks: { courseWeeks: [], calendarWeeks: [] }, erasedByPlatform: {} }),
  coursera: async () => [courseraIndicatorsTable({ courseId: '', at: '', statements: 0, learners: [] })],
  khan: async () => khanTables(async () => [], KHAN_TABLES),
};

describe('the column READMEs of the report files', () => {
  it.each(Object.keys(TABLES))('docs/reports/%s.md lists every column of every file', async (platform) => {
    const path = new URL(`../../docs/reports/${platform}.md`, import.meta.url);
    const text = await readFile(path, 'utf8');
    const at = text.indexOf(MARKER);
    expect(at, `${platform}.md has the marker line`).toBeGreaterThan(0);
    const generated = `${MARKER}\n\n${columnsMarkdown(await TABLES[platform]!())}`;
    if (process.env.WRITE_COLUMN_DOCS === '1') await writeFile(path, text.slice(0, at) + generated);
    expect(text.slice(at)).toBe(generated);
  });
});
