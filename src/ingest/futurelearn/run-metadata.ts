/**
 * `metadata.csv`, the description the old FutureLearn scraper wrote in every run folder
 * (reference/platforms.md, FutureLearn): tools that read the old layout find the course,
 * the run and its dates there. It describes the folder and is no dataset, so the dataset
 * reader (datasets.ts) passes it by.
 */
import { stringify } from 'csv-stringify/sync';

/** The file name in every run folder. */
export const RUN_METADATA_FILE = 'metadata.csv';

/** What a run folder holds. */
export interface RunMetadata {
  /** The course slug, also the course folder. */
  course: string;
  /** The course's title on the admin course list. */
  courseName: string;
  run: number;
  /** First day, YYYY-MM-DD. */
  start: string;
  weeks: number;
}

const DAY_MS = 86_400_000;

/**
 * The last day of a run's last week, YYYY-MM-DD: start + 7·weeks − 1 days.
 * @example runEndDay('2016-08-08', 3) // '2016-08-28'
 */
export function runEndDay(start: string, weeks: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + (weeks * 7 - 1) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The text of `metadata.csv`: a header and one row (RFC 4180, CRLF).
 * @example runMetadataCsv({ course: 'intro-stats', courseName: 'Introduction to Statistics', run: 1, start: '2016-08-08', weeks: 3 })
 * // 'course,course_name,run,start_date,end_date,weeks\r\nintro-stats,Introduction to Statistics,1,2016-08-08,2016-08-28,3\r\n'
 */
export function runMetadataCsv(m: RunMetadata): string {
  return stringify(
    [['course', 'course_name', 'run', 'start_date', 'end_date', 'weeks'], [m.course, m.courseName, m.run, m.start, runEndDay(m.start, m.weeks), m.weeks]],
    { record_delimiter: '\r\n' },
  );
}
