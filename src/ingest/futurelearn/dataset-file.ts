/**
 * Downloads one dataset CSV to its file, only when it changed: a conditional GET
 * (`If-None-Match` with the ETag of the copy on disk) first, and a sha256 of the body
 * against the file's as the fallback for a site that sends no ETag or a new one for the
 * same bytes. The body streams to a temporary name in the same folder and is renamed
 * over the file when complete, so a reader never sees half a file and a failure leaves
 * the previous copy as it was.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fetchFault } from '../../net/net-error.js';
import { FutureLearnHttpError, type FutureLearnSession } from './session.js';
import { FutureLearnSignInError, SIGN_IN_PATH } from './sign-in.js';

/** What was last downloaded to a file: its ETag, and the hash that proves the file is still that copy. */
export interface KnownVersion {
  etag: string;
  sha256: string;
}

/** The outcome of one dataset download. */
export interface DatasetDownload {
  outcome: 'downloaded' | 'unchanged';
  /** The sha256 of the file now on disk. */
  sha256: string;
  /** The ETag the site gave this version, if any. */
  etag?: string;
}

/**
 * Brings `file` up to date with the dataset at `path`.
 * @example await downloadDataset(session, '/admin/courses/intro/1/stats-dashboard/data/comments', 'out/comments.csv', known)
 */
export async function downloadDataset(
  session: FutureLearnSession, path: string, file: string, known?: KnownVersion, timeoutMs?: number,
): Promise<DatasetDownload> {
  const onDisk = await sha256OfFile(file);
  // The ETag only stands for the file while the file is the copy it was given for.
  const conditional = known && onDisk === known.sha256 ? known : undefined;
  const res = await session.request(path, {
    headers: { accept: 'text/csv', ...(conditional ? { 'if-none-match': conditional.etag } : {}) },
    ...(timeoutMs ? { timeoutMs } : {}),
  });
  if (res.status === 304 && conditional) {
    await res.response.body?.cancel();
    return { outcome: 'unchanged', sha256: conditional.sha256, etag: conditional.etag };
  }
  if (res.status !== 200 || !res.response.body) {
    await res.response.body?.cancel();
    throw new FutureLearnHttpError(res.path, `answered ${res.status}`, res.status);
  }
  if (res.path === session.resolve(SIGN_IN_PATH).pathname) {
    await res.response.body.cancel();
    throw new FutureLearnSignInError(path, 'redirected to the sign-in page: the session was lost');
  }
  if (/text\/html/i.test(res.headers.get('content-type') ?? '')) {
    // An HTML page saved as a CSV would be imported as rows of garbage.
    await res.response.body.cancel();
    throw new FutureLearnHttpError(res.path, 'answered an HTML page, not a CSV file');
  }
  const etag = res.headers.get('etag') ?? undefined;
  const part = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.part`);
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(res.response.body as WebReadableStream), hashing, createWriteStream(part)).catch((err: unknown) => {
      throw new FutureLearnHttpError(res.path, `download interrupted (${fetchFault(err).reason})`, undefined, { cause: err });
    });
    const sha256 = hash.digest('hex');
    if (sha256 === onDisk) return { outcome: 'unchanged', sha256, ...(etag ? { etag } : {}) };
    await rename(part, file);
    return { outcome: 'downloaded', sha256, ...(etag ? { etag } : {}) };
  } finally {
    await rm(part, { force: true });
  }
}

/** The sha256 of a file, streamed; undefined when there is no such file. */
export async function sha256OfFile(file: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(file), hash);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return hash.digest('hex');
}
