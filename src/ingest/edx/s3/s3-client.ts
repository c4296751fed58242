/**
 * The two S3 calls the edX sync needs, signed with AWS Signature Version 4 through the
 * one HTTP client: ListObjectsV2, page after page by continuation token, and GetObject
 * streamed to a file while its MD5 is computed, checked against the ETag (for objects not
 * uploaded in parts, the ETag is the body's MD5) and the listed size. S3's refusals come
 * back as coded errors naming S3's own code (`SignatureDoesNotMatch`), never a key.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { load } from 'cheerio';
import { CodedError, type ErrorCode } from '../../../errors.js';
import { signRequest, UNSIGNED_PAYLOAD, type AwsCredentials } from '../../../net/aws-sigv4.js';
import { safeUrl } from '../../../net/net-error.js';
import { request, requestText, systemClock, type NetClock, type RetryPolicy } from '../../../net/request.js';

/** An object as the listing gives it. */
export interface S3Object {
  key: string;
  /** Without its quotes. */
  etag: string;
  size: number;
}

/** Where the buckets are and who reads them. */
export interface S3ClientOptions {
  /** Path-style endpoint (`http://127.0.0.1:9000`); absent: AWS, virtual-hosted. */
  endpoint?: string;
  region: string;
  credentials: AwsCredentials;
  clock?: NetClock;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

/** S3 answered with an error document (403, 404) or an answer that cannot be read. */
export class S3Error extends CodedError {
  override readonly name = 'S3Error';
  constructor(
    code: ErrorCode,
    message: string,
    /** S3's code, `SignatureDoesNotMatch`, `NoSuchKey`, or `ChecksumMismatch` / `SizeMismatch` for a download. */
    readonly s3Code: string,
  ) {
    super(code, message);
  }
}

/** The coded error of S3's error codes; others are `unavailable`. */
const CODE_OF_STATUS: Record<number, ErrorCode> = { 403: 'forbidden', 404: 'not-found', 400: 'invalid' };

/** A client of one S3 endpoint. */
export class S3Client {
  private readonly clock: NetClock;

  constructor(private readonly options: S3ClientOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** The URL of a key (or of the bucket, key ''). */
  urlOf(bucket: string, key: string, query: Record<string, string> = {}): URL {
    const path = key.split('/').map(encodeURIComponent).join('/');
    const url = this.options.endpoint === undefined
      ? new URL(`https://${bucket}.s3.${this.options.region}.amazonaws.com/${path}`)
      : new URL(`${this.options.endpoint.replace(/\/$/, '')}/${bucket}/${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }

  /** The signed request of an attempt: signed anew at each try, so a retry is not refused as skewed. */
  private signed(url: URL): () => RequestInit {
    return () => ({
      method: 'GET',
      headers: signRequest({ method: 'GET', url, region: this.options.region, now: new Date(this.clock.now()), payloadHash: UNSIGNED_PAYLOAD }, this.options.credentials).headers,
    });
  }

  private net() {
    return {
      service: 'S3', clock: this.clock, answer: [400, 403, 404],
      ...(this.options.timeoutMs !== undefined && { timeoutMs: this.options.timeoutMs }),
      ...(this.options.retry !== undefined && { retry: this.options.retry }),
    };
  }

  /**
   * Every object of `bucket` under `prefix`, page by page (ListObjectsV2).
   * @example for await (const o of client.list('edx-course-data', 'chalmersx/')) console.log(o.key);
   */
  async *list(bucket: string, prefix: string, maxKeys = 1000): AsyncGenerator<S3Object> {
    let token: string | undefined;
    do {
      const url = this.urlOf(bucket, '', { 'list-type': '2', prefix, 'max-keys': String(maxKeys), ...(token !== undefined && { 'continuation-token': token }) });
      const answer = await requestText(url, this.signed(url), this.net());
      if (answer.status !== 200) throw s3Refusal(answer.status, answer.text, url);
      const $ = load(answer.text, { xml: true });
      if ($('ListBucketResult').length === 0) throw new S3Error('unavailable', `S3 answered no ListBucketResult at ${safeUrl(url)}`, 'MalformedXML');
      for (const el of $('ListBucketResult > Contents').toArray()) {
        const c = $(el);
        yield { key: c.children('Key').text(), etag: c.children('ETag').text().replace(/"/g, ''), size: Number(c.children('Size').text()) };
      }
      token = $('ListBucketResult > IsTruncated').text() === 'true' ? $('ListBucketResult > NextContinuationToken').text() : undefined;
    } while (token !== undefined && token !== '');
  }

  /**
   * Streams `object` to `toFile` (written as `.part`, renamed when whole and checked):
   * the size must be the listed one, and the MD5 the ETag unless uploaded in parts.
   * @throws S3Error `invalid` with s3Code `ChecksumMismatch` or `SizeMismatch`; the file is then not left behind
   */
  async download(bucket: string, object: S3Object, toFile: string): Promise<{ bytes: number; md5: string }> {
    const url = this.urlOf(bucket, object.key);
    const res = await request(url, this.signed(url), this.net());
    if (res.status !== 200) throw s3Refusal(res.status, await res.text(), url);
    await mkdir(dirname(toFile), { recursive: true });
    const part = `${toFile}.part`;
    const hash = createHash('md5');
    let bytes = 0;
    try {
      const counted = async function* (input: AsyncIterable<Buffer>) {
        for await (const chunk of input) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
      };
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), counted, createWriteStream(part));
      const md5 = hash.digest('hex');
      if (bytes !== object.size) throw new S3Error('invalid', `S3 object ${bucket}/${object.key}: ${bytes} bytes received, ${object.size} listed`, 'SizeMismatch');
      // A multipart ETag is `<md5 of the parts' md5s>-<parts>`: the body's MD5 cannot be checked against it.
      if (!object.etag.includes('-') && md5 !== object.etag.toLowerCase()) throw new S3Error('invalid', `S3 object ${bucket}/${object.key}: MD5 of the body does not match its ETag`, 'ChecksumMismatch');
      await rename(part, toFile);
      return { bytes, md5 };
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
  }
}

/** An S3 error document as a coded error: `S3 refused ... (SignatureDoesNotMatch)`. */
function s3Refusal(status: number, text: string, url: URL): S3Error {
  const s3Code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? String(status);
  const code = CODE_OF_STATUS[status] ?? 'unavailable';
  const verb = status === 403 ? 'refused the request' : `answered ${status}`;
  return new S3Error(code, `S3 ${verb} (${s3Code}) at ${safeUrl(url)}`, s3Code);
}
