/**
 * Learner data rights in the console, `/console/learners`: find one learner by platform
 * and platform user id (every place with its rows, and whether they were erased before),
 * download their archive, and erase them after a confirmation that names what goes and
 * asks for the user id again. The same functions as `learner find|export|erase` and
 * /admin/learners (src/learners/). A GET never erases. Pages name the learner by
 * pseudonym, and show back only the id the operator typed; nothing here is logged.
 */
import { Router, type Request, type Response } from 'express';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { CodedError } from '../errors.js';
import { eraseLearner, type ErasureReport } from '../learners/erase.js';
import { exportLearner } from '../learners/export.js';
import { findLearner, type LearnerFindings } from '../learners/find.js';
import { LEARNER_PLATFORMS, resolveLearner, type LearnerPlatform } from '../learners/learner.js';
import { PLACES, rowsInWords } from '../learners/places.js';
import { choiceField, consolePage, ConsoleInputError, textField } from './input.js';
import { csrfField, esc, figures, hrefOf, instant, sendPage, table } from './layout.js';
import { sessionIn } from './sign-in.js';

/** What the page needs: the settings that name learners (unset, learner rights are off). */
export interface LearnersPageDeps {
  database: Database;
  learners: { config: Config } | undefined;
  /** Epoch milliseconds: when an erasure or an export happens. */
  now: () => number;
}

const PATH = '/console/learners';
const TITLE = 'Learners';
/** Who the registry says erased them: the console, never a person's name. */
const ERASED_BY = 'console';

const PLATFORM_LABELS: Record<LearnerPlatform, string> = { edx: 'edX', coursera: 'Coursera', futurelearn: 'FutureLearn', khan: 'Khan Academy' };
const STORE_LABELS = { gateway: 'gateway', lrs: 'embedded LRS' } as const;

/** The learner the operator names: a platform and the user id as typed. */
interface Chosen {
  platform: LearnerPlatform;
  user: string;
}

/** The learner a request names: both fields, or neither (the empty form). */
function learnerFields(req: Request, from: 'query' | 'body'): Chosen | undefined {
  const platform = choiceField(req, from, 'platform', LEARNER_PLATFORMS);
  const user = textField(req, from, 'user', 256);
  if (platform === undefined && user === undefined) return undefined;
  if (platform === undefined) throw new ConsoleInputError('platform: required');
  if (user === undefined) throw new ConsoleInputError('user: required, the platform user id');
  return { platform, user };
}

/** Runs `work` on the settings; a platform not set up (edX without EDX_LMS_URL) is the operator's choice at fault. */
async function withSettings<T>(deps: LearnersPageDeps, work: (d: { config: Config; database: Database; now: () => Date }) => Promise<T>): Promise<T> {
  if (deps.learners === undefined) throw new ConsoleInputError('learner rights are off in this app: it has no settings naming learners');
  try {
    return await work({ config: deps.learners.config, database: deps.database, now: () => new Date(deps.now()) });
  } catch (err) {
    if (err instanceof CodedError && err.code === 'setup') throw new ConsoleInputError(`platform: ${err.message}`);
    throw err;
  }
}

/** A link to `path` for the learner. */
const learnerHref = (path: string, c: Chosen) => hrefOf(path, { platform: c.platform, user: c.user });

/** The hidden fields naming the learner, carried from form to form. */
const learnerHidden = (l: Chosen) => `<input type="hidden" name="platform" value="${esc(l.platform)}"><input type="hidden" name="user" value="${esc(l.user)}">`;

/** The find form: the platform and the user id, filled with the learner found. */
function findForm(chosen: Chosen | undefined): string {
  const options = LEARNER_PLATFORMS.map((p) => `<option value="${p}"${p === chosen?.platform ? ' selected' : ''}>${esc(PLATFORM_LABELS[p])}</option>`).join('');
  return `<form class="filters" method="get" action="${PATH}">
<label for="l-platform">Platform <select id="l-platform" name="platform">${options}</select></label>
<label for="l-user">Platform user id <input id="l-user" name="user" required maxlength="256" value="${esc(chosen?.user ?? '')}"></label>
<button type="submit">Find</button></form>`;
}

/** The places with their rows, the outbox by state and documents by kind. */
function placesTable(f: LearnerFindings): string {
  const rows = f.places.map((p) => [
    `<code class="nowrap">${esc(p.name)}</code>`, esc(STORE_LABELS[p.store]), `<span class="n">${p.rows}</span>`,
    esc(p.by === undefined ? '' : Object.entries(p.by).map(([k, n]) => `${k} ${n}`).join(', ')),
    esc(PLACES.find((place) => place.name === p.name)?.about ?? ''),
  ]);
  return table('Where the gateway holds their data', ['Place', 'Store', 'Rows', 'By state or kind', 'What it holds'], rows);
}

/** What the learner's rows are, in words: `12 statements in the outbox, 1 learner profile`. */
const heldInWords = (f: LearnerFindings) => f.places.filter((p) => p.rows > 0).map((p) => rowsInWords(p.name, p.rows));

/** What find answers of the learner, with the export link and the erase button. */
function findingsSection(f: LearnerFindings, chosen: Chosen, csrf: string): string {
  return `<section aria-labelledby="found-h"><h2 id="found-h">${esc(PLATFORM_LABELS[chosen.platform])} learner ${esc(chosen.user)}</h2>
<p>Their statements name them as <code>${esc(f.pseudonym)}</code> (the keyed pseudonym of the user id).</p>
${figures([
    ['Rows held', String(f.total)],
    ['Linked to an ECO user', f.linked ? 'yes' : 'no'],
    ['Erased before', f.erased === undefined ? 'no' : `${instant(f.erased.at)} by ${f.erased.by}`],
  ])}
${placesTable(f)}</section>
<section aria-labelledby="export-h"><h2 id="export-h">Export</h2>
<p><a href="${esc(learnerHref(`${PATH}/export`, chosen))}" download>Download everything held of them (.tar.gz)</a>: statements as NDJSON, the other places as CSV, and a README; the answer to an access request.</p></section>
<section aria-labelledby="erase-h"><h2 id="erase-h">Erase</h2>
<p>Erasing removes every row above and records the erasure, so that later imports, pulls and live events of theirs are dropped. The next page says what goes and asks you to confirm.</p>
<form method="post" action="${PATH}/erase">${csrfField(csrf)}${learnerHidden(chosen)}<button type="submit">Erase this learner…</button></form></section>`;
}

/** The confirmation: what the erasure removes, and the user id typed again. */
function sendConfirmation(res: Response, status: number, f: LearnerFindings, chosen: Chosen, config: Config, error?: string): void {
  const { csrf } = sessionIn(res);
  const held = heldInWords(f);
  const what = held.length === 0 ? '<p>The gateway holds nothing of them now; erasing records them, so that later imports, pulls and live events of theirs are dropped.</p>'
    : `<p>This will erase ${esc(held.join(', '))}, and record the erasure so that later imports, pulls and live events of theirs are dropped.</p>`;
  const external = config.lrsEndpoint === undefined ? '' : '<p>Statements already delivered to the external LRS (LRS_ENDPOINT) stay there: the result says how many, and which agent to erase in that LRS.</p>';
  sendPage(res, status, {
    title: 'Erase a learner', current: PATH, csrf, ...(error !== undefined && { error }),
    body: `<p>${esc(PLATFORM_LABELS[chosen.platform])} learner ${esc(chosen.user)}, named <code>${esc(f.pseudonym)}</code> in statements.</p>
${what}
${external}
<form class="stacked" method="post" action="${PATH}/erase">${csrfField(csrf)}${learnerHidden(chosen)}<input type="hidden" name="confirming" value="yes">
<label for="l-confirm">Type the user id again to confirm <input id="l-confirm" name="confirm" required maxlength="256" autocomplete="off"></label>
<button type="submit">Erase for good</button></form>
<p><a href="${esc(learnerHref(PATH, chosen))}">Cancel: back to the learner</a></p>`,
  });
}

/** The result of an erasure: what went, and what the gateway could not reach. */
function sendErased(res: Response, r: ErasureReport, chosen: Chosen): void {
  const { csrf } = sessionIn(res);
  const rows = Object.entries(r.erased).filter(([, n]) => n > 0).map(([name, n]) => [`<code class="nowrap">${esc(name)}</code>`, `<span class="n">${n}</span>`, esc(rowsInWords(name, n))]);
  const kept = r.notErased.map((k) => [esc(k.where), `<span class="n">${k.statements}</span>`, esc(k.reason)]);
  sendPage(res, 200, {
    title: 'Learner erased', current: PATH, csrf,
    notice: `Erased ${r.total} row(s) of ${chosen.platform} learner ${r.pseudonym}; later imports, pulls and live events of theirs are dropped.`,
    body: `${table('Rows erased', ['Place', 'Rows', 'In words'], rows, 'none: the gateway held nothing of them')}
<section aria-labelledby="kept-h"><h2 id="kept-h">Not erased</h2>
${table('What the gateway could not erase', ['Where', 'Statements', 'What to do'], kept, 'nothing: every copy was in the gateway')}</section>
<p><a href="${esc(learnerHref(PATH, chosen))}">Back to the learner</a> · <a href="${PATH}">Find another learner</a></p>`,
  });
}

/** The router of the learners page. */
export function learnersPage(deps: LearnersPageDeps): Router {
  const router = Router();
  router.get('/learners', consolePage(TITLE, PATH, async (req, res) => {
    const { csrf } = sessionIn(res);
    const chosen = learnerFields(req, 'query');
    const found = chosen === undefined ? '' : findingsSection(await withSettings(deps, (d) => findLearner(d, chosen.platform, chosen.user)), chosen, csrf);
    sendPage(res, 200, {
      title: TITLE, current: PATH, csrf,
      body: `<p>Find, export and erase one learner's data everywhere the gateway keeps it (access and erasure requests, GDPR Art. 15 and 17). See docs/learner-rights.md.</p>
${findForm(chosen)}
${found}`,
    });
  }));
  router.get('/learners/export', consolePage(TITLE, PATH, async (req, res) => {
    const chosen = learnerFields(req, 'query');
    if (chosen === undefined) throw new ConsoleInputError('platform and user: required');
    // Resolved first: a bad field is a page, before the archive's headers go out.
    const learner = await withSettings(deps, (d) => resolveLearner(d, chosen.platform, chosen.user));
    res.type('application/gzip').attachment(`learner-${learner.platform}.tar.gz`).set('Cache-Control', 'no-store');
    await exportLearner({ database: deps.database, now: () => new Date(deps.now()) }, learner, res);
  }));
  router.post('/learners/erase', consolePage(TITLE, PATH, async (req, res) => {
    const chosen = learnerFields(req, 'body');
    if (chosen === undefined) throw new ConsoleInputError('platform and user: required');
    const confirming = textField(req, 'body', 'confirming', 10) !== undefined;
    const confirm = textField(req, 'body', 'confirm', 256);
    await withSettings(deps, async (d) => {
      if (confirming && confirm === chosen.user) return sendErased(res, await eraseLearner({ ...d, erasedBy: ERASED_BY }, chosen.platform, chosen.user), chosen);
      const found = await findLearner(d, chosen.platform, chosen.user);
      if (!confirming) return sendConfirmation(res, 200, found, chosen, d.config);
      sendConfirmation(res, 400, found, chosen, d.config, 'confirm: that is not the user id of this learner; nothing was erased');
    });
  }));
  return router;
}
