/**
 * The edX pipeline of the log import, `translate edx`, the research package and the live
 * endpoint: edX records from any source become source items (the event with its raw
 * line, counted under its summary type) through the edX translator, with the settings
 * that shape its ids and actors.
 */
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { loadLinkedEcoUsers, type LinkedEcoUser } from '../catalog/identity-links.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { CodedError } from '../errors.js';
import type { EdxEvent } from '../ingest/edx/event.js';
import { UsernameIds } from '../ingest/edx/learners.js';
import type { LogLineOptions } from '../ingest/edx/log-lines.js';
import { checkTrackingLogs, readTrackingLog, type EdxRecord } from '../ingest/edx/tracking-log.js';
import { pseudonymSecret } from '../ingest/pseudonym-secret.js';
import type { ImportItem, ImportResult } from '../lrs/import-run.js';
import type { Outbox } from '../lrs/outbox.js';
import { translateEdxEvent, type EdxTranslateOptions } from '../translators/edx.js';
import { CourseRuns } from '../translators/edx/course-runs.js';
import { EdxIris, parseCourseId } from '../translators/edx/ids.js';
import { pathCourseId } from '../translators/edx/pages.js';
import type { FreeText } from '../translators/edx/rule.js';
import { freeTextDigest, pseudonym } from '../xapi/ids.js';
import { remembered } from '../xapi/remembered.js';
import type { RunSummary } from '../xapi/run-summary.js';
import { validateBuiltStatement } from '../xapi/validate-built.js';
import { importItem, importItems, runPipeline, translateSecret, type Pipeline, type SourceItem, type Translation } from './runner.js';

/** Which events of a run to keep: a course filter comes with the translate options. */
export interface EdxWindow {
  /** First and last day (YYYY-MM-DD, UTC, inclusive) of the events to translate. */
  from?: string;
  to?: string;
}

/** What to read: files or folders, a day range, and courses (else EDX_COURSE_IDS). */
export interface EdxRunInput extends EdxWindow {
  paths: string[];
  courses?: string[];
}

/** Why an event of a day outside `--from`/`--to` gives no statement. */
const OUTSIDE_DAYS = 'outside the days chosen';

/** The source type of a record that could not be read as an event. */
export const UNREADABLE_TYPE = '(unreadable)';

/**
 * The translator's options from the settings: LMS URL, course id form, course filter,
 * each learner's account name (the linked ECO user id, else a keyed pseudonym) and the
 * free-text policy. The live endpoint and every import take them from here, so one
 * `EDX_FREE_TEXT` governs both. Throws a `setup` error without EDX_LMS_URL.
 */
export function edxTranslateOptions(
  config: Config,
  secret: string,
  courseIds: Iterable<string> | undefined = config.edxCourseIds,
  linked: LinkedEcoUser = () => undefined,
): EdxTranslateOptions {
  if (config.edxLmsUrl === undefined) throw new CodedError('setup', 'EDX_LMS_URL is not set: the LMS base URL names actors and activities');
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

/**
 * The account name the translator gives the learner whose edX platform user id is
 * `userId` (`context.user_id`): the linked ECO user id, else the keyed pseudonym. For
 * commands that take a learner by edX user id; the id itself goes no further.
 * @example const learner = await edxLearnerName(config, database, '4711');
 */
export async function edxLearnerName(config: Config, database: Database, userId: string): Promise<string> {
  const opts = edxTranslateOptions(config, await pseudonymSecret(config, database), undefined, await loadLinkedEcoUsers(database, 'edx'));
  return opts.actorName(userId);
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

/** One record as a source item: the event with its raw text, or why it is not translated. */
function edxSourceItem(record: EdxRecord, window: EdxWindow, opts: EdxTranslateOptions): SourceItem<EdxEvent> {
  if (!record.ok) {
    const type = record.type === undefined ? UNREADABLE_TYPE : summaryType(record.type);
    const learner = record.userId === undefined ? undefined : opts.actorName(record.userId);
    return { at: record.at, type, rejection: record.rejection, ...(record.raw === undefined ? {} : { payload: record.raw }), ...(learner === undefined ? {} : { learner }) };
  }
  const { at, raw, event } = record;
  const type = summaryType(event.type);
  const day = event.time.slice(0, 10);
  if ((window.from !== undefined && day < window.from) || (window.to !== undefined && day > window.to)) return { at, type, ignored: true, reason: OUTSIDE_DAYS };
  return { at, type, payload: raw, record: event };
}

/** The edX rule tables as the runner's translator. */
export function edxTranslator(opts: EdxTranslateOptions): (event: EdxEvent) => Translation {
  return (event) => {
    const t = translateEdxEvent(event, opts);
    return 'ignored' in t ? { ignored: true, reason: t.ignored } : t;
  };
}

/** The account name of the learner an event is about (`context.user_id`), where it names one. */
export const edxLearnerOf = (opts: EdxTranslateOptions) => (event: EdxEvent): string | undefined =>
  (event.userId === undefined ? undefined : opts.actorName(event.userId));

/** One record as an import item. */
export function edxItem(record: EdxRecord, opts: EdxTranslateOptions, window: EdxWindow = {}): ImportItem {
  return importItem(edxSourceItem(record, window, opts), { translate: edxTranslator(opts), learnerOf: edxLearnerOf(opts) });
}

/** Most events held back for a username's id; past it they go on, unresolved (memory stays bounded). */
const MAX_WAITING = 100_000;

/**
 * The edX pipeline of `records`. The username -> user id pairs of the run's events are
 * learned as they come; an event naming its learner by a username not tied yet waits
 * until the end of the run, when every pair of the input is known, so that it gets the
 * learner's pseudonym whether the tying event came before or after it.
 */
export function edxPipeline(records: AsyncIterable<EdxRecord> | Iterable<EdxRecord>, opts: EdxTranslateOptions, window: EdxWindow = {}, learners = new UsernameIds()): Pipeline<EdxEvent> {
  const runs = new CourseRuns();
  const withIds: EdxTranslateOptions = { ...opts, userIdOf: (username) => learners.idOf(username), courseRunOf: (org, course) => runs.runOf(org, course) };
  async function* source(): AsyncGenerator<SourceItem<EdxEvent>> {
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
      yield edxSourceItem(record, window, withIds);
    }
    for (const record of waiting) yield edxSourceItem(record, window, withIds);
  }
  return { source: source(), translate: edxTranslator(withIds), learnerOf: edxLearnerOf(withIds), validate: validateBuiltStatement };
}

/** Every record as an import item (see `edxPipeline`). */
export function edxItems(records: AsyncIterable<EdxRecord> | Iterable<EdxRecord>, opts: EdxTranslateOptions, window: EdxWindow = {}, learners = new UsernameIds()): AsyncGenerator<ImportItem> {
  return importItems(edxPipeline(records, opts, window, learners));
}

/**
 * The import items of the tracking logs under `paths`, so that a log import resolves
 * usernames as the live endpoint does.
 * @example for await (const item of edxLogItems(['events/'], opts)) count(item);
 */
export function edxLogItems(paths: string[], opts: EdxTranslateOptions, window: EdxWindow & LogLineOptions = {}): AsyncGenerator<ImportItem> {
  return edxItems(readTrackingLog(paths, window), opts, window);
}

function logPipeline(input: EdxRunInput, opts: EdxTranslateOptions): Pipeline<EdxEvent> {
  const window = { from: input.from, to: input.to };
  return edxPipeline(readTrackingLog(input.paths, window), opts, window);
}

/** Imports tracking logs into the outbox and returns the run; a file that is not a tracking log is refused first. */
export async function importEdx(input: EdxRunInput, deps: { config: Config; database: Database; outbox: Outbox; logger: Logger }): Promise<ImportResult> {
  await checkTrackingLogs(input.paths, { ...input, emptyFolders: 'refuse' });
  const secret = await pseudonymSecret(deps.config, deps.database);
  const opts = edxTranslateOptions(deps.config, secret, input.courses, await loadLinkedEcoUsers(deps.database, 'edx'));
  const sink = { database: deps.database, outbox: deps.outbox, source: 'edx', input: input.paths.join(' ') };
  return runPipeline(logPipeline(input, opts), sink, { what: 'events read', logger: deps.logger });
}

/** Translates tracking logs to NDJSON statements on `out`, touching no database; returns the summary. A file that is not a tracking log is refused first. */
export async function translateEdx(input: EdxRunInput, deps: { config: Config; logger: Logger; out: Writable }): Promise<RunSummary> {
  await checkTrackingLogs(input.paths, { ...input, emptyFolders: 'refuse' });
  const opts = edxTranslateOptions(deps.config, translateSecret(deps.config), input.courses);
  return runPipeline(logPipeline(input, opts), { out: deps.out }, { what: 'events read', logger: deps.logger });
}
