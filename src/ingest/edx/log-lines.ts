/**
 * The lines of tracking log files, streamed in constant memory: plain or gzip (told by
 * its magic bytes or its name), folders read recursively in path order. Damage is data:
 * a truncated or corrupt gzip file keeps every line before the damage and yields one
 * rejection naming the line reached; an oversized line is skipped as one rejection; a
 * file that cannot be opened is one rejection; the next file is read either way.
 */
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createGunzip, type Gunzip } from 'node:zlib';
import { CodedError } from '../../errors.js';
import type { Rejection } from '../../xapi/run-summary.js';

/** One line of a tracking log, or why it could not be read; `at` is `file:line`. */
export type LogLine = { ok: true; at: string; line: string } | { ok: false; at: string; rejection: Rejection };

/** How to choose and read the files. */
export interface LogLineOptions {
  /** Lines longer than this many UTF-8 bytes are rejected without being held; default 1 MiB. */
  maxLineLength?: number;
  /** Only files whose name carries a day (YYYY-MM-DD or YYYYMMDD) in [from, to] are read; files without one always are. */
  from?: string;
  to?: string;
  /** Called when a file starts (`index` from 0 of `count`, `bytes` its size on disk), for progress display. */
  onFile?: (file: { path: string; index: number; count: number; bytes: number }) => void;
  /** Called with the bytes of the current file read so far (compressed for gzip), once per 64 KiB read. */
  onBytes?: (bytes: number) => void;
}

/** Thrown when a path given cannot be listed: the run cannot start (an `invalid` input; `errno` says why). */
export class LogPathError extends CodedError {
  override readonly name = 'LogPathError';
  constructor(
    readonly path: string,
    readonly errno: string,
    cause: unknown,
  ) {
    super('invalid', `${path}: ${errno === 'ENOENT' ? 'no such file or folder' : 'cannot be read'} (${errno})`, { cause });
  }
}

const DEFAULT_MAX_LINE = 1 << 20;
// Measured on 500-byte lines: 64 KiB reads are within 10% of 1 MiB ones, and progress stays fine-grained.
const CHUNK = 1 << 16;
// zlib's output buffer. zlib fills one per trip to the thread pool, and the next trip
// starts only when cutting lines lets the main thread go: 64 KiB buffers gave 390k
// lines/s, 1 MiB ones 680k.
const INFLATED = 1 << 20;
const NEWLINE = 0x0a;
const CR = 0x0d;
const LOG_NAME = /\.(log|gz|json|ndjson)$|\.log[.-]\d+$/;
// A research package keeps its course structure as `.xml.tar.gz` beside the logs: not lines.
const ARCHIVE = /\.tar\.gz$/;
// Both separators or neither, so that `2026-0301` or a run of digits in a hash is no day.
const NAME_DAY = /(?<!\d)((?:19|20)\d\d)(-?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)/;

/** The day in a file's name, as YYYY-MM-DD. */
function nameDay(path: string): string | undefined {
  const m = NAME_DAY.exec(basename(path));
  return m === null ? undefined : `${m[1]}-${m[3]}-${m[4]}`;
}

function inRange(path: string, opts: Pick<LogLineOptions, 'from' | 'to'>): boolean {
  const day = nameDay(path);
  if (day === undefined) return true;
  return (opts.from === undefined || day >= opts.from) && (opts.to === undefined || day <= opts.to);
}

const errorCode = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? 'EIO';

/**
 * Every log file under `paths`: files as given, whatever their name; folders recursively,
 * keeping log names (`.log`, `.gz`, `.json`, `.ndjson`, `tracking.log.1`,
 * `tracking.log-20260301`); then the day filter; sorted by path so runs are repeatable.
 * Throws `LogPathError` when a path does not exist: that is "cannot run".
 * @example await listLogFiles(['events/'], { from: '2026-03-01', to: '2026-03-31' });
 */
export async function listLogFiles(paths: string[], opts: Pick<LogLineOptions, 'from' | 'to'> = {}): Promise<string[]> {
  const files = new Set<string>();
  const walk = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
      throw new LogPathError(dir, errorCode(err), err);
    });
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && LOG_NAME.test(entry.name) && !ARCHIVE.test(entry.name)) files.add(path);
    }
  };
  for (const path of paths) {
    const info = await stat(path).catch((err: unknown) => {
      throw new LogPathError(path, errorCode(err), err);
    });
    if (info.isDirectory()) await walk(path);
    else files.add(path);
  }
  return [...files].filter((f) => inRange(f, opts)).sort();
}

/**
 * The lines of every log file under `paths`, in constant memory; blank lines are skipped
 * but counted.
 * @example for await (const l of readLogLines(['events/'])) if (l.ok) JSON.parse(l.line);
 */
export async function* readLogLines(paths: string[], opts: LogLineOptions = {}): AsyncGenerator<LogLine> {
  const files = await listLogFiles(paths, opts);
  const maxLine = opts.maxLineLength ?? DEFAULT_MAX_LINE;
  for (const [index, path] of files.entries()) {
    const bytes = (await stat(path).catch(() => undefined))?.size ?? 0;
    opts.onFile?.({ path, index, count: files.length, bytes });
    let opened: { handle: FileHandle; gzip: boolean };
    try {
      opened = await openLog(path);
    } catch (err) {
      yield { ok: false, at: `${path}:0`, rejection: { code: 'unreadable', detail: `cannot open the file (${errorCode(err)})` } };
      continue;
    }
    const { handle, gzip } = opened;
    const split = new LineSplitter(path, maxLine);
    const source = gzip ? gunzip(chunks(handle, opts.onBytes)) : chunks(handle, opts.onBytes);
    try {
      // Lines are yielded here and by no nested async generator: each level of those
      // costs a few promise turns per line, which halved the speed when measured.
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await source.next();
        } catch (err) {
          yield split.damage(err, gzip);
          break;
        }
        if (next.done === true) {
          const last = split.end();
          if (last !== undefined) yield last;
          break;
        }
        for (const line of split.lines(next.value)) yield line;
      }
    } finally {
      // Also when the consumer stops early: zlib and the file are let go.
      await source.return(undefined);
      await handle.close();
    }
  }
}

/** Opens a log file and tells whether it is gzip. */
async function openLog(path: string): Promise<{ handle: FileHandle; gzip: boolean }> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    // A `.gz` name without the magic bytes is a damaged header, not plain text.
    return { handle, gzip: (bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) || path.endsWith('.gz') };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** The bytes of an open file, read from its start. */
async function* chunks(handle: FileHandle, onBytes: ((bytes: number) => void) | undefined): AsyncGenerator<Buffer> {
  let total = 0;
  let next = handle.read(Buffer.allocUnsafe(CHUNK), 0, CHUNK, 0);
  try {
    for (;;) {
      const { buffer, bytesRead } = await next;
      if (bytesRead === 0) return;
      total += bytesRead;
      // The next read runs while the lines of this chunk are cut: a fifth of the time was waiting for reads.
      next = handle.read(Buffer.allocUnsafe(CHUNK), 0, CHUNK, total);
      onBytes?.(total);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    // Settles the read ahead (the handle closes after it) when the reader stops early.
    await next.catch(() => undefined);
  }
}

/**
 * The gunzipped bytes of `raw`. Not `raw.pipe(createGunzip())`: a stream destroyed by
 * its error drops the output it still buffers, up to 16 KiB of good lines before the
 * damage. Here zlib's output is taken as it comes, and a compressed chunk is fed only
 * once the last one is inflated, so every byte zlib produced is yielded before its error
 * is thrown, and memory holds the output of two chunks at most.
 */
async function* gunzip(raw: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const zlib = createGunzip({ chunkSize: INFLATED });
  const out: Buffer[] = [];
  let failure: Error | undefined;
  zlib.on('data', (b: Buffer) => out.push(b));
  zlib.on('error', (err) => (failure ??= err));
  let inflating: Promise<void> | undefined;
  try {
    for await (const chunk of raw) {
      await inflating;
      if (failure !== undefined) break;
      // zlib inflates this chunk on the thread pool while the lines of the last one are cut.
      inflating = fed(zlib, chunk);
      for (const b of out.splice(0)) yield b;
    }
    await inflating;
    if (failure === undefined) await fed(zlib);
    for (const b of out.splice(0)) yield b;
    if (failure !== undefined) throw failure;
  } finally {
    zlib.destroy();
  }
}

/** Resolves once zlib has taken `chunk` in (or ended, without one), or has failed. */
function fed(zlib: Gunzip, chunk?: Buffer): Promise<void> {
  return new Promise((resolve) => {
    // An error destroys the stream without calling back the write in flight; 'close' still comes.
    const done = () => {
      zlib.off('close', done);
      resolve();
    };
    zlib.on('close', done);
    if (chunk === undefined) zlib.end();
    else zlib.write(chunk, done);
  });
}

/**
 * Cuts the bytes of one file into lines. The cut is at the newline byte and each line is
 * decoded whole: in UTF-8 that byte never occurs inside a multibyte character, so a
 * character split across chunks is joined before it is decoded; and ASCII lines stay
 * one-byte strings, where decoding whole chunks makes every line of a chunk two-byte
 * as soon as one character in it is not ASCII (measured: three times slower to cut).
 */
class LineSplitter {
  private lineNo = 0;
  // The start of a line that runs past the chunk it began in.
  private head: Buffer[] = [];
  private headBytes = 0;
  // The bytes seen of an oversized line, which is skipped up to its newline; -1 outside one.
  private skipped = -1;

  constructor(
    private readonly file: string,
    private readonly maxLine: number,
  ) {}

  /** The lines ended in `chunk`; the rest is kept for the next one. */
  *lines(chunk: Buffer): Generator<LogLine> {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      this.lineNo += 1;
      const size = (this.skipped >= 0 ? this.skipped : this.headBytes) + nl - start;
      const line =
        this.skipped >= 0 || size > this.maxLine
          ? this.oversized(size)
          : this.headBytes === 0
            ? this.text(chunk, start, nl)
            : this.text(Buffer.concat([...this.head, chunk.subarray(start, nl)], size), 0, size);
      if (line !== undefined) yield line;
      this.head = [];
      this.headBytes = 0;
      this.skipped = -1;
      start = nl + 1;
    }
    const rest = chunk.length - start;
    if (rest === 0) return;
    if (this.skipped >= 0) this.skipped += rest;
    else if (this.headBytes + rest > this.maxLine) {
      this.skipped = this.headBytes + rest;
      this.head = [];
      this.headBytes = 0;
    } else {
      // A copy, so that a short tail does not hold its whole chunk.
      this.head.push(Buffer.from(chunk.subarray(start)));
      this.headBytes += rest;
    }
  }

  /** The last line, when the file does not end with a newline: a line all the same. */
  end(): LogLine | undefined {
    if (this.skipped < 0 && this.headBytes === 0) return undefined;
    this.lineNo += 1;
    return this.skipped >= 0 ? this.oversized(this.skipped) : this.text(Buffer.concat(this.head, this.headBytes), 0, this.headBytes);
  }

  /** The rejection for damage met after the last whole line; the partial line is part of it. */
  damage(err: unknown, gzip: boolean): LogLine {
    const reason = err instanceof Error ? err.message : String(err);
    // Z_BUF_ERROR is zlib's "unexpected end of file"; any other zlib error is bad data.
    const what = gzip ? `${errorCode(err) === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt'} gzip file` : 'read failed';
    return { ok: false, at: `${this.file}:${this.lineNo + 1}`, rejection: { code: 'unreadable', detail: `${what} after line ${this.lineNo}: ${reason}` } };
  }

  private text(bytes: Buffer, start: number, end: number): LogLine | undefined {
    const line = bytes.toString('utf8', start, end > start && bytes[end - 1] === CR ? end - 1 : end);
    return line.trim() === '' ? undefined : { ok: true, at: `${this.file}:${this.lineNo}`, line };
  }

  private oversized(size: number): LogLine {
    const detail = `line of ${size} bytes is longer than the limit of ${this.maxLine} bytes`;
    return { ok: false, at: `${this.file}:${this.lineNo}`, rejection: { code: 'unreadable', detail } };
  }
}
