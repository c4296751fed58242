/**
 * edX tracking logs as events: the lines of `.log` and `.log.gz` files (folders read
 * recursively, as the research package's `events/<year>/` layout has them), each decoded
 * and normalized. A line that is not JSON, or not an event, is a rejection at its
 * `file:line`; reading goes on. A file none of whose first lines is an event is refused
 * before the run starts (`checkTrackingLogs`).
 */
import { stat } from 'node:fs/promises';
import { CodedError } from '../../errors.js';
import type { Rejection } from '../../xapi/run-summary.js';
import { storableIssues } from '../../xapi/storable.js';
import { edxUserIdOf, isRejection, normalizeEdxEvent, type EdxEvent } from './event.js';
import { listLogFiles, readLogLines, type LogLineOptions } from './log-lines.js';
import { notJson } from '../json-problem.js';
import { jsonVerdict, lineOf, sniffFormat, type LineFormat } from '../file-format.js';

/** An event read from a source, with its raw text; or why it could not be read. */
export type EdxRecord =
  | { ok: true; at: string; raw: string; event: EdxEvent }
  // `userId` where the bad event still names its learner: an erased learner's is dropped, not kept.
  | { ok: false; at: string; raw?: string; type?: string; userId?: string; rejection: Rejection };

/** Decodes and normalizes one line (or one JSON text) found at `at`. */
export function parseEdxLine(at: string, raw: string): EdxRecord {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return { ok: false, at, raw, rejection: { code: 'unreadable', detail: notJson(err) } };
  }
  return fromValue(at, value, raw);
}

/** Normalizes one decoded event found at `at`; `raw` is kept for a rejection. */
export function fromValue(at: string, value: unknown, raw: string): EdxRecord {
  // JSON.parse reads any depth, but the translators recurse (JSON.stringify) and would overflow.
  const [tooDeep] = storableIssues(value, { depthOnly: true });
  if (tooDeep !== undefined) return { ok: false, at, raw, rejection: { code: 'bad_value', field: tooDeep.path, detail: tooDeep.message } };
  const event = normalizeEdxEvent(value);
  if (!isRejection(event)) return { ok: true, at, raw, event };
  const r = value as Record<string, unknown> | null;
  const type = typeof r?.event_type === 'string' ? r.event_type : typeof r?.name === 'string' ? r.name : undefined;
  const userId = typeof r === 'object' && r !== null && !Array.isArray(r) ? edxUserIdOf(r) : undefined;
  return { ok: false, at, raw, rejection: event, ...(type === undefined ? {} : { type }), ...(userId === undefined ? {} : { userId }) };
}

/**
 * Every event of the tracking logs under `paths`, in constant memory.
 * @example for await (const r of readTrackingLog(['events/'])) if (r.ok) count(r.event.type);
 */
export async function* readTrackingLog(paths: string[], opts: LogLineOptions = {}): AsyncGenerator<EdxRecord> {
  for await (const line of readLogLines(paths, opts)) {
    yield line.ok ? parseEdxLine(line.at, line.line) : { ok: false, at: line.at, rejection: line.rejection };
  }
}

const EDX_LOG: LineFormat = { name: 'an edX tracking log', expected: 'one JSON event per line' };

/** Either shape of an event (event.ts) names its type: `event_type` or `name`. */
const eventShaped = (value: Record<string, unknown>): boolean => typeof value.event_type === 'string' || typeof value.name === 'string';

/**
 * Throws an `invalid` error naming the first file under `paths` whose first lines hold no
 * event (see `sniffFormat`), before anything is read into a run; gzip is read as by the run.
 * With `emptyFolders: 'refuse'`, a folder given that holds no log file at all is refused too.
 * @example await checkTrackingLogs(['README.md']); // README.md is not an edX tracking log: line 1 is not JSON (expected one JSON event per line)
 */
export async function checkTrackingLogs(paths: string[], opts: Pick<LogLineOptions, 'from' | 'to'> & { emptyFolders?: 'refuse' } = {}): Promise<void> {
  if (opts.emptyFolders === 'refuse') {
    for (const path of paths) {
      // Whatever the days chosen: a folder of logs with none of those days is not a wrong input.
      if ((await listLogFiles([path])).length === 0 && (await stat(path)).isDirectory()) {
        throw new CodedError('invalid', `${path} holds no edX tracking log: no .log, .log.gz, .json or .ndjson file in it (expected tracking log files or folders of them)`);
      }
    }
  }
  for (const file of await listLogFiles(paths, opts)) {
    const lines = readLogLines([file]);
    try {
      await sniffFormat(lines, (l) => (l.ok ? jsonVerdict(l.line, lineOf(l.at), 'an edX event (a JSON object with event_type or name)', eventShaped) : undefined), file, EDX_LOG);
    } finally {
      await lines.return(undefined);
    }
  }
}
