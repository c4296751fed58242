/**
 * The operator console under `/console`: HTML pages for a browser, behind a session
 * cookie that signing in with ADMIN_TOKEN sets. Pages answer their faults as pages too
 * (a person reads them), and a request without a live session is sent to sign in.
 */
import type { Answer, Operation, Param, PathTable } from './kit.js';

const SESSION = ['consoleSession' as const];
const HTML = (description: string): Answer => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const TO_SIGN_IN: Answer = { description: 'no live session: to the sign-in form', headers: { Location: '/console/sign-in' } };
const BAD_FIELD = HTML('a field is not valid: the page names it');
const FORBIDDEN = HTML('the form lacks the CSRF token of the session (or it came from elsewhere)');
const CSRF: Param = { name: 'csrf', description: 'the CSRF token of the form (a form field, not a query parameter)' };

/** A page of the console, read with GET. */
function page(summary: string, query: Param[] = []): Operation {
  return { summary, security: SESSION, query, responses: { 200: HTML('the page'), 303: TO_SIGN_IN, 400: BAD_FIELD } };
}

/** A form the console posts (application/x-www-form-urlencoded, with `csrf`), answered by a redirect to its page. */
function action(summary: string, fields: Record<string, unknown>, example: Record<string, string>): Operation {
  return {
    summary,
    security: SESSION,
    body: { content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['csrf'], properties: { csrf: { type: 'string', description: CSRF.description }, ...fields } }, example } } },
    responses: { 303: { description: 'done: back to the page, which says what changed (or to sign in without a live session)', headers: { Location: 'the page' } }, 400: BAD_FIELD, 403: FORBIDDEN },
  };
}

const STATE = { name: 'state', description: 'dead or conflict; unset, both', schema: { type: 'string', enum: ['dead', 'conflict'] } };
const PAGE = { name: 'page', description: 'the page number, from 1', schema: { type: 'integer', minimum: 1, default: 1 } };

const LEARNER_QUERY = [
  { name: 'platform', description: 'the platform of the learner', schema: { type: 'string', enum: ['edx', 'coursera', 'futurelearn', 'khan'] } },
  { name: 'user', description: 'the platform user id, as the platform gives it', schema: { type: 'string', maxLength: 256 } },
];

/** The console's paths. */
export const CONSOLE_PATHS: PathTable = {
  '/console': { get: { summary: 'the console: to the outbox page', security: SESSION, responses: { 303: { description: 'to /console/outbox, or to sign in', headers: { Location: 'the page' } } } } },
  '/console/sign-in': {
    get: { summary: 'the sign-in form (sets a cookie tying the form to this browser)', responses: { 200: HTML('the form'), 303: { description: 'signed in already: to the console', headers: { Location: '/console/outbox' } }, 401: HTML('the console is off: ADMIN_TOKEN is not set') } },
    post: {
      summary: 'sign in with the admin token: sets the session cookie (HttpOnly, SameSite=Strict, Path=/console; Secure over https)',
      body: { content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['csrf', 'token'], properties: { csrf: { type: 'string' }, token: { type: 'string', description: 'ADMIN_TOKEN' } } }, example: { csrf: 'nonce-of-the-form', token: 'the-admin-token' } } } },
      responses: {
        303: { description: 'signed in: to the console', headers: { Location: '/console/outbox', 'Set-Cookie': 'the session cookie' } },
        401: HTML('not the admin token (counted against this address), or the console is off'),
        403: FORBIDDEN,
        429: { ...HTML('too many wrong tokens from this address'), headers: { 'Retry-After': 'seconds until this address may try again' } },
      },
    },
  },
  '/console/sign-out': { post: { ...action('sign out: the session cookie is removed', {}, { csrf: 'csrf-of-the-session' }), responses: { 303: { description: 'to the sign-in form', headers: { Location: '/console/sign-in' } }, 403: FORBIDDEN } } },
  '/console/outbox': {
    get: page('the flow: outbox by state, oldest pending, last flush, delivery rate, a chart per hour; dead and conflict rows with their reasons', [
      STATE,
      { name: 'reason', description: 'only rows of this reason (the exact last error)' },
      PAGE,
      { name: 'requeued', description: 'set by a requeue: how many rows it put back', schema: { type: 'integer', minimum: 0 } },
    ]),
  },
  '/console/outbox/requeue': {
    post: action('requeue dead and conflict rows: one (`one`), the selected (`id`, repeated), or all of a reason (`state` and `reason`)', {
      one: { type: 'string', format: 'uuid' },
      id: { oneOf: [{ type: 'string', format: 'uuid' }, { type: 'array', items: { type: 'string', format: 'uuid' } }] },
      state: { type: 'string', enum: ['dead', 'conflict'] },
      reason: { type: 'string' },
    }, { csrf: 'csrf-of-the-session', state: 'dead', reason: 'the LRS refused the statement (400)' }),
  },
  '/console/imports': { get: page('import runs with their counts, newest first', [{ name: 'before', description: 'only runs older than this run id (the next page)', schema: { type: 'integer', minimum: 1 } }]) },
  '/console/imports/{run}': {
    get: {
      ...page('one import run: counts by source type, rejections by reason, rejected records paged with position and reason (never the raw record)', [{ name: 'before', description: 'only rejected records older than this id (the next page)', schema: { type: 'integer', minimum: 1 } }]),
      path: { run: 'the id of the import run' },
      responses: { 200: HTML('the page'), 303: TO_SIGN_IN, 400: BAD_FIELD, 404: HTML('no such run') },
    },
  },
  '/console/lrs': {
    get: page('the statement browser of the embedded LRS: filtered by agent, verb, activity, stored time; newest first, 25 a page', [
      { name: 'agent', description: 'an Agent or identified Group as JSON, or a mailto: IRI' },
      { name: 'verb', description: 'a verb IRI' },
      { name: 'activity', description: 'an activity IRI' },
      { name: 'since', description: 'stored after this ISO 8601 timestamp (with a zone)' },
      { name: 'until', description: 'stored at or before this ISO 8601 timestamp (with a zone)' },
      { name: 'more', description: 'the continuation of the previous page (its "Older statements" link)' },
    ]),
  },
  '/console/lrs/statements/{id}': {
    get: { ...page('one statement as JSON (a voided one too)'), path: { id: 'the statement id' }, responses: { 200: HTML('the page'), 303: TO_SIGN_IN, 404: HTML('no statement of this id') } },
  },
  '/console/lrs/credentials': {
    get: page('the credentials of the embedded LRS', [{ name: 'revoked', description: 'set by a revocation: the username it revoked' }]),
    post: {
      ...action('add a credential; the answer shows its secret, once', {
        username: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' },
        scope: { type: 'string', enum: ['read', 'read_write'], default: 'read_write' },
        label: { type: 'string', maxLength: 200 },
      }, { csrf: 'csrf-of-the-session', username: 'learning-locker', scope: 'read', label: 'the research team' }),
      responses: { 201: HTML('the page with the new secret'), 303: TO_SIGN_IN, 400: BAD_FIELD, 403: FORBIDDEN, 409: HTML('a credential of that name exists (revoked ones keep their name)') },
    },
  },
  '/console/lrs/credentials/revoke': {
    post: action('revoke a credential', { username: { type: 'string' } }, { csrf: 'csrf-of-the-session', username: 'learning-locker' }),
  },
  '/console/catalogue': {
    get: page('courses with their publish state and what ECO still needs; teachers with what their ECO card lacks', [
      { name: 'after', description: 'courses after this course id (the next page)' },
      { name: 'teachersAfter', description: 'teachers after this teacher id (the next page)' },
    ]),
  },
  '/console/pulls': {
    get: page('what the scheduled pulls did last: Coursera export jobs, the latest FutureLearn imports, Khan coaches with their last pull and error; the pulls set up, to run now', [
      { name: 'started', description: 'set by "run now": the pull it started' },
      { name: 'busy', description: 'set by "run now": the pull it could not start (not set up, or running)' },
    ]),
  },
  '/console/learners': {
    get: page("one learner's data rights: the find form; with platform and user, every place holding their data with its rows, whether they were erased before, the export link and the erase button", LEARNER_QUERY),
  },
  '/console/learners/export': {
    get: {
      summary: 'everything held of the learner as one .tar.gz archive, the same as GET /admin/learners/{platform}/{userId}/export',
      security: SESSION, query: LEARNER_QUERY,
      responses: {
        200: { description: 'the archive', content: { 'application/gzip': { schema: { type: 'string', contentMediaType: 'application/gzip' } } }, headers: { 'Content-Disposition': 'attachment; filename=learner-<platform>.tar.gz' } },
        303: TO_SIGN_IN, 400: BAD_FIELD,
      },
    },
  },
  '/console/learners/erase': {
    post: {
      ...action('erase a learner: without `confirming`, the confirmation page naming what goes; with `confirming` and `confirm` equal to `user`, the erasure', {
        platform: LEARNER_QUERY[0]!.schema,
        user: { type: 'string', maxLength: 256 },
        confirming: { type: 'string', description: 'set by the confirmation page' },
        confirm: { type: 'string', description: 'the user id typed again' },
      }, { csrf: 'csrf-of-the-session', platform: 'futurelearn', user: 'the platform user id', confirming: 'yes', confirm: 'the platform user id' }),
      responses: {
        200: HTML('the confirmation (nothing erased yet), or the result: rows erased by place and what the gateway could not erase'),
        303: TO_SIGN_IN, 400: HTML('a field is not valid, or `confirm` is not the user id: nothing was erased'), 403: FORBIDDEN,
      },
    },
  },
  '/console/pulls/run': {
    post: action('start a pull now, in the background, under its advisory lock (one instance at a time)', { job: { type: 'string', enum: ['coursera-pull', 'futurelearn-pull', 'khan-pull'] } }, { csrf: 'csrf-of-the-session', job: 'futurelearn-pull' }),
  },
};
