/**
 * The parts of the gateway and whether the settings turn each on, in the words of the
 * start-up log: `edX live ingest: off (EDX_INGEST_TOKENS unset)`. One row per part; the
 * platform pulls ask the readiness helpers, which alone decide whether a platform is set.
 */
import { courseraPullReadiness } from './coursera.js';
import { edxS3Readiness } from './edx-s3.js';
import { futurelearnPullReadiness } from './futurelearn.js';
import { khanReadiness } from './khan.js';
import type { Config } from './load.js';
import { withoutCredentials } from './redact.js';
import type { Readiness } from './setting.js';

/** What a row says of its part: on or off, and the detail (what it uses, or why it is off). */
type PartState = { on: boolean; detail?: string };

/** `on`, or `off` with the variables to set. */
const fromReadiness = (r: Readiness): PartState => (r.ready ? { on: true } : { on: false, detail: `${r.missing.join(', ')} unset` });

/** On when `variable` names at least one entry. */
const listed = (entries: number, variable: string): PartState => (entries > 0 ? { on: true } : { on: false, detail: `${variable} unset` });

/** `raw` as `withoutCredentials` shows it; a text that is not a URL is not shown at all. */
function shown(raw: string): string {
  try {
    return withoutCredentials(raw);
  } catch {
    return '(not a URL)';
  }
}

/** The parts, in the order the log lists them. */
const PARTS: readonly { name: string; state: (c: Config) => PartState }[] = [
  { name: 'database', state: (c) => ({ on: true, detail: c.databaseUrl ? `PostgreSQL at ${shown(c.databaseUrl)}` : `PGlite in ${c.dataDir}` }) },
  {
    name: 'LRS',
    state: (c) => ({ on: true, detail: c.lrsEndpoint ? `external at ${shown(c.lrsEndpoint)}` : 'embedded at /xapi' }),
  },
  { name: 'admin API', state: (c) => (c.adminToken ? { on: true } : { on: false, detail: 'ADMIN_TOKEN unset' }) },
  { name: 'reports', state: (c) => (c.adminToken ? { on: true } : { on: false, detail: 'ADMIN_TOKEN unset' }) },
  { name: 'Coursera widget API', state: (c) => listed(c.courseraWidgetTokens.size, 'COURSERA_WIDGET_TOKENS') },
  { name: 'edX live ingest', state: (c) => listed(c.edxIngestTokens.size, 'EDX_INGEST_TOKENS') },
  { name: 'ECO API', state: (c) => listed(c.ecoApiKeys.size, 'ECO_API_KEYS') },
  { name: 'OAI-PMH', state: () => ({ on: true, detail: 'at /oai' }) },
  { name: 'Coursera pull', state: (c) => fromReadiness(courseraPullReadiness(c)) },
  { name: 'FutureLearn pull', state: (c) => fromReadiness(futurelearnPullReadiness(c)) },
  { name: 'Khan pull', state: (c) => fromReadiness(khanReadiness(c)) },
  { name: 'edX S3 sync', state: (c) => (edxS3SyncScheduled(c) ? { on: true, detail: `cron ${c.edxS3SyncCron}` } : fromReadiness(edxS3Schedule(c))) },
];

/** Whether the server syncs edX's S3 data on a schedule: the sync is set up and EDX_S3_SYNC_CRON is set. */
function edxS3Schedule(c: Config): Readiness {
  const r = edxS3Readiness(c);
  if (!r.ready) return r;
  return c.edxS3SyncCron === undefined ? { ready: false, missing: ['EDX_S3_SYNC_CRON'] } : { ready: true };
}

/**
 * Whether the scheduler runs the edX S3 sync (jobs.ts asks the same).
 * @example if (edxS3SyncScheduled(config)) jobs.push(edxS3SyncJob(deps));
 */
export const edxS3SyncScheduled = (c: Config): boolean => edxS3Schedule(c).ready;

/**
 * One line per part: `name: on`, `name: on (detail)` or `name: off (why)`. Names
 * settings, never their values, save URLs without their credentials.
 * @example partLines(loadConfig({}))[2] // 'admin API: off (ADMIN_TOKEN unset)'
 */
export function partLines(config: Config): { part: string; on: boolean; line: string }[] {
  return PARTS.map(({ name, state }) => {
    const { on, detail } = state(config);
    return { part: name, on, line: `${name}: ${on ? 'on' : 'off'}${detail ? ` (${detail})` : ''}` };
  });
}
