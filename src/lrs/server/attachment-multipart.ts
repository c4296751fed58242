/**
 * The `multipart/mixed` body format (RFC 2046 §5.1) in which statements travel with their
 * attachments (Communication §1.5.2): reading a body into its parts and writing one.
 * Bodies are Buffers, so attachment data stays binary; the body parser in front of this
 * has already refused bodies over the size limit with 413 (§3.2.s3.b11).
 */
import { randomBytes } from 'node:crypto';
import { CodedError } from '../../errors.js';

/** One part of a multipart body: its headers (names in lower case) and its raw content. */
export interface MultipartPart {
  headers: Map<string, string>;
  body: Buffer;
}

/** A part to write: header name → value, and the content. */
export interface OutgoingPart {
  headers: Record<string, string>;
  body: Buffer | string;
}

// RFC 2046 §5.1.1: bchars, 1 to 70 of them, the last not a space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * The boundary of a `multipart/mixed` Content-Type; a coded error `invalid` when the type has none
 * or an invalid one.
 * @example multipartBoundary('multipart/mixed; boundary="abc ABC"') // 'abc ABC'
 */
export function multipartBoundary(contentType: string): string {
  const boundary = mediaTypeParams(contentType).get('boundary');
  if (boundary === undefined) throw new CodedError('invalid', 'multipart/mixed: the Content-Type has no boundary parameter');
  if (!BOUNDARY.test(boundary)) throw new CodedError('invalid', 'multipart/mixed: the boundary is not a valid RFC 2046 boundary');
  return boundary;
}

/** The parameters of a media type (`type/subtype; name=value; name="quoted value"`), names in lower case. */
function mediaTypeParams(contentType: string): Map<string, string> {
  const params = new Map<string, string>();
  // RFC 9110 §5.6.6: parameter = token "=" ( token / quoted-string ).
  const PARAM = /;\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))\s*/gy;
  const start = contentType.indexOf(';');
  if (start < 0) return params;
  PARAM.lastIndex = start;
  for (let m = PARAM.exec(contentType); m !== null; m = PARAM.exec(contentType)) {
    params.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
  }
  return params;
}

/** The `type/subtype` of a media type, in lower case, without parameters. */
export function mediaTypeEssence(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * The parts of a multipart body (RFC 2046 §5.1.1): an optional preamble, then each part
 * after a `--boundary` line, up to the closing `--boundary--`; the epilogue is ignored.
 * Lines end in CRLF; a coded error `invalid` when the body does not follow that structure.
 * @example parseMultipart(Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--'), 'b')[0].body // 'hi'
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.concat([CRLF, dashBoundary]);
  // The first boundary opens the body or follows the preamble's last CRLF.
  let at: number;
  if (body.subarray(0, dashBoundary.length).equals(dashBoundary)) {
    at = dashBoundary.length;
  } else {
    const first = body.indexOf(delimiter);
    if (first < 0) throw new CodedError('invalid', 'multipart/mixed: the body does not contain the boundary');
    at = first + delimiter.length;
  }
  const parts: MultipartPart[] = [];
  for (;;) {
    if (body[at] === 0x2d && body[at + 1] === 0x2d) {
      // Close delimiter: "--" after the boundary ends the parts.
      if (parts.length === 0) throw new CodedError('invalid', 'multipart/mixed: the body has no part');
      return parts;
    }
    at = afterLineEnd(body, at);
    const end = body.indexOf(delimiter, at);
    if (end < 0) throw new CodedError('invalid', 'multipart/mixed: the body ends before the closing boundary');
    parts.push(readPart(body.subarray(at, end)));
    at = end + delimiter.length;
  }
}

/** Skips transport padding (spaces and tabs) after a boundary and the CRLF that must follow. */
function afterLineEnd(body: Buffer, from: number): number {
  let at = from;
  while (body[at] === 0x20 || body[at] === 0x09) at++;
  if (body[at] !== 0x0d || body[at + 1] !== 0x0a) {
    throw new CodedError('invalid', 'multipart/mixed: a boundary line must end in CRLF');
  }
  return at + 2;
}

/** A part is header lines, an empty line, and the content (RFC 2046 §5.1.1 body-part). */
function readPart(part: Buffer): MultipartPart {
  if (part[0] === 0x0d && part[1] === 0x0a) return { headers: new Map(), body: part.subarray(2) };
  let end = part.indexOf(HEADER_END);
  // Header fields without content: the delimiter's CRLF follows the last field's CRLF.
  if (end < 0 && part.subarray(-2).equals(CRLF)) end = part.length - 2;
  if (end < 0) throw new CodedError('invalid', 'multipart/mixed: a part has no empty line after its headers');
  const headers = new Map<string, string>();
  // RFC 5322 §2.2.3: a line starting with white space continues the previous field.
  const lines = part.subarray(0, end).toString('latin1').split('\r\n');
  const fields: string[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += ` ${line.trim()}`;
    else fields.push(line);
  }
  for (const field of fields) {
    const colon = field.indexOf(':');
    const name = colon > 0 ? field.slice(0, colon).trim().toLowerCase() : '';
    if (!/^[!-9;-~]+$/.test(name)) throw new CodedError('invalid', 'multipart/mixed: a part has a malformed header line');
    if (headers.has(name)) throw new CodedError('invalid', `multipart/mixed: a part repeats the header ${name}`);
    headers.set(name, field.slice(colon + 1).trim());
  }
  return { headers, body: part.subarray(Math.min(end + HEADER_END.length, part.length)) };
}

/** A fresh boundary that no content is expected to contain. */
export function newBoundary(): string {
  return `xapi-${randomBytes(18).toString('hex')}`;
}

/**
 * A multipart body of `parts` with `boundary` (RFC 2046 §5.1.1), CRLF line ends.
 * @example formatMultipart([{ headers: { 'Content-Type': 'application/json' }, body: '[]' }], 'b')
 */
export function formatMultipart(parts: readonly OutgoingPart[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const head = Object.entries(part.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n`, 'latin1'), Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body, 'utf8'), CRLF);
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return Buffer.concat(chunks);
}
