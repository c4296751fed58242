/**
 * The dataset CSVs of FutureLearn course runs, as the admin pages' downloads are laid out
 * (reference/platforms.md, FutureLearn): a run folder `<course>/<run> - <start> - <end>/`
 * or a data root `<root>/<institution>/<course>/<run> - .../` read recursively. The course
 * slug and run number come from the folder names; a file named as FutureLearn names
 * downloads, `<course>-<run>_<dataset>.csv`, also says them, which serves files kept
 * outside the layout. Files are opened as streams only when read.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { CodedError } from '../../errors.js';
import type { RunKey } from './records.js';
import { RUN_METADATA_FILE } from './run-metadata.js';

/** One dataset CSV of one run, opened on demand. */
export interface DatasetFile {
  /** The dataset, from the file name (`step-activity`). */
  dataset: string;
  /** The run, from the folders or the file name; undefined when neither says it. */
  run: RunKey | undefined;
  /** The run's first and last day (YYYY-MM-DD) as its folder names them; undefined outside a run folder. */
  dates?: RunDates;
  /** The path, for `at`. */
  at: string;
  open(): Promise<Readable>;
}

/** A run's days as its folder names them; `end` null on a live run's folder. */
export interface RunDates {
  start: string;
  end: string | null;
}

/** An `invalid` input: thrown when a FutureLearn input path cannot be read at all. */
export class FutureLearnInputError extends CodedError {
  override readonly name = 'FutureLearnInputError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('invalid', message, options);
  }
}

// `<run> - <start> - <end>`: the run number, then dates (the end may be missing on live runs).
const RUN_FOLDER = /^(\d+) - /;
const FOLDER_DATES = /^\d+ - (\d{4}-\d{2}-\d{2})(?: - (\d{4}-\d{2}-\d{2}))?/;
// `<course>-<run>_<dataset>.csv`: slugs and dataset names use `-`, never `_`.
const PREFIXED = /^(.+)-(\d+)_([a-z0-9-]+)$/i;

/**
 * The dataset and run a CSV path names: the run from a `<run> - <start> - <end>` parent
 * folder (the course is the folder above it), else from a `<course>-<run>_` file name prefix.
 * @example datasetOfFile('data/uni/climate-change/3 - 2026-01-05 - 2026-02-02/comments.csv') // { dataset: 'comments', run: { course: 'climate-change', run: '3' } }
 */
export function datasetOfFile(path: string): { dataset: string; run: RunKey | undefined; dates?: RunDates } | undefined {
  const name = basename(path);
  if (!/\.csv$/i.test(name)) return undefined;
  const stem = name.replace(/\.csv$/i, '');
  const prefixed = PREFIXED.exec(stem);
  const dataset = (prefixed?.[3] ?? stem).toLowerCase();
  const folder = basename(dirname(resolve(path)));
  const course = basename(dirname(dirname(resolve(path))));
  const fromFolder = RUN_FOLDER.exec(folder);
  const dates = FOLDER_DATES.exec(folder);
  if (fromFolder !== null && course !== '') return { dataset, run: { course, run: fromFolder[1]! }, ...(dates !== null && { dates: { start: dates[1]!, end: dates[2] ?? null } }) };
  if (prefixed !== null) return { dataset, run: { course: prefixed[1]!, run: prefixed[2]! } };
  return { dataset, run: undefined };
}

/**
 * The dataset CSVs under `path` (a run folder, a data root, or one CSV), in path order.
 * Throws `FutureLearnInputError` when the path does not exist or holds no CSV.
 * @example for (const file of await listDatasetFiles('data/futurelearn')) ...
 */
export async function listDatasetFiles(path: string): Promise<DatasetFile[]> {
  const found: DatasetFile[] = [];
  try {
    await collect(path, found, true);
  } catch (err) {
    if (err instanceof FutureLearnInputError) throw err;
    throw new FutureLearnInputError(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (found.length === 0) throw new FutureLearnInputError(`no dataset CSV in ${path}`);
  return found.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

async function collect(path: string, found: DatasetFile[], top: boolean): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new FutureLearnInputError(`no such file or folder: ${path}`);
  if (info.isDirectory()) {
    // Hidden entries are work in progress: a fetch downloads into hidden folders first.
    const entries = (await readdir(path, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
    for (const entry of entries) {
      // A run folder's metadata.csv describes the run: it is no dataset.
      if (entry.name === RUN_METADATA_FILE) continue;
      if (entry.isDirectory() || /\.csv$/i.test(entry.name)) await collect(join(path, entry.name), found, false);
    }
    return;
  }
  const named = datasetOfFile(path);
  if (named === undefined) {
    if (top) throw new FutureLearnInputError(`${path} is not a FutureLearn dataset: not a .csv file (expected run folders, data roots or dataset CSVs)`);
    return;
  }
  found.push({ ...named, at: path, open: async () => createReadStream(path) });
}
