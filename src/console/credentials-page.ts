/**
 * The credentials of the embedded LRS, `/console/lrs/credentials`: list them, add one
 * (its secret is on the answer to the add, once, and nowhere else), revoke one. The same
 * store as the `credentials` command; LRS_USERS are settings and not listed here.
 */
import { Router, type Response } from 'express';
import { CREDENTIAL_SCOPES } from '../lrs/server/schema.js';
import type { CredentialStore } from '../lrs/server/credential-store.js';
import { choiceField, consolePage, ConsoleInputError, textField } from './input.js';
import { csrfField, esc, hrefOf, instant, sendPage, table } from './layout.js';
import { sessionIn } from './sign-in.js';

const PATH = '/console/lrs/credentials';

const SCOPE_LABELS: Record<(typeof CREDENTIAL_SCOPES)[number], string> = { read: 'read only', read_write: 'read and write' };

async function sendCredentials(res: Response, store: CredentialStore, status: number, extra: { notice?: string; secret?: { username: string; secret: string } } = {}): Promise<void> {
  const { csrf } = sessionIn(res);
  const rows = (await store.list()).map((c) => [
    esc(c.username), esc(SCOPE_LABELS[c.scope]), esc(c.label ?? ''), instant(c.createdAt), c.revokedAt === null ? 'active' : `revoked ${instant(c.revokedAt)}`,
    c.revokedAt !== null ? '' : `<form method="post" action="${PATH}/revoke">${csrfField(csrf)}<input type="hidden" name="username" value="${esc(c.username)}"><button type="submit" aria-label="Revoke ${esc(c.username)}">Revoke</button></form>`,
  ]);
  const shown = extra.secret === undefined ? '' : `<section aria-labelledby="secret-h" class="notice"><h2 id="secret-h">The secret of ${esc(extra.secret.username)}</h2>
<p>Copy it now: it is shown this once and stored only as a hash.</p>
<p><label for="new-secret">Secret</label> <input id="new-secret" readonly value="${esc(extra.secret.secret)}" size="40"></p></section>`;
  const scopes = CREDENTIAL_SCOPES.map((s) => `<option value="${s}"${s === 'read_write' ? ' selected' : ''}>${esc(SCOPE_LABELS[s])}</option>`).join('');
  res.set('Cache-Control', 'no-store');
  sendPage(res, status, {
    title: 'LRS credentials', current: PATH, csrf, ...(extra.notice !== undefined && { notice: extra.notice }),
    body: `${shown}
<p>HTTP Basic credentials of the embedded LRS at <code>/xapi</code>, besides those of LRS_USERS.</p>
${table('Credentials', ['Username', 'Scope', 'Label', 'Created', 'State', 'Action'], rows, 'none yet')}
<section aria-labelledby="add-h"><h2 id="add-h">Add a credential</h2>
<form class="stacked" method="post" action="${PATH}">${csrfField(csrf)}
<label for="c-username">Username <input id="c-username" name="username" required maxlength="100" pattern="[A-Za-z0-9._@\\-]{1,100}"></label>
<label for="c-scope">Scope <select id="c-scope" name="scope">${scopes}</select></label>
<label for="c-label">Label (who uses it) <input id="c-label" name="label" maxlength="200"></label>
<button type="submit">Add</button></form></section>`,
  });
}

/** The router of the credentials page. */
export function credentialsPage(deps: { credentials: CredentialStore }): Router {
  const router = Router();
  router.get('/lrs/credentials', consolePage('LRS credentials', PATH, async (req, res) => {
    const revoked = textField(req, 'query', 'revoked', 100);
    await sendCredentials(res, deps.credentials, 200, revoked === undefined ? {} : { notice: `${revoked} is revoked: the LRS refuses it within seconds.` });
  }));
  // The answer carries the secret, so it is a page, not a redirect: reloading it adds nothing (the name is taken).
  router.post('/lrs/credentials', consolePage('LRS credentials', PATH, async (req, res) => {
    const username = textField(req, 'body', 'username', 100);
    if (username === undefined) throw new ConsoleInputError('username: required');
    const scope = choiceField(req, 'body', 'scope', CREDENTIAL_SCOPES) ?? 'read_write';
    const label = textField(req, 'body', 'label', 200);
    const secret = await deps.credentials.add(username, scope, label);
    await sendCredentials(res, deps.credentials, 201, { notice: `${username} is added.`, secret: { username, secret } });
  }));
  router.post('/lrs/credentials/revoke', consolePage('LRS credentials', PATH, async (req, res) => {
    const username = textField(req, 'body', 'username', 100);
    if (username === undefined) throw new ConsoleInputError('username: required');
    if (!(await deps.credentials.revoke(username))) throw new ConsoleInputError(`username: no active credential named ${username}`);
    res.redirect(303, hrefOf(PATH, { revoked: username }));
  }));
  return router;
}
