/**
 * The rows of one CSV in constant memory, each with the line it starts on. `,`
 * separator, `"` quote, a doubled `""` inside quotes is a quote (RFC 4180), quoted values
 * may span lines; Coursera's dialect also escapes with `\` inside quotes (`backslashEscapes`),
 * FutureLearn's is plain RFC 4180, where `\` is an ordinary character. A malformed row (a
 * bad or unclosed quote) is reported at its line and reading goes on at the next line,
 * which csv-parse cannot do: after a bad quote it reads the rest of the file as one value.
 * A wrong number of cells is left to the caller, who knows how many there should be.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** A CSV file, opened when it is read. */
export interface CsvSource {
  open(): Promise<Readable>;
}

/** The dialect: whether `\` escapes the next character inside quotes (Coursera's exports). */
export interface CsvDialect {
  backslashEscapes: boolean;
}

const COURSERA_DIALECT: CsvDialect = { backslashEscapes: true };

/** A row's cells, or why the row could not be parsed (`column` is the cell's index, from 0). */
export type CsvRow = { ok: true; line: number; cells: string[] } | { ok: false; line: number | undefined; column?: number; detail: string };

// A quoted value longer than this is taken for an unclosed quote. A record is parsed
// again with each line it takes, so these bound that cost too.
const MAX_RECORD_CHARS = 1 << 20;
const MAX_RECORD_LINES = 1000;

type Parsed = { cells: string[] } | { open: true } | { column: number; detail: string };

/**
 * Parses `file` row by row; the dialect defaults to Coursera's.
 * @example for await (const row of readCsvRows(file, { backslashEscapes: false })) if (row.ok) use(row.cells);
 */
export async function* readCsvRows(file: CsvSource, dialect: CsvDialect = COURSERA_DIALECT): AsyncGenerator<CsvRow> {
  const escapes = dialect.backslashEscapes;
  // The lines of a record whose quote is still open, with the line it started on.
  let pending: string[] = [];
  let start = 0;
  let line = 0;
  // A row, when `text` ends one; rows, when a quote left open is given up on. Plain
  // functions, not generators: this runs on every line of million-row files.
  const take = (text: string, at: number): CsvRow | CsvRow[] | undefined => {
    if (pending.length === 0) {
      if (text === '') return undefined;
      start = at;
    }
    pending.push(text);
    const record = pending.length === 1 ? text : pending.join('\n');
    const parsed = parseRecord(record, escapes);
    if ('open' in parsed) return record.length <= MAX_RECORD_CHARS && pending.length <= MAX_RECORD_LINES ? undefined : resync();
    pending = [];
    return 'cells' in parsed ? { ok: true, line: start, cells: parsed.cells } : { ok: false, line: start, column: parsed.column, detail: parsed.detail };
  };
  // A quote never closed: the first line is bad, and the lines after it are read again.
  const resync = (): CsvRow[] => {
    const [, ...rest] = pending;
    const first = start;
    pending = [];
    const rows: CsvRow[] = [{ ok: false, line: first, detail: 'a quote is not closed' }];
    for (const [i, text] of rest.entries()) {
      const row = take(text, first + 1 + i);
      if (row !== undefined) rows.push(...(Array.isArray(row) ? row : [row]));
    }
    return rows;
  };
  try {
    const source = await file.open();
    const lines = createInterface({ input: source, crlfDelay: Infinity });
    for await (const text of lines) {
      line += 1;
      const row = take(line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, line);
      if (Array.isArray(row)) yield* row;
      else if (row !== undefined) yield row;
    }
    while (pending.length > 0) yield* resync();
  } catch (err) {
    yield { ok: false, line: line === 0 ? undefined : line, detail: err instanceof Error ? err.message : String(err) };
  }
}

/** The cells of one record's text; `open` while a quoted value goes on past its end. */
export function parseRecord(text: string, backslashEscapes = true): Parsed {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 0x22) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const quote = text.indexOf('"', j);
        const escape = backslashEscapes ? text.indexOf('\\', j) : -1;
        if (escape !== -1 && (quote === -1 || escape < quote)) {
          if (escape + 1 >= text.length) return { open: true };
          value += text.slice(j, escape) + text[escape + 1];
          j = escape + 2;
        } else if (quote === -1) {
          return { open: true };
        } else if (text.charCodeAt(quote + 1) === 0x22) {
          value += `${text.slice(j, quote)}"`;
          j = quote + 2;
        } else {
          value += text.slice(j, quote);
          i = quote + 1;
          break;
        }
      }
      cells.push(value);
      if (i === text.length) return { cells };
      if (text.charCodeAt(i) !== 0x2c) return { column: cells.length - 1, detail: `a closing quote is followed by "${text[i]}" instead of a separator` };
      i += 1;
      continue;
    }
    let end = text.indexOf(',', i);
    if (end === -1) end = text.length;
    const value = text.slice(i, end);
    if (value.includes('"')) return { column: cells.length, detail: 'a quote inside an unquoted value' };
    cells.push(value);
    if (end === text.length) return { cells };
    i = end + 1;
  }
}
