/**
 * Where edX puts an institution's research data in S3, and where the sync keeps it. In
 * the buckets (edX's "Data Czar" documentation, and the ChalmersX toolkit's
 * sync-edx-data): `course-data/<org>-YYYY-MM-DD.zip`, the weekly research data package
 * (its files GPG-encrypted one by one), and
 * `edx-course-data/<org>/<site>/events/<year>/<org>-<site>-events-YYYY-MM-DD.log.gz.gpg`,
 * a day of tracking log of site `edx` or `edge`. Locally, the encrypted originals keep
 * their bucket and key under the backup folder; the decrypted data takes the layout
 * `import edx-package` reads: `course-data/<org>-YYYY-MM-DD/` and
 * `edx-course-data/<site>/events/<year>/<org>-<site>-events-YYYY-MM-DD.log.gz`.
 */
import { join } from 'node:path';

/** An object of the layout: a weekly package or a day of events. */
export type EdxS3Item =
  | { kind: 'package'; bucket: string; key: string; day: string }
  | { kind: 'events'; bucket: string; key: string; day: string; site: 'edx' | 'edge'; file: string };

/** The buckets and the organisation's prefix. */
export interface EdxS3Layout {
  org: string;
  dataBucket: string;
  eventsBucket: string;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The prefix to list in each bucket. */
export const listPrefixes = (layout: EdxS3Layout): { bucket: string; prefix: string }[] => [
  { bucket: layout.dataBucket, prefix: `${layout.org}-` },
  { bucket: layout.eventsBucket, prefix: `${layout.org}/` },
];

/**
 * What an object of a listed bucket is, or why the sync skips it.
 * @example classifyKey(layout, 'course-data', 'chalmersx-2015-08-23.zip') // { kind: 'package', day: '2015-08-23', ... }
 */
export function classifyKey(layout: EdxS3Layout, bucket: string, key: string): EdxS3Item | { skipped: string } {
  const org = escape(layout.org);
  if (bucket === layout.dataBucket) {
    const m = new RegExp(`^${org}-(\\d{4}-\\d\\d-\\d\\d)\\.zip$`).exec(key);
    return m === null ? { skipped: `not a research data package ${layout.org}-YYYY-MM-DD.zip` } : { kind: 'package', bucket, key, day: m[1]! };
  }
  const m = new RegExp(`^${org}/(edx|edge)/events/(\\d{4})/(${org}-\\1-events-((\\d{4})-\\d\\d-\\d\\d)\\.log\\.gz)\\.gpg$`).exec(key);
  if (m === null || m[2] !== m[5]) return { skipped: `not an event file ${layout.org}/<site>/events/<year>/${layout.org}-<site>-events-YYYY-MM-DD.log.gz.gpg` };
  return { kind: 'events', bucket, key, day: m[4]!, site: m[1] as 'edx' | 'edge', file: m[3]! };
}

/** The encrypted original of an object in the backup folder: `<bucket>/<key>`. */
export const backupPath = (backupDir: string, item: { bucket: string; key: string }): string => join(backupDir, item.bucket, ...item.key.split('/'));

/** The folder of a decrypted package's files: `course-data/<org>-YYYY-MM-DD`. */
export const snapshotFolder = (dataRoot: string, org: string, day: string): string => join(dataRoot, 'course-data', `${org}-${day}`);

/** The decrypted day of events: `edx-course-data/<site>/events/<year>/<file>`. */
export const eventsPath = (dataRoot: string, item: Extract<EdxS3Item, { kind: 'events' }>): string =>
  join(dataRoot, 'edx-course-data', item.site, 'events', item.day.slice(0, 4), item.file);
