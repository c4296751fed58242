/**
 * `POST /ingest/edx`: the live endpoint that edX instances (a log shipper, or the
 * event-tracking backend in `contrib/edx/`) post events to. One event, a JSON array, or
 * NDJSON, with its Content-Type (415 otherwise); each event is translated, validated and
 * enqueued before the 202 answer, which counts what became of them. While no sender is
 * set up, the endpoint answers 401 naming EDX_INGEST_TOKENS. A bad event is answered in the counts and kept in
 * `rejected_records`; it never fails the events beside it, even when it holds a value
 * the database cannot store: data never makes this endpoint answer 500.
 */
import express, { Router, type Request } from 'express';
import type { Database } from '../db/connection.js';
import { sameSecret } from '../http/bearer.js';
import { CodedError } from '../errors.js';
import { HttpFault } from '../http/errors.js';
import { UsernameIds } from '../ingest/edx/learners.js';
import { fromValue, parseEdxLine, type EdxRecord } from '../ingest/edx/tracking-log.js';
import type { Outbox } from '../lrs/outbox.js';
import type { EdxTranslateOptions } from '../translators/edx.js';
import { unstorableText } from '../xapi/storable.js';
import { edxPipeline } from './edx.js';
import { runPipeline } from './runner.js';

/** What the endpoint needs. */
export interface EdxIngestDeps {
  database: Database;
  outbox: Outbox;
  /** Bearer token → the name of the edX instance that sends with it. */
  tokens: Map<string, string>;
  translate: EdxTranslateOptions;
  /** Loads the identity links of a batch's users before it is translated, when links are kept. */
  loadLinks?: (edxUserIds: string[]) => Promise<void>;
  bodyLimitBytes: number;
  /** Most events in one request (INGEST_MAX_EVENTS); more get 413 before any is read. Unset: no cap. */
  maxEvents?: number;
}

/** The sending instance's name, or 401 (with the standard challenge) for a missing or unknown token. */
function authenticate(req: Request, tokens: Map<string, string>): string {
  const header = req.get('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const given = m?.[1] ?? '';
  // Compare with every token in constant time, so timing does not tell how much matched.
  let name: string | undefined;
  for (const [token, instance] of tokens) if (sameSecret(given, token)) name = instance;
  if (name === undefined) throw new HttpFault('unauthorized', m === null ? 'a bearer token is required' : 'the bearer token is not accepted', { 'WWW-Authenticate': 'Bearer realm="ingest"' });
  return name;
}

/** The media types a POST may carry: one event or a JSON array, or NDJSON (one event a line) under its usual names. */
export const INGEST_TYPES = ['application/json', 'application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines'] as const;

/**
 * Refuses (415) a body without one of `INGEST_TYPES`, before it is read: a form post or a
 * body of no type is not guessed at. A multi-line `application/json` body is still read
 * as NDJSON, as log shippers send it (Fluent Bit's json_lines).
 */
function requireIngestType(req: Request): void {
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if ((INGEST_TYPES as readonly string[]).includes(type)) return;
  const accepted = INGEST_TYPES.join(', ');
  throw new HttpFault('unsupported', type === '' ? `the body has no Content-Type: send one of ${accepted}` : `this Content-Type is not accepted: send one of ${accepted}`, { 'Accept-Post': accepted });
}

/** What every request to `/ingest/edx` is told while EDX_INGEST_TOKENS names no sender, as the admin API says it is off. */
const OFF = 'the edX live endpoint is off: EDX_INGEST_TOKENS is not set';

/**
 * The router of `/ingest/edx` while it is off: a POST is answered 401 naming the setting
 * to set, not a bare 404 that reads as a wrong URL.
 */
export function edxIngestOffRouter(): Router {
  const router = Router();
  router.post('/', () => {
    throw new HttpFault('unauthorized', OFF, { 'WWW-Authenticate': 'Bearer realm="ingest"' });
  });
  return router;
}

/**
 * Refuses a body of more than `maxEvents` events with 413, before any is read: a request
 * costs (and may write rejected rows) in proportion to its events, and 10 MB holds 200,000
 * small ones. The sender splits the batch; nothing of it is stored, so nothing is lost.
 */
function refuseOverCap(events: number, maxEvents: number): void {
  if (events > maxEvents) throw new CodedError('too-large', `a POST holds at most ${maxEvents} events (INGEST_MAX_EVENTS); this one has ${events}: split it`);
}

/** The events of a body: a JSON object or array, else NDJSON; positions are `body[i]` or `line N`. */
export function bodyRecords(body: string, contentType: string | undefined, maxEvents = Infinity): EdxRecord[] {
  const text = body.trim();
  if (text === '') throw new CodedError('invalid', 'the body holds no event');
  const json = /json/i.test(contentType ?? '') && !/ndjson|jsonl|json-seq/i.test(contentType ?? '');
  if (json || !text.includes('\n')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (Array.isArray(value)) {
      refuseOverCap(value.length, maxEvents);
      return value.map((v, i) => fromValue(`body[${i}]`, v, eventText(v)));
    }
    if (value !== undefined) return [fromValue('body', value, text)];
    if (!text.includes('\n')) throw new CodedError('invalid', 'the body is neither JSON nor NDJSON');
  }
  const records: EdxRecord[] = [];
  const lines = text.split('\n');
  refuseOverCap(lines.filter((line) => line.trim() !== '').length, maxEvents);
  lines.forEach((line, i) => {
    if (line.trim() !== '') records.push(parseEdxLine(`line ${i + 1}`, line.replace(/\r$/, '')));
  });
  return records;
}

/**
 * One event of a JSON array as text, kept with its rejection. JSON.parse reads nesting
 * that JSON.stringify cannot write back (it recurses); such an event is kept as a note,
 * and its statements, if any, are refused by the storable check.
 */
function eventText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '(an event nested too deep to be written back)';
  }
}

/** The router of `/ingest/edx`. */
export function edxIngestRouter(deps: EdxIngestDeps): Router {
  const router = Router();
  // The live endpoint learns usernames' ids as events come, across the requests of this process.
  const learners = new UsernameIds();
  router.post(
    '/',
    // Before the body is read: an unknown sender costs no parsing.
    (req, res, next) => {
      res.locals.instance = authenticate(req, deps.tokens);
      requireIngestType(req);
      next();
    },
    express.text({ type: () => true, limit: deps.bodyLimitBytes }),
    async (req, res) => {
      const instance = res.locals.instance as string;
      const records = bodyRecords(typeof req.body === 'string' ? req.body : '', req.get('content-type'), deps.maxEvents);
      // An id the database cannot hold as text has no link, and must not fail the batch.
      await deps.loadLinks?.(records.flatMap((r) => (r.ok && r.event.userId !== undefined && unstorableText(r.event.userId) === undefined ? [r.event.userId] : [])));
      const sink = { database: deps.database, outbox: deps.outbox, source: 'edx', input: `POST /ingest/edx from ${instance}` };
      const { summary } = await runPipeline(edxPipeline(records, deps.translate, {}, learners), sink);
      const { read, translated, statements, unresolved, ignored, ignoredBy, rejected, erased, added, known, replaced, byType, errors } = summary;
      res.status(202).json({ received: read, translated, statements, unresolved, ignored, ignoredBy, rejected, erased, added, known, replaced, byType, errors });
    },
  );
  return router;
}
