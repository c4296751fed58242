/**
 * The files of a Coursera export: a folder (the CSVs directly, or in `tables/` and
 * `clickstream/` subfolders, read recursively), a `.zip` of CSVs as the export API
 * serves it, or single files. Each file is opened as a stream when it is read, zip
 * entries through yauzl one at a time, so memory does not grow with the export.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { CodedError } from '../../errors.js';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';

/** One CSV of an export, opened on demand (decompressed when `.gz`). */
export interface ExportFile {
  /** The table name (`course_progress`), or `clickstream`. */
  table: string;
  /** Where it is, for `at`: a path, or `archive.zip!entry.csv`. */
  at: string;
  open(): Promise<Readable>;
}

/** The CSVs of an export, by kind; `close()` releases open archives. */
export interface ExportFiles {
  tables: ExportFile[];
  /** Clickstream files in name order, that is by day. */
  clickstream: ExportFile[];
  close(): void;
}

/** An `invalid` input: thrown when an export path cannot be read at all. */
export class CourseraInputError extends CodedError {
  override readonly name = 'CourseraInputError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('invalid', message, options);
  }
}

// Coursera names clickstream files by day (`access-2026-09-14.csv`, sometimes after a prefix).
const CLICKSTREAM = /(^|[^a-z])access-\d{4}-\d\d-\d\d[^/]*\.csv(\.gz)?$/i;
const CSV = /\.csv(\.gz)?$/i;

/**
 * The table a CSV file name stands for, or `clickstream` (by its name, or for any CSV in
 * a `clickstream/` folder); undefined for files that are not CSV.
 */
export function tableOfFile(name: string, inClickstreamFolder = false): string | undefined {
  const base = basename(name);
  if (!CSV.test(base)) return undefined;
  return inClickstreamFolder || CLICKSTREAM.test(base) ? 'clickstream' : base.replace(CSV, '');
}

/**
 * Lists the CSVs of an export folder, zip or file.
 * @example const files = await listExportFiles('exports/course-1/2026-09-14'); try { ... } finally { files.close(); }
 */
export async function listExportFiles(path: string): Promise<ExportFiles> {
  const found: ExportFile[] = [];
  const archives: yauzl.ZipFile[] = [];
  try {
    await collect(path, found, archives);
  } catch (err) {
    for (const zip of archives) zip.close();
    if (err instanceof CourseraInputError) throw err;
    throw new CourseraInputError(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const byAt = (a: ExportFile, b: ExportFile) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
  return {
    tables: found.filter((f) => f.table !== 'clickstream').sort(byAt),
    clickstream: found.filter((f) => f.table === 'clickstream').sort((a, b) => (basename(a.at) < basename(b.at) ? -1 : basename(a.at) > basename(b.at) ? 1 : byAt(a, b))),
    close: () => archives.forEach((zip) => zip.close()),
  };
}

async function collect(path: string, found: ExportFile[], archives: yauzl.ZipFile[], inClickstreamFolder = false): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new CourseraInputError(`no such file or folder: ${path}`);
  if (info.isDirectory()) {
    const clickstream = inClickstreamFolder || basename(path) === 'clickstream';
    // Hidden entries are work in progress: the scheduled fetch downloads into `.download-*`.
    const entries = (await readdir(path, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.isDirectory() || /\.zip$/i.test(entry.name) || tableOfFile(entry.name) !== undefined) await collect(join(path, entry.name), found, archives, clickstream);
    }
    return;
  }
  if (/\.zip$/i.test(path)) {
    const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
    archives.push(zip);
    for await (const entry of zip.eachEntry()) {
      const table = entry.fileName.endsWith('/') ? undefined : tableOfFile(entry.fileName);
      if (table === undefined) continue;
      found.push({ table, at: `${path}!${entry.fileName}`, open: async () => gunzipIf(entry.fileName, await zip.openReadStreamPromise(entry)) });
    }
    return;
  }
  const table = tableOfFile(path, inClickstreamFolder);
  if (table === undefined) throw new CourseraInputError(`${path} is not a Coursera export: not a CSV, .csv.gz or .zip (expected export folders, .zip files or CSV tables)`);
  found.push({ table, at: path, open: async () => gunzipIf(path, createReadStream(path)) });
}

function gunzipIf(name: string, stream: Readable): Readable {
  if (!/\.gz$/i.test(name)) return stream;
  const gunzip = createGunzip();
  // A read error of the source must end the reader too, not leave it waiting.
  stream.on('error', (err) => gunzip.destroy(err));
  return stream.pipe(gunzip);
}
