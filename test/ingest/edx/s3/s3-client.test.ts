import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client, S3Error, type S3ClientOptions } from '../../../../src/ingest/edx/s3/s3-client.js';
import type { NetClock } from '../../../../src/net/request.js';
import { startFakeS3, type FakeS3 } from '../../../fakes/s3.js';

const KEYS = { accessKeyId: 'AKIAFAKEEDXSYNC00001', secretAccessKey: 'fake/secret+access/key0123456789abcdefgh' };
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
const clockAt = (ms: number): NetClock => ({ now: () => ms, sleep: async () => undefined, random: () => 0 });

describe('the S3 client against a fake S3 that checks SigV4', () => {
  let s3: FakeS3;
  let dir: string;
  const client = (over: Partial<S3ClientOptions> = {}) => new S3Client({ endpoint: s3.url, region: 'us-east-1', credentials: KEYS, clock: clockAt(NOW), ...over });

  beforeAll(async () => {
    s3 = await startFakeS3({ ...KEYS, region: 'us-east-1', now: () => NOW });
    for (const day of ['01', '02', '03', '04', '05']) s3.put('course-data', `orgx-2026-11-${day}.zip`, `package of day ${day}`);
    s3.put('course-data', 'other-2026-11-01.zip', 'another org');
    s3.put('edx-course-data', 'orgx/edx/events/2026/orgx-edx-events-2026-11-01 (1).log.gz.gpg', 'odd name');
    dir = await mkdtemp(join(tmpdir(), 'xgw-s3-client-'));
  });
  afterAll(async () => {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists every object under a prefix, page by page with continuation tokens', async () => {
    const before = s3.counts.list;
    const keys: string[] = [];
    for await (const o of client().list('course-data', 'orgx-', 2)) keys.push(o.key);
    expect(keys).toEqual(['01', '02', '03', '04', '05'].map((d) => `orgx-2026-11-${d}.zip`));
    expect(s3.counts.list - before).toBe(3);
  });

  it('downloads an object whose MD5 is its ETag, keys with spaces and brackets included', async () => {
    const [object] = await all(client().list('edx-course-data', 'orgx/'));
    const to = join(dir, 'odd.gpg');
    const got = await client().download('edx-course-data', object!, to);
    expect(got.bytes).toBe(8);
    expect(await readFile(to, 'utf8')).toBe('odd name');
  });

  it('refuses a body that does not match its ETag, and leaves no file', async () => {
    s3.put('course-data', 'orgx-2026-12-01.zip', 'the real package');
    s3.buckets.get('course-data')!.get('orgx-2026-12-01.zip')!.corruptBody = Buffer.from('the real packagX');
    const object = { key: 'orgx-2026-12-01.zip', etag: (await all(client().list('course-data', 'orgx-2026-12')))[0]!.etag, size: 16 };
    const error = await client().download('course-data', object, join(dir, 'corrupt.zip')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3Error);
    expect(error).toMatchObject({ code: 'invalid', s3Code: 'ChecksumMismatch' });
    expect(await readdir(dir)).not.toContain('corrupt.zip');
    expect((await readdir(dir)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('checks an object uploaded in parts by its size only, its ETag not being an MD5', async () => {
    s3.put('course-data', 'orgx-2026-12-02.zip', 'a package uploaded in parts');
    s3.buckets.get('course-data')!.get('orgx-2026-12-02.zip')!.etag = '9b2cf535f27731c974343645a3985328-2';
    const [object] = await all(client().list('course-data', 'orgx-2026-12-02'));
    expect(object!.etag).toBe('9b2cf535f27731c974343645a3985328-2');
    expect(await client().download('course-data', object!, join(dir, 'parts.zip'))).toMatchObject({ bytes: 27 });
  });

  it('refuses a size other than the listed one', async () => {
    const error = await client().download('course-data', { key: 'orgx-2026-11-01.zip', etag: 'x-2', size: 99 }, join(dir, 'short.zip')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid', s3Code: 'SizeMismatch' });
  });

  it('is refused with SignatureDoesNotMatch when signed with a wrong secret, and the secret is in no message', async () => {
    const before = s3.counts.refused;
    const error = await all(client({ credentials: { ...KEYS, secretAccessKey: 'wrong-secret-key' } }).list('course-data', '')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'forbidden', s3Code: 'SignatureDoesNotMatch' });
    expect((error as Error).message).toBe(`S3 refused the request (SignatureDoesNotMatch) at ${s3.url}/course-data/`);
    expect((error as Error).message).not.toContain('wrong-secret-key');
    expect(s3.counts.refused - before).toBe(1);
  });

  it('is refused with InvalidAccessKeyId for a key the server does not know', async () => {
    const error = await all(client({ credentials: { ...KEYS, accessKeyId: 'AKIAUNKNOWN000000000' } }).list('course-data', '')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'forbidden', s3Code: 'InvalidAccessKeyId' });
  });

  it('is refused with RequestTimeTooSkewed beyond 15 minutes of the server clock, not within', async () => {
    const late = await all(client({ clock: clockAt(NOW + 16 * 60_000) }).list('course-data', 'orgx-')).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'forbidden', s3Code: 'RequestTimeTooSkewed' });
    expect(await all(client({ clock: clockAt(NOW - 14 * 60_000) }).list('course-data', 'other-'))).toHaveLength(1);
  });

  it('addresses AWS virtual-hosted by default, and another endpoint path-style', () => {
    const aws = new S3Client({ region: 'eu-west-1', credentials: KEYS });
    expect(aws.urlOf('edx-course-data', 'orgx/edx/events/2026/a b.log.gz.gpg').href).toBe('https://edx-course-data.s3.eu-west-1.amazonaws.com/orgx/edx/events/2026/a%20b.log.gz.gpg');
    expect(client().urlOf('course-data', '', { 'list-type': '2' }).href).toBe(`${s3.url}/course-data/?list-type=2`);
  });

  it('says not-found for a missing key and a missing bucket', async () => {
    await expect(client().download('course-data', { key: 'nope.zip', etag: 'e', size: 1 }, join(dir, 'nope'))).rejects.toMatchObject({ code: 'not-found', s3Code: 'NoSuchKey' });
    await expect(all(client().list('no-bucket', ''))).rejects.toMatchObject({ code: 'not-found', s3Code: 'NoSuchBucket' });
  });
});
