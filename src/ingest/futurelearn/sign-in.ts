/**
 * Signs a session in to FutureLearn as a facilitator, the way a browser does: GET the
 * sign-in page, copy every named field of its form (the hidden `authenticity_token`
 * CSRF field among them), fill in email and password, POST to the form's action.
 *
 * Success is read from the page the POST ends on, never from its status: a wrong
 * password answers 200 with the sign-in form again, which the old tool took for a
 * signed-in session. The password goes into the form body only, never a message.
 */
import { load, type CheerioAPI } from 'cheerio';
import { FutureLearnPageError } from './admin-pages.js';
import { textOf, type FutureLearnSession } from './session.js';

/** The site did not accept the credentials (or the form), or the session was lost. */
export class FutureLearnSignInError extends Error {
  override readonly name = 'FutureLearnSignInError';
  readonly code = 'sign_in_failed';
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`);
  }
}

/** The sign-in form as found on the page. */
export interface SignInForm {
  /** Where it posts, resolved against the page. */
  action: URL;
  /** Every named field with its value as the page gives it, in page order. */
  fields: [string, string][];
  emailField: string;
  passwordField: string;
}

/** The relative path of the sign-in page under the site base. */
export const SIGN_IN_PATH = 'sign-in';

/**
 * Signs `session` in; resolves when a signed-in page is shown, else throws.
 * @example await signIn(session, { email: config.futurelearnEmail, password: config.futurelearnPassword });
 */
export async function signIn(session: FutureLearnSession, credentials: { email: string; password: string }): Promise<void> {
  const page = await session.page(SIGN_IN_PATH);
  const form = findSignInForm(page.html, page.url);
  const body = new URLSearchParams();
  for (const [name, value] of form.fields) {
    if (name === form.emailField) body.append(name, credentials.email);
    else if (name === form.passwordField) body.append(name, credentials.password);
    else body.append(name, value);
  }
  const res = await session.request(form.action, { method: 'POST', form: body });
  // Rails answers 422 when the CSRF token does not match the session's.
  if (res.status === 422) {
    await res.response.body?.cancel();
    throw new FutureLearnSignInError(res.path, 'the site refused the sign-in form (422: CSRF token or session cookie not accepted)');
  }
  const html = await textOf(res);
  if (hasSignInForm(load(html))) throw new FutureLearnSignInError(res.path, 'the sign-in form came back: email or password not accepted');
  if (!isSignedInPage(html)) throw new FutureLearnSignInError(res.path, 'no sign-out link on the page after signing in');
}

/**
 * The form with a password field on a sign-in page, with every named field to send back.
 * @example findSignInForm(html, new URL('https://www.futurelearn.com/sign-in')).fields // [['authenticity_token', '…'], ...]
 */
export function findSignInForm(html: string, pageUrl: URL): SignInForm {
  const $ = load(html);
  const form = $('form').filter((_, f) => $(f).find('input[type="password" i]').length > 0).first();
  if (form.length === 0) throw new FutureLearnPageError(pageUrl.pathname, 'no sign-in form (a form with a password field) found');
  const passwordField = form.find('input[type="password" i][name]').attr('name');
  const emailField = form.find('input[type="email" i][name]').attr('name')
    ?? form.find('input[name]').filter((_, i) => /e-?mail|login/i.test($(i).attr('name') ?? '')).attr('name');
  if (!passwordField) throw new FutureLearnPageError(pageUrl.pathname, 'the sign-in form has no named password field');
  if (!emailField) throw new FutureLearnPageError(pageUrl.pathname, 'the sign-in form has no email field');
  if (!form.find('input[name="authenticity_token"]').attr('value')) {
    throw new FutureLearnPageError(pageUrl.pathname, 'the sign-in form has no authenticity_token (CSRF) field');
  }
  const fields: [string, string][] = [];
  let submit = false;
  form.find('input[name], select[name], textarea[name]').each((_, el) => {
    const field = $(el);
    const name = field.attr('name')!;
    const type = (field.attr('type') ?? '').toLowerCase();
    if (field.is('[disabled]')) return;
    // What a browser submits: checked boxes only, no file or button fields, the first submit button.
    if ((type === 'checkbox' || type === 'radio') && !field.is('[checked]')) return;
    if (type === 'file' || type === 'button' || type === 'reset' || type === 'image') return;
    if (type === 'submit') {
      if (submit) return;
      submit = true;
    }
    const value = field.is('select') ? (field.find('option[selected]').attr('value') ?? field.find('option').first().attr('value') ?? '')
      : field.is('textarea') ? field.text()
      : field.attr('value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : '');
    fields.push([name, value]);
  });
  const action = new URL(form.attr('action') || pageUrl.href, pageUrl);
  return { action, fields, emailField, passwordField };
}

/** Whether a page is shown to a signed-in user: a sign-out link or form, and no sign-in form. */
export function isSignedInPage(html: string): boolean {
  const $ = load(html);
  if (hasSignInForm($)) return false;
  return $('a[href*="sign-out" i], a[href*="sign_out" i], form[action*="sign-out" i], form[action*="sign_out" i]').length > 0;
}

function hasSignInForm($: CheerioAPI): boolean {
  return $('form input[type="password" i]').length > 0;
}
