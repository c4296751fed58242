/**
 * A fake FutureLearn site on port 0, speaking what the facilitator admin pages speak: a
 * Rails-like sign-in (session cookie, per-session CSRF token in a hidden
 * `authenticity_token` field, 422 on a token mismatch, a wrong password answered 200 with
 * the form again, the session id rotated on sign-in and set on the 302), admin pages
 * that send an unsigned visitor to `/sign-in`, the organisation's course list (one
 * `<tbody>` per course, one `<tr>` per run), a stats dashboard per run, and dataset CSVs
 * with ETags (304 on a matching `If-None-Match`).
 *
 * Switches: `failNext` answers 500s, `changeLayout` drops the structure a parser needs,
 * `expireSessions` signs everyone out.
 * Every request is logged with its answer, so tests can count what was fetched.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http.js';

/** One run of a fake course. */
export interface FakeRun {
  run: number;
  /** YYYY-MM-DD. */
  start: string;
  weeks: number;
  status: 'in progress' | 'finished' | 'upcoming';
  /** Dataset name → CSV text. */
  datasets: Record<string, string>;
}

/** One course of the organisation. */
export interface FakeCourse {
  slug: string;
  title: string;
  runs: FakeRun[];
}

/** The account and content of a fake. */
export interface FakeFutureLearnOptions {
  email: string;
  password: string;
  organisation: string;
  courses: FakeCourse[];
}

/** One POST of the sign-in form, as the fake saw it. */
export interface SignInAttempt {
  /** Whether `authenticity_token` matched the token of the session cookie sent. */
  csrfMatched: boolean;
  signedIn: boolean;
  /** The names of the fields posted, in order. */
  fieldNames: string[];
}

/** A running fake. */
export interface FakeFutureLearn {
  /** The site base, ending in `/` (as FUTURELEARN_URL). */
  baseUrl: string;
  /** The content served; tests may change it between fetches. */
  courses: FakeCourse[];
  /** Every request: method, path (no query) and the status answered. */
  requests: { method: string; path: string; status: number }[];
  signIns: SignInAttempt[];
  /** Every session cookie value handed out (to prove none leaks into logs). */
  sessionIds: string[];
  /** Requests received for `path` (any method, any answer). */
  count(path: string): number;
  /** Requests for `path` answered `status`. */
  answered(path: string, status: number): number;
  /** The next `n` requests whose `METHOD /path` matches `match` answer 500. */
  failNext(n: number, match?: RegExp): void;
  /** Renders `page` without the structure a scraper looks for; `undefined` restores both. */
  changeLayout(page: 'courses' | 'dashboard' | undefined): void;
  /** Forgets every session, as a server restart or a session timeout does. */
  expireSessions(): void;
  close(): Promise<void>;
}

const COOKIE = '_futurelearn_session';

/** Starts a fake FutureLearn site on an ephemeral port. */
export async function startFakeFutureLearn(options: FakeFutureLearnOptions): Promise<FakeFutureLearn> {
  const sessions = new Map<string, { csrf: string; signedIn: boolean }>();
  const failures: { left: number; match: RegExp }[] = [];
  let layout: 'courses' | 'dashboard' | undefined;

  const fake: FakeFutureLearn = {
    baseUrl: '',
    courses: options.courses,
    requests: [],
    signIns: [],
    sessionIds: [],
    count: (path) => fake.requests.filter((r) => r.path === path).length,
    answered: (path, status) => fake.requests.filter((r) => r.path === path && r.status === status).length,
    failNext: (n, match = /./) => void failures.push({ left: n, match }),
    changeLayout: (page) => void (layout = page),
    expireSessions: () => sessions.clear(),
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };

  const newSession = (res: ServerResponse, signedIn: boolean) => {
    const id = randomBytes(16).toString('hex');
    sessions.set(id, { csrf: randomBytes(24).toString('base64'), signedIn });
    fake.sessionIds.push(id);
    res.setHeader('set-cookie', `${COOKIE}=${id}; path=/; HttpOnly; SameSite=Lax`);
    return sessions.get(id)!;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = url.pathname;
    const failure = failures.find((f) => f.left > 0 && f.match.test(`${req.method} ${path}`));
    if (failure) {
      failure.left -= 1;
      return html(res, 500, '<h1>We’re sorry, but something went wrong.</h1>');
    }
    const sid = cookieOf(req, COOKIE);
    const session = sid ? sessions.get(sid) : undefined;

    if (path === '/sign-in' && req.method === 'GET') {
      return html(res, 200, signInPage((session ?? newSession(res, false)).csrf));
    }
    if (path === '/sign-in' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const csrfMatched = !!session && form.get('authenticity_token') === session.csrf;
      const ok = csrfMatched && form.get('email') === options.email && form.get('password') === options.password;
      fake.signIns.push({ csrfMatched, signedIn: ok, fieldNames: [...form.keys()] });
      if (!csrfMatched) return html(res, 422, '<h1>The change you wanted was rejected.</h1>');
      if (!ok) return html(res, 200, signInPage(session!.csrf, 'Invalid email or password.'));
      // As Rails does against session fixation: a new session id once signed in.
      sessions.delete(sid!);
      newSession(res, true);
      return redirect(res, '/your-courses');
    }
    if (!session?.signedIn) return redirect(res, '/sign-in');
    if (path === '/sign-out') {
      sessions.delete(sid!);
      res.setHeader('set-cookie', `${COOKIE}=; path=/; Max-Age=0`);
      return redirect(res, '/');
    }
    if (path === '/your-courses') return html(res, 200, page('Your courses', '<p>Welcome back.</p>'));
    if (path === `/admin/organisations/${options.organisation}/courses`) return html(res, 200, courseList(fake.courses, layout === 'courses'));

    const m = /^\/admin\/courses\/([^/]+)\/(\d+)(?:\/(stats-dashboard)(?:\/data\/([^/]+))?)?$/.exec(path);
    const course = fake.courses.find((c) => c.slug === m?.[1]);
    const run = course?.runs.find((r) => r.run === Number(m?.[2]));
    if (!m || !course || !run) return html(res, 404, page('Not found', '<p>The page you were looking for doesn’t exist.</p>'));
    if (!m[3]) return html(res, 200, page(`${course.title} run ${run.run}`, `<p>Starts ${run.start}, ${run.weeks} weeks.</p>`));
    if (!m[4]) return html(res, 200, dashboard(course, run, layout === 'dashboard'));
    const csv = run.datasets[m[4]];
    if (csv === undefined) return html(res, 404, page('Not found', ''));
    const etag = `"${createHash('sha1').update(csv).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return 304;
    }
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${course.slug}_${m[4]}_${run.run}.csv"`,
      etag,
    });
    res.end(csv);
    return 200;
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake.invalid').pathname;
    handle(req, res)
      .then((status) => fake.requests.push({ method: req.method ?? 'GET', path, status }))
      .catch(() => {
        fake.requests.push({ method: req.method ?? 'GET', path, status: 400 });
        html(res, 400, 'bad request');
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return fake;
}

function signInPage(csrf: string, error?: string): string {
  return page('Sign in', `
    ${error ? `<div class="flash flash--error" role="alert">${error}</div>` : ''}
    <form class="sign-in" action="/sign-in" method="post" accept-charset="UTF-8">
      <input name="utf8" type="hidden" value="&#x2713;">
      <input type="hidden" name="authenticity_token" value="${escape(csrf)}">
      <input type="hidden" name="return_to" value="/your-courses">
      <label>Email <input type="email" name="email" id="email"></label>
      <label>Password <input type="password" name="password" id="password"></label>
      <label><input type="checkbox" name="remember_me" value="1"> Remember me</label>
      <input type="submit" name="commit" value="Sign in">
    </form>`, false);
}

function courseList(courses: FakeCourse[], changed: boolean): string {
  if (changed) {
    // The redesign: cards instead of a table.
    return page('Courses', courses.map((c) => `<div class="course-card"><h2>${escape(c.title)}</h2>${c.runs.map((r) =>
      `<a href="/admin/courses/${c.slug}/${r.run}">Run ${r.run}</a>`).join(' ')}</div>`).join('\n'));
  }
  const bodies = courses.map((c) => `
    <tbody>
      <tr class="course-heading"><th colspan="5"><a href="/admin/courses/${c.slug}">${escape(c.title)}</a></th></tr>
      ${c.runs.map((r) => `<tr>
        <td><a href="/admin/courses/${c.slug}/${r.run}">Run ${r.run}</a></td>
        <td><time datetime="${r.start}">${writtenDay(r.start)}</time></td>
        <td>${r.weeks} weeks</td>
        <td><span class="status">${r.status}</span></td>
        <td><a href="/admin/courses/${c.slug}/${r.run}">Details</a>
          ${r.status === 'upcoming' ? '' : `<a href="/admin/courses/${c.slug}/${r.run}/stats-dashboard">Stats dashboard</a>`}</td>
      </tr>`).join('')}
    </tbody>`).join('');
  return page('Courses', `<table class="m-table">
    <thead><tr><th>Run</th><th>Start date</th><th>Duration</th><th>Status</th><th>Actions</th></tr></thead>${bodies}
  </table>`);
}

function dashboard(course: FakeCourse, run: FakeRun, changed: boolean): string {
  if (changed) return page('Stats dashboard', '<div id="stats-app" data-react-class="StatsDashboard"></div>');
  const items = Object.keys(run.datasets).map((name) =>
    `<li><a href="/admin/courses/${course.slug}/${run.run}/stats-dashboard/data/${name}">${name}.csv</a></li>`).join('');
  return page('Stats dashboard', `<h2>${escape(course.title)} – run ${run.run}</h2>
    <section class="datasets"><h3>Datasets</h3><ul>${items}</ul></section>`);
}

function page(title: string, body: string, signedIn = true): string {
  const nav = signedIn ? '<a href="/sign-out" data-method="delete" rel="nofollow">Sign out</a>' : '<a href="/register">Register</a>';
  return `<!DOCTYPE html><html><head><title>${escape(title)} - FutureLearn</title></head>
    <body><header><nav>${nav}</nav></header><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function writtenDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function html(res: ServerResponse, status: number, body: string): number {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body);
  return status;
}

function redirect(res: ServerResponse, location: string): number {
  res.writeHead(302, { location, 'content-type': 'text/html; charset=utf-8' });
  res.end(`<html><body>You are being <a href="${location}">redirected</a>.</body></html>`);
  return 302;
}
