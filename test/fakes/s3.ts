/**
 * A fake Amazon S3 on port 0, path-style (`/<bucket>/<key>`): it checks AWS Signature
 * Version 4 on every request by recomputing the signature over the signed headers it
 * received (403 `SignatureDoesNotMatch` for a wrong signature or secret, 403
 * `InvalidAccessKeyId` for an unknown key, 403 `RequestTimeTooSkewed` beyond 15 minutes
 * of its injected clock), and serves ListObjectsV2 (`list-type=2`, `prefix`, `max-keys`,
 * `continuation-token`) and GetObject with S3's ETag (the MD5 of the body, quoted), as
 * S3's error XML. Switches: a body served other than its ETag says, requests counted.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAuthorization, signatureOf } from '../../src/net/aws-sigv4.js';

/** One stored object. */
export interface FakeS3Object {
  body: Buffer;
  /** Served as the ETag; default the MD5 of `body` (a non-multipart upload). */
  etag?: string;
  /** Served instead of `body` while the ETag stays: a corrupted transfer. */
  corruptBody?: Buffer;
}

/** What the fake serves and whom it lets in. */
export interface FakeS3Options {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** The server's time, in ms; requests more than 15 minutes off are refused. */
  now: () => number;
}

/** A running fake S3. */
export interface FakeS3 {
  url: string;
  buckets: Map<string, Map<string, FakeS3Object>>;
  /** Puts an object (replacing one of the same key: a new ETag). */
  put(bucket: string, key: string, body: Buffer | string): void;
  /** Requests by kind: `list`, `get`, and `refused` for each 403. */
  counts: { list: number; get: number; refused: number };
  close(): Promise<void>;
}

const md5 = (body: Buffer): string => createHash('md5').update(body).digest('hex');
const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>fake</RequestId></Error>`);
}

/** `20130524T000000Z` as ms since the epoch. */
function amzTime(date: string): number {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(date);
  return m === null ? Number.NaN : Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** Why the request's signature is refused, as S3 codes it; undefined when it holds. */
function refusal(req: IncomingMessage, url: URL, options: FakeS3Options): { code: string; message: string } | undefined {
  const auth = parseAuthorization(req.headers.authorization);
  const date = req.headers['x-amz-date'];
  if (auth === undefined || typeof date !== 'string') return { code: 'AccessDenied', message: 'no AWS4-HMAC-SHA256 Authorization header' };
  if (auth.accessKeyId !== options.accessKeyId) return { code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  if (Math.abs(amzTime(date) - options.now()) > 15 * 60_000) return { code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.' };
  if (!auth.signedHeaders.includes('host') || auth.day !== date.slice(0, 8) || auth.region !== options.region) return { code: 'SignatureDoesNotMatch', message: 'credential scope does not match' };
  const headers = Object.fromEntries(auth.signedHeaders.map((h) => [h, String(req.headers[h] ?? '')]));
  const expected = signatureOf({ method: req.method ?? 'GET', url, headers, region: auth.region, service: auth.service, secretAccessKey: options.secretAccessKey, date });
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
    return { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
  }
  return undefined;
}

function listObjects(res: ServerResponse, bucket: string, objects: Map<string, FakeS3Object>, query: URLSearchParams): void {
  const prefix = query.get('prefix') ?? '';
  const maxKeys = Math.min(1000, Number(query.get('max-keys') ?? '1000'));
  const token = query.get('continuation-token');
  const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  const start = token === null ? 0 : keys.findIndex((k) => k > Buffer.from(token, 'base64').toString('utf8'));
  const page = start < 0 ? [] : keys.slice(start, start + maxKeys);
  const truncated = start >= 0 && start + maxKeys < keys.length;
  const contents = page
    .map((key) => {
      const o = objects.get(key)!;
      return `<Contents><Key>${escapeXml(key)}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;${o.etag ?? md5(o.body)}&quot;</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    })
    .join('');
  const next = truncated ? `<NextContinuationToken>${Buffer.from(page.at(-1)!).toString('base64')}</NextContinuationToken>` : '';
  res.writeHead(200, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
  );
}

/**
 * Starts a fake S3 on 127.0.0.1, port 0.
 * @example const s3 = await startFakeS3({ accessKeyId: 'AKIA...', secretAccessKey: 's', region: 'us-east-1', now: () => clock });
 */
export async function startFakeS3(options: FakeS3Options): Promise<FakeS3> {
  const buckets = new Map<string, Map<string, FakeS3Object>>();
  const counts = { list: 0, get: 0, refused: 0 };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const refused = refusal(req, url, options);
    if (refused !== undefined) {
      counts.refused += 1;
      sendError(res, 403, refused.code, refused.message);
      return;
    }
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = rest.map((s) => decodeURIComponent(s)).join('/');
    const objects = buckets.get(bucket);
    if (objects === undefined) return sendError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (key === '' && url.searchParams.get('list-type') === '2') {
      counts.list += 1;
      return listObjects(res, bucket, objects, url.searchParams);
    }
    const object = objects.get(key);
    if (object === undefined) return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    counts.get += 1;
    const body = object.corruptBody ?? object.body;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length), etag: `"${object.etag ?? md5(object.body)}"` });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    buckets,
    counts,
    put(bucket, key, body) {
      if (!buckets.has(bucket)) buckets.set(bucket, new Map());
      buckets.get(bucket)!.set(key, { body: Buffer.isBuffer(body) ? body : Buffer.from(body) });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
