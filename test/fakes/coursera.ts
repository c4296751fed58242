/**
 * A fake Coursera research export API on port 0: `onDemandExports.v2` jobs that move one
 * state per poll (PENDING → IN_PROGRESS → SUCCESSFUL), tables served as zips built here,
 * `clickstreamExportsDownload.v1?action=generateLinks` answering links to gzip files, and
 * download links that behave like pre-signed S3 URLs (no Authorization header allowed,
 * 403 once expired). It counts requests per endpoint so tests can prove nothing was
 * requested or downloaded twice.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { readBody, send, sendText } from './http.js';

/** The content a fake serves, and its failure switches. */
export interface FakeCourseraOptions {
  token: string;
  /** courseId → zip entry name → CSV text (names are used as given: `../x.csv` tests zip-slip). */
  tables?: Record<string, Record<string, string>>;
  /** courseId → day (YYYY-MM-DD) → lines of that day's `access-<day>.csv`. */
  clickstream?: Record<string, Record<string, string[]>>;
  /** The first download of each file answers 403, as an expired pre-signed link does. */
  expireLinksOnce?: boolean;
}

/** A job as the fake keeps it. */
export interface FakeJob {
  id: string;
  courseId: string;
  exportType: 'RESEARCH_WITH_SCHEMAS' | 'RESEARCH_EVENTING';
  anonymityLevel: string;
  statementOfPurpose: string;
  schemaNames?: string[];
  interval?: { start: string; end: string };
  status: 'PENDING' | 'IN_PROGRESS' | 'SUCCESSFUL' | 'TERMINATED';
  createdAt: number;
  /** Set by `terminate`: the next poll ends the job TERMINATED. */
  terminate: boolean;
}

/** A running fake. Endpoint keys: `create`, `get`, `list`, `links`, `download <courseId>/<file>`. */
export interface FakeCoursera {
  /** The API base, ending in `/` (as COURSERA_API_URL). */
  baseUrl: string;
  jobs: FakeJob[];
  /** Requests received by endpoint key, whatever they were answered. */
  count(key: string): number;
  /** Downloads answered 200 by key (`download <courseId>/<file>`). */
  served(key: string): number;
  /** The next `n` requests whose `METHOD /path` matches `match` (default: any) answer 500. */
  failNext5xx(n: number, match?: RegExp): void;
  /** Jobs of `courseId` now in flight end TERMINATED at their next poll. */
  terminate(courseId: string): void;
  expireLinksOnce: boolean;
  close(): Promise<void>;
}

const EXPORT_TYPES = ['RESEARCH_WITH_SCHEMAS', 'RESEARCH_EVENTING'];
const ANONYMITY = ['HASHED_IDS_NO_PII', 'HASHED_IDS_WITH_ISOLATED_UGC_NO_PII'];
const DAY = /^\d{4}-\d\d-\d\d$/;

/** Starts a fake Coursera API on an ephemeral port. */
export async function startFakeCoursera(options: FakeCourseraOptions): Promise<FakeCoursera> {
  const jobs: FakeJob[] = [];
  const counts = new Map<string, number>();
  const servedCounts = new Map<string, number>();
  const downloadedOnce = new Set<string>();
  const failures: { left: number; match: RegExp }[] = [];
  let origin = '';
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  const fake: FakeCoursera = {
    baseUrl: '',
    jobs,
    count: (key) => counts.get(key) ?? 0,
    served: (key) => servedCounts.get(key) ?? 0,
    failNext5xx: (n, match = /./) => void failures.push({ left: n, match }),
    terminate: (courseId) => {
      for (const job of jobs) if (job.courseId === courseId && (job.status === 'PENDING' || job.status === 'IN_PROGRESS')) job.terminate = true;
    },
    expireLinksOnce: options.expireLinksOnce ?? false,
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };

  const view = (job: FakeJob) => ({
    id: job.id,
    status: job.status,
    scope: { typeName: 'courseContext', definition: { courseId: job.courseId } },
    exportType: job.exportType,
    anonymityLevel: job.anonymityLevel,
    statementOfPurpose: job.statementOfPurpose,
    ...(job.schemaNames ? { schemaNames: job.schemaNames } : {}),
    ...(job.interval ? { interval: job.interval } : {}),
    createdAt: job.createdAt,
    // A fresh signature on every read, as pre-signed links are.
    ...(job.status === 'SUCCESSFUL' && job.exportType === 'RESEARCH_WITH_SCHEMAS'
      ? { downloadLink: `${origin}/files/${job.courseId}/${job.id}/tables.zip?X-Amz-Signature=${randomBytes(8).toString('hex')}` }
      : {}),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    const route = `${req.method} ${url.pathname}`;
    const failure = failures.find((f) => f.left > 0 && f.match.test(route));
    const files = /^\/files\/([^/]+)\/(?:([^/]+)\/)?([^/]+)$/.exec(url.pathname);
    const key = files ? `download ${files[1]}/${files[3]}`
      : url.pathname.startsWith('/api/clickstreamExportsDownload.v1') ? 'links'
      : req.method === 'POST' ? 'create'
      : url.pathname.replace(/\/$/, '') === '/api/onDemandExports.v2' ? 'list' : 'get';
    bump(counts, key);
    if (failure) {
      failure.left -= 1;
      return send(res, 500, { errorCode: 'INTERNAL_SERVER_ERROR' });
    }
    if (files) return download(req, res, key, files[1]!, files[2], files[3]!);
    if (req.headers.authorization !== `Bearer ${options.token}`) return send(res, 401, { errorCode: 'UNAUTHORIZED', message: 'Invalid token' });
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    if (key === 'links') return links(res, url, body);
    if (key === 'create') return create(res, body);
    if (key === 'list') {
      if (url.searchParams.get('q') !== 'my') return send(res, 400, { errorCode: 'BAD_REQUEST', message: 'q=my expected' });
      return send(res, 200, { elements: jobs.map(view), paging: {} });
    }
    const id = /^\/api\/onDemandExports\.v2\/([^/]+)$/.exec(url.pathname)?.[1];
    const job = jobs.find((j) => j.id === id);
    if (req.method !== 'GET' || !job) return send(res, 404, { errorCode: 'NOT_FOUND' });
    advance(job);
    return send(res, 200, { elements: [view(job)], paging: {} });
  };

  const create = (res: ServerResponse, body: unknown) => {
    const b = body as Record<string, unknown> | undefined;
    const courseId = courseOf(b?.scope);
    const interval = intervalOf(b?.interval);
    const problem = !courseId ? 'scope.definition.courseId of a courseContext scope is required'
      : !EXPORT_TYPES.includes(String(b?.exportType)) ? 'exportType is required'
      : !ANONYMITY.includes(String(b?.anonymityLevel)) ? 'anonymityLevel is required'
      : typeof b?.statementOfPurpose !== 'string' ? 'statementOfPurpose is required'
      : b?.interval !== undefined && !interval ? 'interval must be {start, end} days, start <= end'
      : b?.exportType === 'RESEARCH_EVENTING' && !interval ? 'interval is required for RESEARCH_EVENTING'
      : undefined;
    if (problem || !courseId) return send(res, 400, { errorCode: 'BAD_REQUEST', message: problem });
    const job: FakeJob = {
      id: randomBytes(6).toString('hex'),
      courseId,
      exportType: b!.exportType as FakeJob['exportType'],
      anonymityLevel: String(b!.anonymityLevel),
      statementOfPurpose: String(b!.statementOfPurpose),
      ...(Array.isArray(b!.schemaNames) ? { schemaNames: b!.schemaNames.map(String) } : {}),
      ...(interval ? { interval } : {}),
      status: 'PENDING',
      createdAt: Date.now(),
      terminate: false,
    };
    jobs.push(job);
    return send(res, 201, { elements: [view(job)], paging: {} });
  };

  const links = (res: ServerResponse, url: URL, body: unknown) => {
    const b = body as Record<string, unknown> | undefined;
    const courseId = courseOf(b?.scope);
    const interval = intervalOf(b?.interval);
    if (url.searchParams.get('action') !== 'generateLinks' || !courseId || !interval) {
      return send(res, 400, { errorCode: 'BAD_REQUEST', message: 'action=generateLinks, scope and interval are required' });
    }
    const days = Object.keys(options.clickstream?.[courseId] ?? {}).filter((d) => d >= interval.start && d <= interval.end).sort();
    const sig = randomBytes(8).toString('hex');
    return send(res, 200, days.map((d) => `${origin}/files/${courseId}/clickstream/access-${d}.csv.gz?X-Amz-Signature=${sig}`));
  };

  const download = (req: IncomingMessage, res: ServerResponse, key: string, courseId: string, jobId: string | undefined, name: string) => {
    // Pre-signed URLs refuse a second authentication mechanism (and the token must not travel here).
    if (req.headers.authorization) return sendText(res, 400, 'InvalidArgument: only one auth mechanism allowed');
    if (fake.expireLinksOnce && !downloadedOnce.has(key)) {
      downloadedOnce.add(key);
      return sendText(res, 403, 'AccessDenied: Request has expired');
    }
    let data: Buffer | undefined;
    if (jobId === 'clickstream') {
      const lines = options.clickstream?.[courseId]?.[/^access-(.+)\.csv\.gz$/.exec(name)?.[1] ?? ''];
      if (lines) data = gzipSync(lines.map((l) => `${l}\n`).join(''));
    } else {
      const job = jobs.find((j) => j.id === jobId && j.courseId === courseId && j.status === 'SUCCESSFUL');
      if (job) data = zipOf(options.tables?.[courseId] ?? {});
    }
    if (!data) return sendText(res, 404, 'NoSuchKey');
    bump(servedCounts, key);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
    res.end(data);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 400, { errorCode: 'BAD_REQUEST', message: 'malformed JSON' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.baseUrl = `${origin}/api/`;
  return fake;
}

/** Moves a job one state, as if time had passed between two polls. */
function advance(job: FakeJob): void {
  if (job.status === 'SUCCESSFUL' || job.status === 'TERMINATED') return;
  if (job.terminate) job.status = 'TERMINATED';
  else job.status = job.status === 'PENDING' ? 'IN_PROGRESS' : 'SUCCESSFUL';
}

function courseOf(scope: unknown): string | undefined {
  const s = scope as { typeName?: unknown; definition?: { courseId?: unknown } } | undefined;
  return s?.typeName === 'courseContext' && typeof s.definition?.courseId === 'string' ? s.definition.courseId : undefined;
}

function intervalOf(raw: unknown): { start: string; end: string } | undefined {
  const i = raw as { start?: unknown; end?: unknown } | undefined;
  if (typeof i?.start !== 'string' || typeof i.end !== 'string' || !DAY.test(i.start) || !DAY.test(i.end) || i.start > i.end) return undefined;
  return { start: i.start, end: i.end };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  return JSON.parse((await readBody(req)) || 'null');
}

/** A zip (APPNOTE 6.3: local headers, deflated data, central directory, end record) of `entries`. */
export function zipOf(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    // Shared fields: version 2.0, flag bit 11 (UTF-8 names), method 8 (deflate), 1980-01-01 00:00.
    const common = (b: Buffer, at: number) => {
      b.writeUInt16LE(20, at);
      b.writeUInt16LE(0x0800, at + 2);
      b.writeUInt16LE(8, at + 4);
      b.writeUInt16LE(0, at + 6);
      b.writeUInt16LE(0x21, at + 8);
      b.writeUInt32LE(crc, at + 10);
      b.writeUInt32LE(packed.length, at + 14);
      b.writeUInt32LE(data.length, at + 18);
      b.writeUInt16LE(nameBytes.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    common(central, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
