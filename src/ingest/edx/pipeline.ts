/**
 * The edX pipeline shared by the log import, `translate edx` and the live endpoint:
 * records read from any source become import items (statements, ignored, or rejected)
 * through the edX translator, with the settings that shape its ids and actors.
 */
import type { LinkedEcoUser } from '../../catalog/identity-links.js';
import type { Config } from '../../config/index.js';
import type { ImportItem } from '../../lrs/import-run.js';
import { translateEdxEvent, type EdxTranslateOptions } from '../../translators/edx.js';
import type { FreeText } from '../../translators/edx/rule.js';
import { EdxIris, parseCourseId } from '../../translators/edx/ids.js';
import { pathCourseId } from '../../translators/edx/pages.js';
import { freeTextDigest, pseudonym } from '../../xapi/ids.js';
import { remembered } from '../../xapi/remembered.js';
import { CourseRuns } from './course-runs.js';
import { UsernameIds } from './learners.js';
import { readLogLines, type LogLineOptions } from './log-lines.js';
import { parseEdxLine, type EdxRecord } from './tracking-log.js';

/** Which events of a run to keep: a course filter comes with the translate options. */
export interface EdxWindow {
  /** First and last day (YYYY-MM-DD, UTC, inclusive) of the events to translate. */
  from?: string;
  to?: string;
}

/** Why an event of a day outside `--from`/`--to` gives no statement. */
const OUTSIDE_DAYS = 'outside the days chosen';

/** The source type of a record that could not be read as an event. */
export const UNREADABLE_TYPE = '(unreadable)';

/** Thrown when edX cannot be translated with the settings given. */
export class EdxSetupError extends Error {
  override readonly name = 'EdxSetupError';
}

/**
 * The translator's options from the settings: LMS URL, course id form, course filter,
 * each learner's account name (the linked ECO user id, else a keyed pseudonym) and the
 * free-text policy. The live endpoint and every import take them from here, so one
 * `EDX_FREE_TEXT` governs both.
 */
export function edxTranslateOptions(
  config: Config,
  secret: string,
  courseIds: Iterable<string> | undefined = config.edxCourseIds,
  linked: LinkedEcoUser = () => undefined,
): EdxTranslateOptions {
  if (config.edxLmsUrl === undefined) throw new EdxSetupError('EDX_LMS_URL is not set: the LMS base URL names actors and activities');
  const form = config.edxCourseIdForm === 'oai' ? { kind: 'oai' as const, repositoryId: config.oaiRepositoryId! } : { kind: 'lms' as const };
  // A log repeats the same learners, and the HMAC is a tenth of an event's translation.
  const pseudonymOf = remembered((userKey: string) => pseudonym(secret, userKey), 100_000);
  const selected = courseIds === undefined ? undefined : new Set([...courseIds].map((id) => parseCourseId(id)?.id ?? id));
  return {
    iris: new EdxIris(config.edxLmsUrl, form),
    homePage: config.edxLmsUrl.replace(/\/$/, ''),
    actorName: (userKey) => linked(userKey) ?? pseudonymOf(userKey),
    freeText: freeTextPolicy(config.edxFreeText, secret),
    ...(selected === undefined ? {} : { courseIds: selected }),
  };
}

/** `EDX_FREE_TEXT` as a function: `keep` the text, `hash` it with the pseudonym secret, or `drop` it. */
export function freeTextPolicy(mode: Config['edxFreeText'], secret: string): FreeText {
  switch (mode) {
    case 'keep':
      return (text) => text;
    case 'hash':
      return (text) => freeTextDigest(secret, text);
    case 'drop':
      return () => undefined;
  }
}

/**
 * The type an event is counted under in a summary. Server page views have their URL
 * path as event type, so each URL would be a type of its own: they are counted by their
 * first parts, `/courses/{course_id}/courseware/...`, `/static/...`.
 */
export function summaryType(eventType: string): string {
  if (!eventType.startsWith('/')) return eventType;
  const course = pathCourseId(eventType);
  if (course === undefined) return `/${eventType.split('/')[1]}/...`;
  const section = eventType.slice(`/courses/${course}/`.length).split('/')[0];
  return section === '' ? '/courses/{course_id}/' : `/courses/{course_id}/${section}/...`;
}

/** One record as an import item. */
export function edxItem(record: EdxRecord, opts: EdxTranslateOptions, window: EdxWindow = {}): ImportItem {
  if (!record.ok) {
    const type = record.type === undefined ? UNREADABLE_TYPE : summaryType(record.type);
    return { at: record.at, type, rejection: record.rejection, ...(record.raw === undefined ? {} : { payload: record.raw }) };
  }
  const { at, raw } = record;
  const event = record.event;
  const type = summaryType(event.type);
  const day = event.time.slice(0, 10);
  if ((window.from !== undefined && day < window.from) || (window.to !== undefined && day > window.to)) return { at, type, ignored: true, reason: OUTSIDE_DAYS };
  const t = translateEdxEvent(event, opts);
  if ('statements' in t) return { at, type, payload: raw, statements: t.statements, ...(t.unresolved ? { unresolved: true as const } : {}) };
  if ('ignored' in t) return { at, type, ignored: true, reason: t.ignored };
  return { at, type, payload: raw, rejection: t.rejection };
}

/** Most events held back for a username's id; past it they go on, unresolved (memory stays bounded). */
const MAX_WAITING = 100_000;

/**
 * Every record as an import item. The username -> user id pairs of the run's events are
 * learned as they come; an event naming its learner by a username not tied yet waits
 * until the end of the run, when every pair of the input is known, so that it gets the
 * learner's pseudonym whether the tying event came before or after it.
 */
export async function* edxItems(records: AsyncIterable<EdxRecord> | Iterable<EdxRecord>, opts: EdxTranslateOptions, window: EdxWindow = {}, learners = new UsernameIds()): AsyncGenerator<ImportItem> {
  const runs = new CourseRuns();
  const withIds: EdxTranslateOptions = { ...opts, userIdOf: (username) => learners.idOf(username), courseRunOf: (org, course) => runs.runOf(org, course) };
  const waiting: EdxRecord[] = [];
  for await (const record of records) {
    if (record.ok) {
      learners.learn(record.event);
      runs.learn(record.event);
      if (waiting.length < MAX_WAITING && learners.waitsForId(record.event)) {
        waiting.push(record);
        continue;
      }
    }
    yield edxItem(record, withIds, window);
  }
  for (const record of waiting) yield edxItem(record, withIds, window);
}

/**
 * The import items of the tracking logs under `paths`: `edxItems` of their lines, so
 * that a log import resolves usernames as the live endpoint does.
 * @example for await (const item of edxLogItems(['events/'], opts)) count(item);
 */
export function edxLogItems(paths: string[], opts: EdxTranslateOptions, window: EdxWindow & LogLineOptions = {}): AsyncGenerator<ImportItem> {
  return edxItems(logRecords(paths, window), opts, window);
}

async function* logRecords(paths: string[], options: LogLineOptions): AsyncGenerator<EdxRecord> {
  for await (const line of readLogLines(paths, options)) {
    yield line.ok ? parseEdxLine(line.at, line.line) : { ok: false, at: line.at, rejection: line.rejection };
  }
}
