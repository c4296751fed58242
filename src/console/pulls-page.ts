/**
 * The pulls page, `/console/pulls`: what the scheduled pulls did last. Coursera export
 * jobs with their status and last error, Khan Academy coaches with their last pull and
 * error (never a token), and the latest FutureLearn imports. The readers of the platform
 * tables are handed in by the app: the console does not read another module's tables.
 */
import { Router } from 'express';
import type { Database } from '../db/connection.js';
import { listImportRuns } from '../lrs/import-run-list.js';
import { consolePage } from './input.js';
import { esc, instant, sendPage, table } from './layout.js';
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

/** The router of the pulls page. */
export function pullsPage(deps: { database: Database; readers: PullReaders }): Router {
  const router = Router();
  router.get('/pulls', consolePage('Pulls', PATH, async (_req, res) => {
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
      title: 'Pulls', current: PATH, csrf: sessionIn(res).csrf,
      body: `<p>What the scheduled pulls did last; each pull runs on its cron on one instance, and from the command line (<code>coursera pull</code>, <code>futurelearn pull</code>, <code>khan pull</code>).</p>
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
