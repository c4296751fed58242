/**
 * The attachments of a batch against the data received with it (Communication §1.5.2):
 * in `application/json` every attachment needs a fileUrl (§1.5.2.s2.b1); in
 * `multipart/mixed` every attachment without fileUrl needs a part whose SHA-2 is its
 * `sha2` (§1.5.2.s3.b5), every part must belong to an attachment, and a part's
 * Content-Type must agree with the attachment's contentType (§1.5.2.s2.b2.b7). Signature
 * attachments with data are checked as Data §2.6 requires.
 */
import { CodedError } from '../../errors.js';
import type { Attachment, Statement, XapiVersion } from '../../xapi/types.js';
import { mediaTypeEssence } from './attachment-multipart.js';
import type { AttachmentPayload } from './attachment-request.js';
import { checkSignature, SIGNATURE_USAGE } from './attachment-signature.js';

/** A statement of the batch as received, with the id it will be stored under. */
export interface ReceivedStatement {
  statement: Statement;
  /** Where issues are reported, e.g. `statements[2]`. */
  prefix: string;
}

/** Received attachment data that a statement uses, with the content type to store it under. */
export interface UsedPayload {
  sha2: string;
  /** The part's Content-Type, else the attachment's contentType. */
  contentType: string;
}

/**
 * For each statement, the received payloads its attachments use; a coded error `invalid` on the
 * first broken rule. `payloads` is undefined for an `application/json` request.
 * @example checkAttachments([{ statement, prefix: 'statement' }], payloads, '1.0.3') // [[{ sha2: '495395e7...', contentType: 'text/plain' }]]
 */
export function checkAttachments(
  batch: readonly ReceivedStatement[],
  payloads: ReadonlyMap<string, AttachmentPayload> | undefined,
  version: XapiVersion,
): UsedPayload[][] {
  const unused = new Set(payloads?.keys());
  const used = batch.map(({ statement, prefix }) => {
    const uses = new Map<string, UsedPayload>();
    for (const { attachment, path, signable } of declared(statement, prefix)) {
      const sha2 = attachment.sha2.toLowerCase();
      const payload = payloads?.get(sha2);
      if (payload === undefined) {
        if (attachment.fileUrl !== undefined) continue;
        throw new CodedError(
          'invalid',
          payloads === undefined
            ? `${path}: an attachment without fileUrl must come with its data, in a multipart/mixed request (Communication 1.5.2)`
            : `${path}: no part has the SHA-2 ${sha2} of this attachment, which has no fileUrl (Communication 1.5.2)`,
        );
      }
      if (payload.contentType !== undefined && mediaTypeEssence(payload.contentType) !== mediaTypeEssence(attachment.contentType)) {
        throw new CodedError('invalid', `${path}.contentType: differs from the Content-Type of its part (Communication 1.5.2)`);
      }
      if (signable && attachment.usageType === SIGNATURE_USAGE) checkSignature(statement, payload.content, path, version);
      if (!uses.has(sha2)) uses.set(sha2, { sha2, contentType: payload.contentType ?? attachment.contentType });
      unused.delete(sha2);
    }
    return [...uses.values()];
  });
  const [extra] = unused;
  if (extra !== undefined) {
    throw new CodedError('invalid', `multipart/mixed: the part with X-Experience-API-Hash ${extra} belongs to no attachment of the statements`);
  }
  return used;
}

interface Declared {
  attachment: Attachment;
  path: string;
  /** False inside a SubStatement, which a signature cannot sign on its own. */
  signable: boolean;
}

/** The attachments of a statement and of its SubStatement (Data §2.4.11 allows both). */
function declared(statement: Statement, prefix: string): Declared[] {
  const own = (statement.attachments ?? []).map((attachment, i) => ({ attachment, path: `${prefix}.attachments[${i}]`, signable: true }));
  if (statement.object.objectType !== 'SubStatement') return own;
  const nested = (statement.object.attachments ?? []).map((attachment, i) => ({
    attachment,
    path: `${prefix}.object.attachments[${i}]`,
    signable: false,
  }));
  return [...own, ...nested];
}
