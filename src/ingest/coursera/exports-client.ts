/**
 * Client of Coursera's research export API (`onDemandExports.v2` and
 * `clickstreamExportsDownload.v1`), with an OAuth2 bearer token.
 *
 * The token is a secret that opens every course the account coordinates: it goes in
 * the Authorization header of API calls only, never to download links (they are
 * pre-signed URLs on another host), and never into an error message. Messages name
 * the endpoint path relative to the base URL, without its query.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { NetError } from '../../net/net-error.js';
import { request, requestText } from '../../net/request.js';

/** How Coursera hashes learner ids in an export. */
export type AnonymityLevel = 'HASHED_IDS_NO_PII' | 'HASHED_IDS_WITH_ISOLATED_UGC_NO_PII';
/** The states of an export job. */
export type ExportStatus = 'PENDING' | 'IN_PROGRESS' | 'SUCCESSFUL' | 'TERMINATED';
/** Tables (`RESEARCH_WITH_SCHEMAS`) or clickstream (`RESEARCH_EVENTING`). */
export type ExportType = 'RESEARCH_WITH_SCHEMAS' | 'RESEARCH_EVENTING';
/** Days from `start` to `end`, both included, as YYYY-MM-DD. */
export interface DayInterval {
  start: string;
  end: string;
}

/** An export job as Coursera describes it. */
export interface ExportJob {
  id: string;
  status: ExportStatus;
  courseId: string;
  exportType: ExportType;
  anonymityLevel: string;
  schemaNames?: string[];
  interval?: DayInterval;
  /** Epoch milliseconds. */
  createdAt: number;
  /** A pre-signed zip URL, on SUCCESSFUL tables jobs; it expires. */
  downloadLink?: string;
}

/** What a request for an export states about its use. */
export interface ExportPurpose {
  anonymityLevel: AnonymityLevel;
  purpose: string;
}

/** The calls of the export API the fetch run makes; the fake-backed tests use the real client. */
export type CourseraExportsApi = Pick<
  CourseraExportsClient,
  'requestTables' | 'requestClickstream' | 'getJob' | 'listJobs' | 'clickstreamLinks' | 'download'
>;

/** Settings of a client. */
export interface CourseraExportsClientOptions {
  /** The API base, ending in `/` (e.g. `https://api.coursera.org/api/`). */
  baseUrl: string;
  token: string;
  /** Limit of one API call. */
  timeoutMs?: number;
  /** Limit of silence during a download: a big export may take long, a stalled one must not hang. */
  downloadIdleMs?: number;
}

/** The API refused the token (401), or the token may not see this course (403). */
export class CourseraAuthError extends Error {
  override readonly name = 'CourseraAuthError';
  readonly code = 'coursera_auth';
  constructor(readonly endpoint: string, readonly status: number) {
    super(status === 401
      ? `${endpoint}: Coursera refused the token (401); check COURSERA_TOKEN`
      : `${endpoint}: the token may not access this resource (403)`);
  }
}

/** Coursera answered 5xx or 429, or could not be reached: retry on a later run. */
export class CourseraServerError extends Error {
  override readonly name = 'CourseraServerError';
  readonly code = 'coursera_unavailable';
  constructor(readonly endpoint: string, reason: string, readonly status?: number, options?: ErrorOptions) {
    super(`${endpoint}: ${reason}`, options);
  }
}

/** A download link answered 403, 404 or 410: it expired; fetch the job again for a fresh one. */
export class CourseraLinkExpiredError extends Error {
  override readonly name = 'CourseraLinkExpiredError';
  readonly code = 'coursera_link_expired';
  constructor(readonly endpoint: string, readonly status: number) {
    super(`${endpoint}: download link expired (${status})`);
  }
}

/** Coursera answered something this client does not understand (a 4xx, or an unexpected body). */
export class CourseraResponseError extends Error {
  override readonly name = 'CourseraResponseError';
  readonly code = 'coursera_bad_response';
  constructor(readonly endpoint: string, reason: string, readonly status?: number) {
    super(`${endpoint}: ${reason}`);
  }
}

const EXPORTS = 'onDemandExports.v2/';
const LINKS = 'clickstreamExportsDownload.v1';
const STATUSES: readonly string[] = ['PENDING', 'IN_PROGRESS', 'SUCCESSFUL', 'TERMINATED'];

/**
 * Calls the export API of one account.
 * @example
 * const client = new CourseraExportsClient({ baseUrl: config.courseraApiUrl, token });
 * const job = await client.requestTables('abc123', { anonymityLevel: 'HASHED_IDS_NO_PII', purpose: 'tracker' });
 */
export class CourseraExportsClient {
  readonly #base: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #idleMs: number;

  constructor(options: CourseraExportsClientOptions) {
    this.#base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#idleMs = options.downloadIdleMs ?? 120_000;
  }

  /** Requests a tables export of a course; `schemaNames` empty or absent means all. */
  async requestTables(courseId: string, opts: ExportPurpose & { schemaNames?: string[] }): Promise<ExportJob> {
    const body = { ...this.#requestBody(courseId, 'RESEARCH_WITH_SCHEMAS', opts), ...(opts.schemaNames?.length ? { schemaNames: opts.schemaNames } : {}) };
    return this.#oneJob(EXPORTS, await this.#call('POST', EXPORTS, body));
  }

  /** Requests a clickstream export of a course for the days of `interval`. */
  async requestClickstream(courseId: string, interval: DayInterval, opts: ExportPurpose): Promise<ExportJob> {
    const body = { ...this.#requestBody(courseId, 'RESEARCH_EVENTING', opts), interval };
    return this.#oneJob(EXPORTS, await this.#call('POST', EXPORTS, body));
  }

  /** The current state of one job (a SUCCESSFUL tables job comes with a fresh download link). */
  async getJob(id: string): Promise<ExportJob> {
    const path = `${EXPORTS}${encodeURIComponent(id)}`;
    return this.#oneJob(path, await this.#call('GET', path));
  }

  /** Every job of this account. */
  async listJobs(): Promise<ExportJob[]> {
    const body = await this.#call('GET', `${EXPORTS}?q=my`);
    return elementsOf(EXPORTS, body).map((e) => parseJob(EXPORTS, e));
  }

  /** Pre-signed URLs of the clickstream files (`access-YYYY-MM-DD.csv.gz`) of a course for `interval`. */
  async clickstreamLinks(courseId: string, interval: DayInterval): Promise<string[]> {
    const body = await this.#call('POST', `${LINKS}?action=generateLinks`, { scope: scopeOf(courseId), interval });
    if (!Array.isArray(body) || !body.every((u) => typeof u === 'string' && /^https?:\/\//.test(u))) {
      throw new CourseraResponseError(LINKS, 'expected an array of URLs');
    }
    return body;
  }

  /** Streams `url` to `toFile` (through `toFile.part`, renamed when complete); returns its size. */
  async download(url: string, toFile: string): Promise<number> {
    const where = linkName(url);
    const abort = new AbortController();
    let timer = setTimeout(() => abort.abort(), this.#idleMs);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(), this.#idleMs);
    };
    const part = `${toFile}.part`;
    try {
      // No Authorization header: the link is signed, and the token must not leave the API host.
      const res = await request(url, {}, { service: 'Coursera', signal: abort.signal, answer: [401, 403, 404, 410] }).catch((err: unknown) => {
        throw abort.signal.aborted ? new CourseraServerError(where, 'timed out', undefined, { cause: err }) : courseraError(where, err);
      });
      if ([403, 404, 410].includes(res.status)) throw new CourseraLinkExpiredError(where, res.status);
      if (!res.ok || !res.body) throw new CourseraResponseError(where, `answered ${res.status}`, res.status);
      let bytes = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          touch();
          done(null, chunk);
        },
      });
      await pipeline(Readable.fromWeb(res.body as WebReadableStream), count, createWriteStream(part)).catch((err: unknown) => {
        throw new CourseraServerError(where, 'download interrupted', undefined, { cause: err });
      });
      await rename(part, toFile);
      return bytes;
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  #requestBody(courseId: string, exportType: ExportType, opts: ExportPurpose) {
    return { scope: scopeOf(courseId), exportType, anonymityLevel: opts.anonymityLevel, statementOfPurpose: opts.purpose };
  }

  #oneJob(endpoint: string, body: unknown): ExportJob {
    const [first] = elementsOf(endpoint, body);
    if (first === undefined) throw new CourseraResponseError(endpoint, 'no job in the answer');
    return parseJob(endpoint, first);
  }

  async #call(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<unknown> {
    const endpoint = `${method} ${pathAndQuery.split('?')[0]}`;
    const headers = {
      authorization: `Bearer ${this.#token}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const init = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    const res = await requestText(new URL(pathAndQuery, this.#base), init, { service: 'Coursera', timeoutMs: this.#timeoutMs }).catch((err: unknown) => {
      throw courseraError(endpoint, err);
    });
    if (res.status < 200 || res.status >= 300) throw new CourseraResponseError(endpoint, `answered ${res.status}`, res.status);
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new CourseraResponseError(endpoint, 'answered with a body that is not JSON');
    }
  }
}

/** A failed call as the fetch run tells them apart: the token refused, or Coursera unwell (retry on a later run). */
function courseraError(endpoint: string, err: unknown): unknown {
  if (!(err instanceof NetError)) return err;
  if (err.fault === 'auth') return new CourseraAuthError(endpoint, err.status ?? 401);
  return new CourseraServerError(endpoint, err.reason, err.status, { cause: err });
}

function scopeOf(courseId: string) {
  return { typeName: 'courseContext', definition: { courseId } };
}

function elementsOf(endpoint: string, body: unknown): unknown[] {
  const elements = (body as { elements?: unknown } | null)?.elements;
  if (!Array.isArray(elements)) throw new CourseraResponseError(endpoint, 'expected {elements: [...]}');
  return elements;
}

function parseJob(endpoint: string, raw: unknown): ExportJob {
  const j = raw as Record<string, unknown> | null;
  const courseId = (j?.scope as { definition?: { courseId?: unknown } } | undefined)?.definition?.courseId;
  const interval = j?.interval as { start?: unknown; end?: unknown } | undefined;
  if (
    !j || typeof j.id !== 'string' || typeof j.status !== 'string' || !STATUSES.includes(j.status) ||
    typeof courseId !== 'string' || (j.exportType !== 'RESEARCH_WITH_SCHEMAS' && j.exportType !== 'RESEARCH_EVENTING') ||
    (j.downloadLink !== undefined && typeof j.downloadLink !== 'string') ||
    (interval !== undefined && (typeof interval.start !== 'string' || typeof interval.end !== 'string'))
  ) {
    throw new CourseraResponseError(endpoint, 'a job lacks id, status, scope or exportType');
  }
  return {
    id: j.id,
    status: j.status as ExportStatus,
    courseId,
    exportType: j.exportType,
    anonymityLevel: String(j.anonymityLevel ?? ''),
    ...(Array.isArray(j.schemaNames) ? { schemaNames: j.schemaNames.map(String) } : {}),
    ...(interval ? { interval: { start: String(interval.start), end: String(interval.end) } } : {}),
    createdAt: Number(j.createdAt ?? 0),
    ...(typeof j.downloadLink === 'string' ? { downloadLink: j.downloadLink } : {}),
  };
}

/** A link's host and file name: its query is a signature, and stays out of messages. */
function linkName(url: string): string {
  try {
    const u = new URL(url);
    return `GET ${u.host}/…/${u.pathname.split('/').pop() ?? ''}`;
  } catch {
    return 'GET <download link>';
  }
}
