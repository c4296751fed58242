/**
 * The flow page, `/console/outbox`: the outbox by state with the oldest pending row, the
 * last flush and the delivery rate, a chart of rows created and settled per hour, and the
 * dead and conflict rows with their reasons, filtered, paged and requeued (one, the
 * selected, or all of a reason) through `Outbox.requeue`.
 */
import { Router } from 'express';
import type { Database } from '../db/connection.js';
import type { DeliveryStats } from '../lrs/delivery-stats.js';
import { failedPage, failedReasons, outboxHours, type FailedReason, type OutboxHour } from '../lrs/outbox-browse.js';
import type { Outbox, OutboxStatus } from '../lrs/outbox.js';
import { barChart } from '../reports/futurelearn/svg-chart.js';
import { choiceField, consolePage, integerField, textField, uuidsField } from './input.js';
import { csrfField, esc, figures, hrefOf, instant, sendPage, table } from './layout.js';
import { sessionIn } from './sign-in.js';

/** What the flow page reads and acts on. */
export interface OutboxPageDeps {
  database: Database;
  outbox: Outbox;
  stats: DeliveryStats;
  now: () => number;
}

const PATH = '/console/outbox';
const PAGE_SIZE = 50;
const FAILED_STATES = ['dead', 'conflict'] as const;

/** A duration as the largest two units, e.g. `3 h 12 min`. */
export function durationText(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

function flowFigures(status: OutboxStatus, stats: DeliveryStats, hours: OutboxHour[], now: number): string {
  const last = hours.at(-1);
  const flush = stats.lastFlush;
  const latency = stats.latency.count === 0 ? '–' : `${Math.round((stats.latency.sum / stats.latency.count) * 1000)} ms`;
  return figures([
    ['Pending', String(status.counts.pending)],
    ['Sent', String(status.counts.sent)],
    ['Dead', String(status.counts.dead)],
    ['Conflict', String(status.counts.conflict)],
    ['Oldest pending', status.oldestPendingAt === null ? '–' : durationText(now - status.oldestPendingAt.getTime())],
    ['Last delivery', instant(status.lastSentAt)],
    ['Last flush (this instance)', flush === undefined ? '–' : `${instant(flush.endedAt)}: ${flush.sent} sent`],
    ['Delivered in the last active hour', last === undefined ? '–' : `${last.sent} / h`],
    ['Mean LRS latency (this instance)', latency],
    ['Last LRS error (this instance)', stats.lastError === undefined ? '–' : `${stats.lastError.cause} at ${instant(stats.lastError.at)}`],
  ]);
}

const SERIES = [
  { metric: 'created', label: 'created' },
  { metric: 'sent', label: 'sent' },
  { metric: 'dead', label: 'dead' },
  { metric: 'conflict', label: 'conflict' },
] as const;

function hoursChart(hours: OutboxHour[]): string {
  return barChart({
    id: 'outbox-hours',
    caption: 'Statements created and settled per hour (UTC), the last 24 hours with activity',
    max: Math.max(0, ...hours.flatMap((h) => SERIES.map((s) => h[s.metric]))),
    metrics: [...SERIES],
    groups: hours.map((h) => {
      const label = instant(h.hour).slice(0, 13).replace('T', ' ') + ':00';
      return { label, bars: SERIES.map((s) => ({ metric: s.metric, value: h[s.metric], title: `${label}: ${h[s.metric]} ${s.label}` })) };
    }),
  });
}

function reasonsSection(reasons: FailedReason[], csrf: string): string {
  const rows = reasons.map((r) => [
    esc(r.state),
    esc(r.reason ?? '(none)'),
    `<span class="n">${r.rows}</span>`,
    `<a href="${esc(hrefOf(PATH, { state: r.state, reason: r.reason ?? undefined }))}">Show</a>`,
    r.reason === null ? '' : `<form method="post" action="${PATH}/requeue">${csrfField(csrf)}<input type="hidden" name="state" value="${esc(r.state)}"><input type="hidden" name="reason" value="${esc(r.reason)}"><button type="submit" aria-label="Requeue all ${r.rows} ${esc(r.state)} rows of reason: ${esc(r.reason)}">Requeue all ${r.rows}</button></form>`,
  ]);
  return `<section aria-labelledby="reasons-h"><h2 id="reasons-h">Reasons</h2>\n${table('Dead and conflict rows by reason', ['State', 'Reason', 'Rows', 'List', 'Action'], rows, 'no dead or conflict rows')}</section>`;
}

function filterForm(reasons: FailedReason[], state: string | undefined, reason: string | undefined): string {
  const stateOptions = ['', ...FAILED_STATES].map((s) => `<option value="${s}"${s === (state ?? '') ? ' selected' : ''}>${s === '' ? 'dead and conflict' : s}</option>`).join('');
  const known = [...new Set(reasons.flatMap((r) => (r.reason === null ? [] : [r.reason])))];
  if (reason !== undefined && !known.includes(reason)) known.push(reason);
  const reasonOptions = ['', ...known].map((r) => `<option value="${esc(r)}"${r === (reason ?? '') ? ' selected' : ''}>${r === '' ? 'any reason' : esc(r.length > 90 ? `${r.slice(0, 90)}…` : r)}</option>`).join('');
  return `<form class="filters" method="get" action="${PATH}">
<label for="f-state">State <select id="f-state" name="state">${stateOptions}</select></label>
<label for="f-reason">Reason <select id="f-reason" name="reason">${reasonOptions}</select></label>
<button type="submit">Filter</button></form>`;
}

/** The router of the flow page. */
export function outboxPage(deps: OutboxPageDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => res.redirect(303, PATH));
  router.get('/outbox', consolePage('Outbox', PATH, async (req, res) => {
    const state = choiceField(req, 'query', 'state', FAILED_STATES);
    const reason = textField(req, 'query', 'reason');
    const page = integerField(req, 'query', 'page') ?? 1;
    const { csrf } = sessionIn(res);
    const [status, hours, reasons, failed] = await Promise.all([
      deps.outbox.status(),
      outboxHours(deps.database),
      failedReasons(deps.database),
      failedPage(deps.database, { ...(state && { state }), ...(reason !== undefined && { reason }), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    ]);
    const rows = failed.rows.map((r) => [
      `<input type="checkbox" name="id" value="${esc(r.id)}" aria-label="Select statement ${esc(r.id)}">`,
      `<code>${esc(r.id)}</code>`, esc(r.state), esc(r.reason ?? ''), esc(r.source), String(r.attempts), instant(r.settledAt),
      `<button type="submit" name="one" value="${esc(r.id)}" aria-label="Requeue statement ${esc(r.id)}">Requeue</button>`,
    ]);
    const filter = { state, reason };
    const pager = [
      page > 1 ? `<a href="${esc(hrefOf(PATH, { ...filter, page: page - 1 }))}" rel="prev">Previous page</a>` : '',
      failed.more ? `<a href="${esc(hrefOf(PATH, { ...filter, page: page + 1 }))}" rel="next">Next page</a>` : '',
    ].filter((a) => a !== '').join(' · ');
    const requeued = integerField(req, 'query', 'requeued', 0);
    sendPage(res, 200, {
      title: 'Outbox', current: PATH, csrf,
      ...(requeued !== undefined && { notice: `${requeued} statement(s) put back to pending; the next flush delivers them.` }),
      body: `${flowFigures(status, deps.stats, hours, deps.now())}
<section aria-labelledby="hours-h"><h2 id="hours-h">Over time</h2>\n${hoursChart(hours)}</section>
${reasonsSection(reasons, csrf)}
<section aria-labelledby="failed-h"><h2 id="failed-h">Dead and conflict rows</h2>
${filterForm(reasons, state, reason)}
<form method="post" action="${PATH}/requeue">${csrfField(csrf)}
${table(`Page ${page}`, ['Select', 'Statement', 'State', 'Reason', 'Source', 'Attempts', 'Settled', 'Action'], rows, 'no rows match')}
${rows.length > 0 ? '<button type="submit">Requeue selected</button>' : ''}
</form>
<p>${pager}</p></section>`,
    });
  }));
  router.post('/outbox/requeue', consolePage('Outbox', PATH, async (req, res) => {
    // A row's own button sends `one`: that row alone, whatever else is ticked.
    const one = uuidsField(req, 'body', 'one');
    const ids = one.length > 0 ? one : uuidsField(req, 'body', 'id');
    const reason = textField(req, 'body', 'reason');
    const state = choiceField(req, 'body', 'state', FAILED_STATES);
    // Selected rows are requeued whatever their state; all of a reason only of its state.
    const requeued = ids.length > 0
      ? await deps.outbox.requeue({ includeConflicts: true, ids })
      : reason !== undefined && state !== undefined
        ? await deps.outbox.requeue({ includeConflicts: state === 'conflict', reason })
        : 0;
    res.redirect(303, hrefOf(PATH, { requeued }));
  }));
  return router;
}
