/**
 * The imports page, `/console/imports`: import runs with their counts, newest first; one
 * run with its counts by source type, its rejections by reason, and its rejected records
 * paged with their position and reason. The raw record of a rejection is never shown:
 * it may hold learner data (`rejected show` on the command line prints it for a fix).
 */
import { Router } from 'express';
import type { Database } from '../db/connection.js';
import { getImportRun, listImportRuns, rejectedCodesOf, type ImportRun } from '../lrs/import-run-list.js';
import { listRejected } from '../lrs/rejected-records.js';
import { consolePage, integerField } from './input.js';
import { esc, figures, hrefOf, instant, sendPage, table } from './layout.js';
import { sessionIn } from './sign-in.js';

const PATH = '/console/imports';
const RUNS_PER_PAGE = 25;
const REJECTED_PER_PAGE = 50;
const COUNTS = ['read', 'translated', 'statements', 'ignored', 'rejected'] as const;

/** A count of a run's summary, as text; a dash where the summary lacks it (a run still going, or failed early). */
function countText(counts: unknown, name: string): string {
  const value = typeof counts === 'object' && counts !== null ? (counts as Record<string, unknown>)[name] : undefined;
  return typeof value === 'number' ? String(value) : '–';
}

/** The summary's counts by source type, as rows. */
function byTypeRows(counts: unknown): string[][] {
  const byType = typeof counts === 'object' && counts !== null ? (counts as { byType?: unknown }).byType : undefined;
  if (typeof byType !== 'object' || byType === null) return [];
  return Object.entries(byType as Record<string, unknown>).map(([type, c]) => [esc(type), countText(c, 'translated'), countText(c, 'ignored'), countText(c, 'rejected')]);
}

function runRow(run: ImportRun): string[] {
  return [
    `<a href="${PATH}/${run.id}">Run ${run.id}</a>`, esc(run.source), esc(run.status), instant(run.startedAt), instant(run.endedAt),
    ...COUNTS.map((c) => countText(run.counts, c)),
  ];
}

/** The router of the imports page. */
export function importsPage(deps: { database: Database }): Router {
  const router = Router();
  router.get('/imports', consolePage('Imports', PATH, async (req, res) => {
    const before = integerField(req, 'query', 'before');
    const runs = await listImportRuns(deps.database, { ...(before !== undefined && { beforeId: before }), limit: RUNS_PER_PAGE + 1 });
    const shown = runs.slice(0, RUNS_PER_PAGE);
    const next = runs.length > RUNS_PER_PAGE ? `<p><a rel="next" href="${hrefOf(PATH, { before: shown.at(-1)!.id })}">Older runs</a></p>` : '';
    sendPage(res, 200, {
      title: 'Imports', current: PATH, csrf: sessionIn(res).csrf,
      body: `${table('Import runs, newest first', ['Run', 'Importer', 'Status', 'Started', 'Ended', 'Read', 'Translated', 'Statements', 'Ignored', 'Rejected'], shown.map(runRow), 'no run yet')}\n${next}`,
    });
  }));
  router.get('/imports/:run', consolePage('Imports', PATH, async (req, res) => {
    const { run: given } = req.params as { run: string };
    const runId = /^\d{1,15}$/.test(given) ? Number(given) : undefined;
    const run = runId === undefined ? undefined : await getImportRun(deps.database, runId);
    const { csrf } = sessionIn(res);
    if (run === undefined) return sendPage(res, 404, { title: 'Imports', current: PATH, csrf, error: 'There is no such import run.', body: `<p><a href="${PATH}">All runs</a></p>` });
    const before = integerField(req, 'query', 'before');
    const [codes, rejected] = await Promise.all([
      rejectedCodesOf(deps.database, run.id),
      listRejected(deps.database, { runId: run.id, ...(before !== undefined && { beforeId: before }), limit: REJECTED_PER_PAGE + 1 }),
    ]);
    const shown = rejected.slice(0, REJECTED_PER_PAGE);
    const next = rejected.length > REJECTED_PER_PAGE ? `<p><a rel="next" href="${hrefOf(`${PATH}/${run.id}`, { before: shown.at(-1)!.id })}">More rejected records</a></p>` : '';
    sendPage(res, 200, {
      title: `Import run ${run.id}`, current: PATH, csrf,
      ...(run.error !== null && { error: `The run failed: ${run.error}` }),
      body: `<p><a href="${PATH}">All runs</a> · ${esc(run.source)}${run.input === null ? '' : `, <code>${esc(run.input)}</code>`} · ${esc(run.status)} · ${instant(run.startedAt)} to ${instant(run.endedAt)}</p>
${figures(COUNTS.map((c) => [c[0]!.toUpperCase() + c.slice(1), countText(run.counts, c)]))}
${table('Records by source type', ['Source type', 'Translated', 'Ignored', 'Rejected'], byTypeRows(run.counts), 'no records')}
${table('Rejected records by reason', ['Reason code', 'Records'], codes.map((c) => [esc(c.code), String(c.rows)]), 'none stored')}
${table('Rejected records, newest first', ['Position', 'Source type', 'Reason code', 'Reason'], shown.map((r) => [`<code>${esc(r.position)}</code>`, esc(r.type ?? ''), esc(r.code), esc(r.reason)]), 'none stored')}
${next}`,
    });
  }));
  return router;
}
