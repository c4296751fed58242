/**
 * The statement cap of POST /statements (LRS_MAX_STATEMENTS), checked on the raw JSON
 * body before it is parsed: 10 MB of small invalid statements is 500,000 objects, and
 * parsing them alone stalls the event loop for a second. The JSON parser refuses what is
 * not JSON afterwards; the route checks the parsed count again (multipart bodies too).
 */
import { CodedError } from '../../errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CLOSE_ARRAY = 0x5d;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([CLOSE_ARRAY, 0x7d]); // ] }
const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Whether a JSON array body holds more than `max` items (any other JSON value is one),
 * reading no further than the item past `max`. Works on UTF-8 bytes: structural
 * characters are ASCII, and no byte of a multi-byte character is.
 * @example holdsMoreItems(Buffer.from('[{},{"a":[1,2]}]'), 1) // true
 */
export function holdsMoreItems(body: Uint8Array, max: number): boolean {
  let start = 0;
  while (start < body.length && SPACE.has(body[start]!)) start++;
  if (body[start] !== 0x5b) return max < 1;
  let depth = 0;
  let items = 0;
  // After the opening bracket or a comma of the top array: the next value starts an item.
  let expecting = false;
  for (let i = start; i < body.length; i++) {
    const c = body[i]!;
    if (expecting && depth === 1 && !SPACE.has(c) && c !== CLOSE_ARRAY) {
      expecting = false;
      if (++items > max) return true;
    }
    if (c === QUOTE) {
      for (i++; i < body.length && body[i] !== QUOTE; i++) if (body[i] === BACKSLASH) i++;
    } else if (OPENERS.has(c)) {
      expecting ||= ++depth === 1;
    } else if (CLOSERS.has(c)) depth--;
    else if (c === COMMA && depth === 1) expecting = true;
  }
  return false;
}

/** The 413 of a POST of more statements than `maxStatements`. */
export function overCap(maxStatements: number): CodedError {
  return new CodedError('too-large', `a POST holds at most ${maxStatements} statements (LRS_MAX_STATEMENTS): split it`);
}
