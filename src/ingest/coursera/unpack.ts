/**
 * Unpacking of downloaded Coursera exports: the CSVs of a tables zip, and the one CSV
 * of a clickstream `.gz`. Entries are streamed one at a time, so memory does not grow
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

/** What a tables zip gave: the CSVs written, and the entries refused as unsafe. */
export interface UnpackedTables {
  files: UnpackedFile[];
  /** Entry names with an absolute path, a drive letter or `..`: never written. */
  refused: string[];
}

/** The archive or gzip file could not be read. */
export class CourseraUnpackError extends Error {
  override readonly name = 'CourseraUnpackError';
  readonly code = 'bad_archive';
}

/** Unpacks the `*.csv` entries of `zipFile` into `toDir`, refusing entries that would land outside it (zip-slip). */
export async function unpackTablesZip(zipFile: string, toDir: string): Promise<UnpackedTables> {
  // decodeStrings off: yauzl would abort the whole archive at an unsafe name; here the
  // unsafe entry alone is refused and the tables beside it are kept.
  const zip = await yauzl.openPromise(zipFile, { decodeStrings: false, lazyEntries: true, autoClose: false }).catch((err: unknown) => {
    throw new CourseraUnpackError(`${zipFile}: not a readable zip`, { cause: err });
  });
  const result: UnpackedTables = { files: [], refused: [] };
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
      if (name.endsWith('/') || !/\.csv$/i.test(name)) continue;
      const path = join(toDir, ...name.split('/'));
      await mkdir(dirname(path), { recursive: true });
      const stream = await zip.openReadStreamPromise(entry).catch((err: unknown) => {
        throw new CourseraUnpackError(`${zipFile}!${name}: cannot be read`, { cause: err });
      });
      const bytes = await writeAtomically(stream, path, `${zipFile}!${name}`);
      result.files.push({ name, path, bytes });
    }
  } finally {
    zip.close();
  }
  return result;
}

/** Decompresses a clickstream `.gz` into `toFile`; returns the size written. */
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
    const onError = (err: Error) => (cleanup(), reject(new CourseraUnpackError(`${at}: ${err.message}`, { cause: err })));
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
    throw err instanceof CourseraUnpackError ? err : new CourseraUnpackError(`${at}: ${(err as Error).message}`, { cause: err });
  }
}
