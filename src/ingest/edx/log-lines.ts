/**
 * The lines of tracking log files, streamed in constant memory: plain or gzip (told by
 * its magic bytes, not its name), folders read recursively in path order. Damage is
 * data: a truncated gzip file keeps the lines before the damage and yields one
 * rejection naming the line reached; an oversized line is skipped as one rejection;
 * the next file is read either way.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Rejection } from '../../xapi/run-summary.js';

/** One line of a tracking log, or why it could not be read; `at` is `file:line`. */
export type LogLine = { ok: true; at: string; line: string } | { ok: false; at: string; rejection: Rejection };

/** How to read. */
export interface LogLineOptions {
  /** Longer lines are rejected without being held; default 1 MiB. */
  maxLineLength?: number;
  /** Only files whose name carries a day (YYYY-MM-DD or YYYYMMDD) in [from, to] are read; files without one always are. */
  from?: string;
  to?: string;
}

const DEFAULT_MAX_LINE = 1 << 20;
// In folders, only log names: a research package also holds `.tar.gz` and `.sql` files.
const LOG_NAME = /\.(log|json|ndjson)(\.\d+)?(\.gz)?$|\.log-\d{8}(\.gz)?$/;
const NAME_DAY = /(\d{4})-?(\d\d)-?(\d\d)/;

/** The day in a file name, as YYYY-MM-DD. */
function nameDay(name: string): string | undefined {
  const m = NAME_DAY.exec(name);
  return m === null ? undefined : `${m[1]}-${m[2]}-${m[3]}`;
}

function inRange(name: string, opts: Pick<LogLineOptions, 'from' | 'to'>): boolean {
  const day = nameDay(name);
  if (day === undefined) return true;
  return (opts.from === undefined || day >= opts.from) && (opts.to === undefined || day <= opts.to);
}

/**
 * Every log file under `paths`: files as given, folders recursively (`.log`, `.json`,
 * `.ndjson`, gzipped or rotated: `.log.gz`, `tracking.log.1`, `tracking.log-20260301.gz`),
 * sorted by path.
 * Throws when a path does not exist: that is "cannot run".
 */
export async function listLogFiles(paths: string[], opts: Pick<LogLineOptions, 'from' | 'to'> = {}): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && LOG_NAME.test(entry.name) && inRange(entry.name, opts)) files.push(path);
    }
  };
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) throw new Error(`${path}: no such file or folder`);
    if (info.isDirectory()) await walk(path);
    else files.push(path);
  }
  return files.sort();
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * The lines of every log file under `paths`; blank lines are skipped but counted.
 * @example for await (const l of readLogLines(['events/'])) if (l.ok) JSON.parse(l.line);
 */
export async function* readLogLines(paths: string[], opts: LogLineOptions = {}): AsyncGenerator<LogLine> {
  for (const file of await listLogFiles(paths, opts)) yield* readFile(file, opts.maxLineLength ?? DEFAULT_MAX_LINE);
}

async function* readFile(file: string, maxLine: number): AsyncGenerator<LogLine> {
  let lineNo = 0;
  let gzip: boolean;
  try {
    gzip = await isGzip(file);
  } catch (err) {
    yield { ok: false, at: `${file}:0`, rejection: { code: 'unreadable', detail: `cannot open: ${(err as NodeJS.ErrnoException).code ?? 'error'}` } };
    return;
  }
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  if (gzip) raw.on('error', (err) => stream.destroy(err));
  const decoder = new StringDecoder('utf8');
  let pending = '';
  // Inside an oversized line: its rest is skipped up to the next newline.
  let skipping = false;
  const emit = function* (text: string): Generator<LogLine> {
    lineNo += 1;
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim() !== '') yield { ok: true, at: `${file}:${lineNo}`, line };
  };
  const oversized = (): LogLine => ({
    ok: false,
    at: `${file}:${lineNo}`,
    rejection: { code: 'unreadable', detail: `line longer than ${maxLine} characters` },
  });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = decoder.write(chunk);
      let start = 0;
      let nl = text.indexOf('\n');
      while (nl !== -1) {
        if (skipping) skipping = false;
        else if (pending.length + (nl - start) > maxLine) {
          lineNo += 1;
          yield oversized();
        } else {
          const line = pending === '' ? text.slice(start, nl) : pending + text.slice(start, nl);
          yield* emit(line);
        }
        pending = '';
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      if (!skipping) {
        pending += text.slice(start);
        if (pending.length > maxLine) {
          lineNo += 1;
          yield oversized();
          pending = '';
          skipping = true;
        }
      }
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // The partial line at the damage is part of the damage.
    yield {
      ok: false,
      at: `${file}:${lineNo + 1}`,
      rejection: { code: 'unreadable', detail: gzip ? `truncated or corrupt gzip file after line ${lineNo}: ${reason}` : `read failed after line ${lineNo}: ${reason}` },
    };
    return;
  }
  const rest = pending + decoder.end();
  if (!skipping && rest !== '') yield* emit(rest);
}
