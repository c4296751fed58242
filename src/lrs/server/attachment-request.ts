/**
 * A PUT or POST of statements as `multipart/mixed` (Communication §1.5.2): the first part
 * holds the statements as JSON, each further part the raw data of one attachment, named
 * by the SHA-2 of that data in its `X-Experience-API-Hash` header. The hash of every part
 * is computed here and must match its header; which statement declares which part is
 * checked later, against the validated statements (attachment-check.ts).
 */
import { createHash } from 'node:crypto';
import { CodedError } from '../../errors.js';
import { mediaTypeEssence, multipartBoundary, parseMultipart, type MultipartPart } from './attachment-multipart.js';

/** The raw data of an attachment as received in one part. */
export interface AttachmentPayload {
  /** Lower-case hex SHA-2 of `content`, as the part's `X-Experience-API-Hash` says. */
  sha2: string;
  /** The part's Content-Type, when it has one (§1.5.2.s2.b2.b6 makes it a SHOULD). */
  contentType?: string;
  content: Buffer;
}

/** The statements of a multipart request (not yet validated) and its attachment data by hash. */
export interface MultipartStatements {
  statements: unknown;
  payloads: Map<string, AttachmentPayload>;
}

// The SHA-2 functions by the length of their hex digest (Data §2.4.11 "sha2", §1.5.2.s4.b4).
const SHA2_BY_HEX_LENGTH = new Map([
  [56, 'sha224'],
  [64, 'sha256'],
  [96, 'sha384'],
  [128, 'sha512'],
]);

/**
 * The statements and attachment parts of a `multipart/mixed` body; a coded error `invalid` when the
 * body, the first part or any attachment part breaks §1.5.2.s2.
 * @example readMultipartStatements(body, req.get('Content-Type')!).payloads.get(sha2)?.content
 */
export function readMultipartStatements(body: Buffer, contentType: string): MultipartStatements {
  const [first, ...rest] = parseMultipart(body, multipartBoundary(contentType));
  // §1.5.2.s2.b2.b1, b6: the first part MUST be the statements, as application/json.
  const firstType = first!.headers.get('content-type');
  if (firstType === undefined || mediaTypeEssence(firstType) !== 'application/json') {
    throw new CodedError('invalid', 'multipart/mixed: the first part must hold the statements with Content-Type application/json');
  }
  let statements: unknown;
  try {
    statements = JSON.parse(first!.body.toString('utf8'));
  } catch {
    throw new CodedError('invalid', 'multipart/mixed: the first part is not valid JSON');
  }
  const payloads = new Map<string, AttachmentPayload>();
  rest.forEach((part, i) => {
    const payload = readAttachmentPart(part, `multipart/mixed: part ${i + 2}`);
    payloads.set(payload.sha2, payload);
  });
  return { statements, payloads };
}

/** One attachment part, its headers checked and its hash verified. */
function readAttachmentPart(part: MultipartPart, name: string): AttachmentPayload {
  // §1.5.2.s2.b2.b3: MUST have X-Experience-API-Hash.
  const hash = part.headers.get('x-experience-api-hash')?.toLowerCase();
  if (hash === undefined) throw new CodedError('invalid', `${name}: the X-Experience-API-Hash header is required`);
  // §1.5.2.s2.b2.b4: MUST have Content-Transfer-Encoding: binary. An LRS SHOULD assume
  // binary (§1.5.2.s3.b6); this one holds requests to the MUST, as the ADL test suite does.
  const encoding = part.headers.get('content-transfer-encoding');
  if (encoding === undefined || encoding.toLowerCase() !== 'binary') {
    throw new CodedError('invalid', `${name}: the Content-Transfer-Encoding header must be binary`);
  }
  const algorithm = /^[0-9a-f]+$/.test(hash) ? SHA2_BY_HEX_LENGTH.get(hash.length) : undefined;
  if (algorithm === undefined) throw new CodedError('invalid', `${name}: X-Experience-API-Hash must be a hex SHA-2 hash`);
  // §1.5.2.s1.b4: the data is matched to its attachment by the SHA-2 of the raw data only.
  if (createHash(algorithm).update(part.body).digest('hex') !== hash) {
    throw new CodedError('invalid', `${name}: the content does not have the SHA-2 hash its X-Experience-API-Hash header gives`);
  }
  // §1.5.2.s2.b2.b7: a header and the matching attachment property must agree.
  const length = part.headers.get('content-length');
  if (length !== undefined && Number(length) !== part.body.length) {
    throw new CodedError('invalid', `${name}: Content-Length does not match the length of the content`);
  }
  const contentType = part.headers.get('content-type');
  return contentType === undefined ? { sha2: hash, content: part.body } : { sha2: hash, contentType, content: part.body };
}
