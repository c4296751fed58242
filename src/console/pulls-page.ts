/**
 * The pulls page, `/console/pulls`: what the scheduled pulls did last. Coursera export
 * jobs with their status and last error, Khan Academy coaches with their last pull and
 * error (never a token), and the latest FutureLearn imports. The readers of the platform
 * tables are handed in by the app: the console does not read another module's tables.
 */
import { Router } from 'express';
import type { Database } from '../db/connection.js';
import { listImportRuns } from '../lrs/import-run-list.js';
import { consolePage, textField } from './input.js';
import { csrfField, esc, hrefOf, instant, sendPage, table } from './layout.js';
import type { PullRuns, PullRunState } from './pull-runs.js';
import { sessionIn } from './sign-in.js';

/** A Coursera export job as the console lists it. */
export interface PullJob {
  id: string;
  courseId: string;
  kind: string;
  day: string;
  status: string;
  importedAt: Date | null;
  importRunId: number | null;
  lastError: string | null;
  updatedAt: Date;
}

/** A Khan Academy coach as the console lists it: who, and how the last pull went. */
export interface PullCoach {
  coachId: string;
  authorizedAt: Date;
  revokedAt: Date | null;
  lastPullAt: Date | null;
  lastError: string | null;
}

/** The readers of the pull tables. */
export interface PullReaders {
  courseraJobs(): Promise<PullJob[]>;
  khanCoaches(): Promise<PullCoach[]>;
}

const PATH = '/console/pulls';
const SHOWN = 50;

const runLink = (id: number | null): string => (id === null ? '–' : `<a href="/console/imports/${id}">Run ${id}</a>`);

/** What each pull is called on the page. */
const PULL_LABELS: Record<string, string> = { 'coursera-pull': 'Coursera pull', 'futurelearn-pull': 'FutureLearn pull', 'khan-pull': 'Khan Academy pull' };

function stateText(run: PullRunState | undefined): string {
  if (run === undefined) return 'not started from here';
  if (run.state === 'running') return `running since ${instant(new Date(run.startedAt))}`;
  const ended = instant(new Date(run.endedAt));
  if (run.state === 'skipped') return `another instance was running it (${ended})`;
  return run.state === 'failed' ? `failed ${ended}: ${run.error}` : `finished ${ended}`;
}

/** The pulls this instance can start now, each with its form. */
function runNowSection(runs: PullRuns, csrf: string): string {
  const rows = runs.jobs.map((job) => {
    const label = PULL_LABELS[job.name] ?? job.name;
    const last = runs.last(job.name);
    const form = last?.state === 'running' ? '' : `<form method="post" action="${PATH}/run">${csrfField(csrf)}<input type="hidden" name="job" value="${esc(job.name)}"><button type="submit">Run the ${esc(label)} now</button></form>`;
    return [esc(label), esc(stateText(last)), form];
  });
  return `<section aria-labelledby="now-h"><h2 id="now-h">Run a pull now</h2>
${table('Pulls set up on this server', ['Pull', 'Started from the console', 'Action'], rows, 'no pull is set up (see the settings of each platform)')}</section>`;
}

/** The router of the pulls page. */
export function pullsPage(deps: { database: Database; readers: PullReaders; runs: PullRuns }): Router {
  const router = Router();
  router.post('/pulls/run', consolePage('Pulls', PATH, async (req, res) => {
    const job = textField(req, 'body', 'job', 100);
    const started = job !== undefined && deps.runs.start(job);
    res.redirect(303, hrefOf(PATH, started ? { started: job } : { busy: job ?? '' }));
  }));
  router.get('/pulls', consolePage('Pulls', PATH, async (req, res) => {
    const started = textField(req, 'query', 'started', 100);
    const busy = textField(req, 'query', 'busy', 100);
    const { csrf } = sessionIn(res);
    const [jobs, coaches, futurelearn] = await Promise.all([
      deps.readers.courseraJobs(),
      deps.readers.khanCoaches(),
      listImportRuns(deps.database, { source: 'futurelearn', limit: 10 }),
    ]);
    const jobRows = jobs.slice(0, SHOWN).map((j) => [
      `<code>${esc(j.id)}</code>`, esc(j.courseId), esc(j.kind), esc(j.day), esc(j.status), runLink(j.importRunId), instant(j.updatedAt), esc(j.lastError ?? ''),
    ]);
    const coachRows = coaches.map((c) => [
      `<code>${esc(c.coachId)}</code>`, c.revokedAt === null ? `authorized ${instant(c.authorizedAt)}` : `revoked ${instant(c.revokedAt)}`, instant(c.lastPullAt), esc(c.lastError ?? ''),
    ]);
    const runRows = futurelearn.map((r) => [runLink(r.id), esc(r.status), instant(r.startedAt), instant(r.endedAt), esc(r.error ?? '')]);
    sendPage(res, 200, {
      title: 'Pulls', current: PATH, csrf,
      ...(started !== undefined && { notice: `The ${PULL_LABELS[started] ?? started} started; reload this page to see how it went.` }),
      ...(busy !== undefined && { error: 'That pull is not set up here, or it is running already.' }),
      body: `<p>What the scheduled pulls did last; each pull runs on its cron on one instance, and from the command line (<code>coursera pull</code>, <code>futurelearn pull</code>, <code>khan pull</code>).</p>
${runNowSection(deps.runs, csrf)}
<section aria-labelledby="coursera-h"><h2 id="coursera-h">Coursera export jobs</h2>
${table(`Export jobs, newest first${jobs.length > SHOWN ? ` (the ${SHOWN} newest of ${jobs.length})` : ''}`, ['Job', 'Course', 'Kind', 'Day', 'Status', 'Import', 'Updated', 'Last error'], jobRows, 'no job requested yet')}</section>
<section aria-labelledby="futurelearn-h"><h2 id="futurelearn-h">FutureLearn imports</h2>
${table('The latest FutureLearn imports', ['Import', 'Status', 'Started', 'Ended', 'Error'], runRows, 'none yet')}</section>
<section aria-labelledby="khan-h"><h2 id="khan-h">Khan Academy coaches</h2>
${table('Coaches', ['Coach', 'Authorization', 'Last pull', 'Last error'], coachRows, 'no coach authorized')}</section>`,
    });
  }));
  return router;
}
