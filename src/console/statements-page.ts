/**
 * The statement browser of the embedded LRS, `/console/lrs`: statements filtered by agent,
 * verb, activity and stored time, newest first, paged with the LRS's own `more` tokens;
 * one statement's JSON on its own page. It reads through `StatementQuery`, in process,
 * with the filters checked as `GET /xapi/statements` checks them.
 */
import { Router, type Request } from 'express';
import { parseStatementParams } from '../lrs/server/statement-params.js';
import type { StatementPage, StatementQuery } from '../lrs/statement-query.js';
import type { Actor, Statement } from '../xapi/types.js';
import { consolePage, textField } from './input.js';
import { esc, hrefOf, instant, sendPage, table } from './layout.js';
import { sessionIn } from './sign-in.js';

const PATH = '/console/lrs';
const PER_PAGE = 25;
const FILTERS = [
  { name: 'agent', label: 'Agent', hint: 'JSON, e.g. {"account":{"homePage":"https://…","name":"…"}}, or mailto:…' },
  { name: 'verb', label: 'Verb IRI', hint: '' },
  { name: 'activity', label: 'Activity IRI', hint: '' },
  { name: 'since', label: 'Stored after', hint: 'ISO 8601 with a zone, e.g. 2026-03-01T00:00:00Z' },
  { name: 'until', label: 'Stored at or before', hint: 'ISO 8601 with a zone' },
] as const;

type Filters = Partial<Record<(typeof FILTERS)[number]['name'], string>>;

/** The filter fields of the request; an agent given as `mailto:` becomes its JSON. */
function filtersOf(req: Request): Filters {
  const filters: Filters = {};
  for (const { name } of FILTERS) {
    const value = textField(req, 'query', name);
    if (value !== undefined) filters[name] = value;
  }
  return filters;
}

/** The page the filters (or a `more` token) ask for; a bad one is a coded `invalid` naming the field. */
function pageOf(statements: StatementQuery, filters: Filters, more: string | undefined): Promise<StatementPage> {
  const agent = filters.agent?.startsWith('mailto:') ? JSON.stringify({ mbox: filters.agent }) : filters.agent;
  const parsed = parseStatementParams(more !== undefined ? { more } : { ...filters, ...(agent !== undefined && { agent }), limit: String(PER_PAGE) });
  return statements.page(parsed.kind === 'more' ? parsed.token : parsed.kind === 'query' ? parsed.filter : { limit: PER_PAGE });
}

/** Who an actor is, in one short line. */
function actorText(actor: Actor | undefined): string {
  if (actor === undefined) return '';
  if ('account' in actor && actor.account) return `${actor.account.name} @ ${actor.account.homePage}`;
  if ('mbox' in actor && actor.mbox) return actor.mbox;
  if ('mbox_sha1sum' in actor && actor.mbox_sha1sum) return `sha1:${actor.mbox_sha1sum}`;
  if ('openid' in actor && actor.openid) return actor.openid;
  return actor.objectType ?? 'Group';
}

function statementRow(s: Statement): string[] {
  const verb = s.verb.display?.en ?? s.verb.display?.['en-US'] ?? s.verb.id;
  const object = 'id' in s.object && typeof s.object.id === 'string' ? s.object.id : s.object.objectType ?? '';
  return [
    `<a href="${PATH}/statements/${esc(s.id ?? '')}"><code>${esc(s.id ?? '')}</code></a>`,
    `<span class="nowrap">${instant(s.stored)}</span>`, `<span class="nowrap">${esc(s.timestamp ?? '')}</span>`, esc(actorText(s.actor)), `<span class="nowrap" title="${esc(s.verb.id)}">${esc(verb)}</span>`, esc(object),
  ];
}

function filterForm(filters: Filters): string {
  const fields = FILTERS.map((f) => `<label for="s-${f.name}">${esc(f.label)} <input id="s-${f.name}" name="${f.name}" value="${esc(filters[f.name] ?? '')}"${f.hint === '' ? '' : ` placeholder="${esc(f.hint)}"`}></label>`).join('\n');
  return `<form class="filters" method="get" action="${PATH}" role="search" aria-label="Filter statements">\n${fields}\n<button type="submit">Filter</button></form>`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The router of the statement browser. */
export function statementsPage(deps: { statements: StatementQuery }): Router {
  const router = Router();
  router.get('/lrs', consolePage('Statements', PATH, async (req, res) => {
    const filters = filtersOf(req);
    const more = textField(req, 'query', 'more', 4000);
    const page = await pageOf(deps.statements, filters, more);
    const next = page.more === undefined ? '' : `<p><a rel="next" href="${esc(hrefOf(PATH, { ...filters, more: page.more }))}">Older statements</a></p>`;
    sendPage(res, 200, {
      title: 'Statements', current: PATH, csrf: sessionIn(res).csrf,
      body: `<p>The statements of the embedded LRS at <code>/xapi</code>, newest first.</p>
${filterForm(filters)}
${table(more === undefined ? 'Statements' : 'Statements (continued)', ['Statement', 'Stored', 'Timestamp', 'Actor', 'Verb', 'Object'], page.statements.map(statementRow), 'none match')}
${next}`,
    });
  }));
  router.get('/lrs/statements/:id', consolePage('Statements', PATH, async (req, res) => {
    const { id } = req.params as { id: string };
    const statement = UUID.test(id) ? ((await deps.statements.get(id)) ?? (await deps.statements.get(id, { voided: true }))) : null;
    const { csrf } = sessionIn(res);
    if (statement === null) return sendPage(res, 404, { title: 'Statement', current: PATH, csrf, error: 'The LRS holds no statement of this id.', body: `<p><a href="${PATH}">All statements</a></p>` });
    sendPage(res, 200, {
      title: `Statement ${statement.id}`, current: PATH, csrf,
      body: `<p><a href="${PATH}">All statements</a></p>\n<pre aria-label="The statement as JSON" tabindex="0"><code>${esc(JSON.stringify(statement, null, 2))}</code></pre>`,
    });
  }));
  return router;
}
