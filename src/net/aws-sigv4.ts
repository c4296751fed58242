/**
 * AWS Signature Version 4 for S3 requests without a body (GET, HEAD), as the S3 API
 * reference, "Authenticating Requests: Using the Authorization Header", describes it:
 * a canonical request, the string to sign, and a signing key derived per day, region
 * and service. The signer is also the verifier of the fake S3 in tests, so both sides
 * compute one way. The secret key never leaves this file: only the signature does.
 */
import { createHash, createHmac } from 'node:crypto';

/** The hash of an empty body (SHA-256 of ''), for a signed request without payload. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The payload hash that tells S3 the body is not signed (GETs may use it as well). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** Who signs: an access key pair, with the session token of temporary credentials. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What is signed. */
export interface SignInput {
  method: string;
  url: URL;
  /** Headers to sign besides host, x-amz-date, x-amz-content-sha256 (and the token). */
  headers?: Record<string, string>;
  region: string;
  service?: string;
  /** Time of signing: `x-amz-date` and the key's day come from it. */
  now: Date;
  /** `UNSIGNED_PAYLOAD` or `EMPTY_BODY_SHA256` (default). */
  payloadHash?: string;
}

/** The signed request's headers and the parts a verifier compares. */
export interface Signed {
  headers: Record<string, string>;
  signature: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

/** `20130524T000000Z`, the form of `x-amz-date`. */
export const amzDate = (at: Date): string => at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** RFC 3986 encoding as SigV4 wants it: every byte but the unreserved `A-Za-z0-9-_.~`. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The query string sorted by name then value, each encoded. */
function canonicalQuery(url: URL): string {
  return [...url.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** The path of `url` as S3 signs it: each segment decoded then encoded once (S3 does not normalise). */
const canonicalPath = (url: URL): string => url.pathname.split('/').map((s) => uriEncode(decodeURIComponent(s))).join('/') || '/';

/** The signing key of a day: HMAC chain of date, region, service and `aws4_request`. */
function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
}

/**
 * The signature of a request whose signed headers (lower-case names) are `headers`.
 * Shared by the signer and a verifier, which recomputes it from what it received.
 */
export function signatureOf(input: { method: string; url: URL; headers: Record<string, string>; region: string; service: string; secretAccessKey: string; date: string }): string {
  const names = Object.keys(input.headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((h) => `${h}:${lower[h]!.trim().replace(/\s+/g, ' ')}\n`).join('');
  const payloadHash = lower['x-amz-content-sha256'] ?? EMPTY_BODY_SHA256;
  const canonicalRequest = [input.method.toUpperCase(), canonicalPath(input.url), canonicalQuery(input.url), canonicalHeaders, names.join(';'), payloadHash].join('\n');
  const day = input.date.slice(0, 8);
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', input.date, scope, sha256(canonicalRequest)].join('\n');
  return createHmac('sha256', signingKey(input.secretAccessKey, day, input.region, input.service)).update(stringToSign, 'utf8').digest('hex');
}

/**
 * Signs a body-less request: returns the headers to send (host is set by the client
 * from the URL, but is signed), `Authorization` included.
 * @example
 * const { headers } = signRequest({ method: 'GET', url, region: 'us-east-1', now: new Date() }, credentials);
 */
export function signRequest(input: SignInput, credentials: AwsCredentials): Signed {
  const service = input.service ?? 's3';
  const date = amzDate(input.now);
  const signedHeaders: Record<string, string> = {
    ...Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    host: input.url.host,
    'x-amz-date': date,
    'x-amz-content-sha256': input.payloadHash ?? EMPTY_BODY_SHA256,
    ...(credentials.sessionToken !== undefined && { 'x-amz-security-token': credentials.sessionToken }),
  };
  const signature = signatureOf({ method: input.method, url: input.url, headers: signedHeaders, region: input.region, service, secretAccessKey: credentials.secretAccessKey, date });
  const names = Object.keys(signedHeaders).sort().join(';');
  const scope = `${date.slice(0, 8)}/${input.region}/${service}/aws4_request`;
  const { host: _host, ...sent } = signedHeaders;
  return {
    signature,
    headers: { ...sent, authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names}, Signature=${signature}` },
  };
}

/** The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header, or undefined if it is not one. */
export function parseAuthorization(header: string | undefined): { accessKeyId: string; day: string; region: string; service: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(header ?? '');
  if (m === null) return undefined;
  return { accessKeyId: m[1]!, day: m[2]!, region: m[3]!, service: m[4]!, signedHeaders: m[5]!.split(';'), signature: m[6]! };
}
