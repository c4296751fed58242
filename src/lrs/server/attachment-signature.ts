/**
 * Signed statements (Data §2.6): the signature is an attachment whose data is a JSON Web
 * Signature (RFC 7515) over the statement as it was before the signature was added. An
 * LRS MUST refuse malformed signatures with 400 (§2.6.s5.b1) after checking, as §2.6.s5.b3
 * lists: the JWS decodes, its payload is the received statement by the comparison rules
 * of Data §2.3.1, the signature verifies against an X.509 certificate in `x5c` when there
 * is one, and the algorithm is RS256, RS384 or RS512 (§2.6.s4.b4).
 */
import { verify, X509Certificate } from 'node:crypto';
import { CodedError } from '../../errors.js';
import { validateStatement } from '../../xapi/index.js';
import type { Statement, XapiVersion } from '../../xapi/types.js';
import { sameStatement } from './statement-compare.js';

/** The usageType of a signature attachment (Data §2.6.s4.b1). */
export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';

// §2.6.s4.b4: the "RSA + SHA" JWS algorithms (RFC 7518 §3.3), by their hash.
const ALGORITHMS: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// RFC 7515 §4.1.6: x5c holds standard base64 (not base64url) DER certificates.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks the JWS `jws` of the signature attachment at `path` of `statement` as received;
 * a coded error `invalid` saying what is wrong otherwise.
 * @example checkSignature(statement, payload.content, 'statements[0].attachments[1]', '1.0.3')
 */
export function checkSignature(statement: Statement, jws: Buffer, path: string, version: XapiVersion): void {
  const bad = (why: string) => new CodedError('invalid', `${path}: the signature ${why} (Data 2.6)`);
  // §2.6.s4.b2: compact serialization, the only one this LRS accepts.
  const segments = jws.toString('latin1').split('.');
  if (segments.length !== 3 || !segments.every((s) => BASE64URL.test(s))) {
    throw bad('is not a JWS in compact serialization (three base64url parts separated by dots)');
  }
  const [encodedHeader, encodedPayload, encodedSignature] = segments as [string, string, string];
  const header = decodeJson(encodedHeader);
  if (header === undefined) throw bad('has a JWS header that is not a JSON object');
  const hash = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
  if (hash === undefined) throw bad('must use the algorithm RS256, RS384 or RS512');
  const signed = decodeJson(encodedPayload);
  // §2.6.s4.b3: the payload is a valid JSON serialization of the complete statement.
  if (signed === undefined || validateStatement(signed, version).length > 0) throw bad('has a payload that is not a valid statement');
  if (!signedMatches(statement, signed as unknown as Statement)) throw bad('payload does not match the statement');
  if (header.x5c === undefined) return;
  const certificate = firstCertificate(header.x5c);
  if (certificate === undefined) throw bad('has an x5c header that is not an array of base64 X.509 certificates');
  const key = certificate.publicKey;
  if (key.asymmetricKeyType !== 'rsa') throw bad('certificate in x5c does not hold an RSA key');
  const input = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'latin1');
  // §2.6.s5.b3.b3: to catch mistakes, not to authenticate (the certificate is not trusted).
  if (!verify(hash, input, key, Buffer.from(encodedSignature, 'base64url'))) {
    throw bad('does not verify against the certificate in x5c');
  }
}

function decodeJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The signing certificate: the first of the chain (RFC 7515 §4.1.6), or undefined when x5c is malformed. */
function firstCertificate(x5c: unknown): X509Certificate | undefined {
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === 'string' && c !== '' && BASE64.test(c))) {
    return undefined;
  }
  try {
    // Every certificate of the chain must at least parse; only the first signs.
    const [first] = (x5c as string[]).map((c) => new X509Certificate(Buffer.from(c, 'base64')));
    return first;
  } catch {
    return undefined;
  }
}

/**
 * True when the signed statement is the received one (§2.6.s5.b3.b2): compared by the
 * rules of Data §2.3.1 in both directions (so a timestamp in only one of them differs),
 * without signature attachments, which the signed statement cannot hold; the id only
 * when the signed statement has one, since the LRS may assign it.
 */
function signedMatches(received: Statement, signed: Statement): boolean {
  const a = withoutSignatures(received);
  const b = withoutSignatures(signed);
  if (b.id !== undefined && b.id.toLowerCase() !== a.id?.toLowerCase()) return false;
  return sameStatement(a, b) && sameStatement(b, a);
}

function withoutSignatures(statement: Statement): Statement {
  if (statement.attachments === undefined) return statement;
  const { attachments, ...rest } = statement;
  const kept = attachments.filter((a) => a.usageType !== SIGNATURE_USAGE);
  return kept.length === 0 ? rest : { ...rest, attachments: kept };
}
