/**
 * Unpacking of downloaded archives: the chosen entries of a zip (Coursera's tables zip,
 * edX's research data package), and the one file of a `.gz`. Entries are streamed one at a time, so memory does not grow
 * with the export, and each file is written under a `.part` name and renamed when
 * complete: a crash never leaves a half file with a name that looks done.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';

/** One file written by an unpack. */
export interface UnpackedFile {
  /** Path relative to the target folder, with `/`. */
  name: string;
  path: string;
  bytes: number;
}

/** What a zip gave: the entries written, and the entries refused as unsafe. */
export interface UnpackedZip {
  files: UnpackedFile[];
  /** Entry names with an absolute path, a drive letter or `..`: never written. */
  refused: string[];
}

/** The archive or gzip file could not be read. */
export class UnpackError extends Error {
  override readonly name = 'UnpackError';
  readonly code = 'bad_archive';
}

/**
 * Unpacks the entries of `zipFile` whose names `keep` matches into `toDir`, refusing entries that would land outside it (zip-slip).
 * @example await unpackZip('tables.zip', 'out', /\.csv$/i)
 */
export async function unpackZip(zipFile: string, toDir: string, keep: RegExp): Promise<UnpackedZip> {
  // decodeStrings off: yauzl would abort the whole archive at an unsafe name; here the
  // unsafe entry alone is refused and the tables beside it are kept.
  const zip = await yauzl.openPromise(zipFile, { decodeStrings: false, lazyEntries: true, autoClose: false }).catch((err: unknown) => {
    throw new UnpackError(`${zipFile}: not a readable zip`, { cause: err });
  });
  const result: UnpackedZip = { files: [], refused: [] };
  try {
    await mkdir(toDir, { recursive: true });
    for (;;) {
      const entry = await nextEntry(zip, zipFile);
      if (!entry) break;
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      if (yauzl.validateFileName(name) !== null || name.split('/').includes('..')) {
        result.refused.push(name);
        continue;
      }
      if (name.endsWith('/') || !keep.test(name)) continue;
      const path = join(toDir, ...name.split('/'));
      await mkdir(dirname(path), { recursive: true });
      const stream = await zip.openReadStreamPromise(entry).catch((err: unknown) => {
        throw new UnpackError(`${zipFile}!${name}: cannot be read`, { cause: err });
      });
      const bytes = await writeAtomically(stream, path, `${zipFile}!${name}`);
      result.files.push({ name, path, bytes });
    }
  } finally {
    zip.close();
  }
  return result;
}

/** Decompresses a `.gz` (a Coursera clickstream) into `toFile`; returns the size written. */
export async function gunzipFile(gzFile: string, toFile: string): Promise<number> {
  await mkdir(dirname(toFile), { recursive: true });
  return writeAtomically(createReadStream(gzFile), toFile, gzFile, createGunzip());
}

function nextEntry(zip: yauzl.ZipFile, at: string): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => (cleanup(), resolve(entry));
    const onEnd = () => (cleanup(), resolve(undefined));
    const onError = (err: Error) => (cleanup(), reject(new UnpackError(`${at}: ${err.message}`, { cause: err })));
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

async function writeAtomically(source: Readable, path: string, at: string, transform: Transform = new PassThrough()): Promise<number> {
  const part = `${path}.part`;
  let bytes = 0;
  const out = createWriteStream(part);
  try {
    const counted = async function* (input: AsyncIterable<Buffer>) {
      for await (const chunk of input) {
        bytes += chunk.length;
        yield chunk;
      }
    };
    await pipeline(source, transform, counted, out);
    await rename(part, path);
    return bytes;
  } catch (err) {
    await rm(part, { force: true });
    throw err instanceof UnpackError ? err : new UnpackError(`${at}: ${(err as Error).message}`, { cause: err });
  }
}
