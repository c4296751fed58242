// Deterministic statement ids and pseudonymous actors (DESIGN.md, invariants 1 and 4).
import { hash } from 'node:crypto';
import type { Agent } from './types.js';

// WARNING: never change these. Every statement id derives from them; a new value makes a
// re-import create every statement again. Each is
// uuidv5('https://w3id.org/xapi-gateway/namespaces/<platform>', the uuid URL namespace).
/** One UUID v5 namespace per platform, for statement ids. */
export const PLATFORM_NAMESPACES = {
  edx: '54879409-e471-59f1-a68c-eff559eee0d1',
  coursera: '4a6746ef-784d-5306-ad02-a646ce882d73',
  futurelearn: '8c004386-8102-5bde-af08-9bf9c66d8042',
  khan: '528d8a60-864f-5dc4-a467-820f632ad7ff',
  xapi: '50dab3a8-ff57-5f98-9d74-72b5a902dbbe',
} as const;

/** A platform the gateway reads from; `xapi` is ready-made statements. */
export type Platform = keyof typeof PLATFORM_NAMESPACES;

// The key identifies the record within its platform, so the same record always yields
// the same statement (invariant 1); two platforms never share ids, even for equal keys.
/**
 * The statement id of a source record: uuidv5 of its stable key in the platform's namespace.
 * @example
 * statementId('edx', `${eventId}:played`); // same string on every run
 */
export function statementId(platform: Platform, stableKey: string): string {
  // An empty key would give every statement of a platform the same id.
  if (stableKey === '') throw new RangeError('statementId needs a non-empty stable key');
  return fastUuidv5(stableKey, NAMESPACE_BYTES[platform]);
}

const NAMESPACE_BYTES = Object.fromEntries(
  Object.entries(PLATFORM_NAMESPACES).map(([platform, ns]) => [platform, Buffer.from(ns.replaceAll('-', ''), 'hex')]),
) as Record<Platform, Buffer>;

let scratch = Buffer.allocUnsafe(4096);

/**
 * RFC 4122 version 5, as `uuid`'s v5 computes it (a test holds them equal), with node's
 * one-shot SHA-1: `uuid` converts the name byte by byte, which costs an import of
 * a million events a tenth of its time.
 */
function fastUuidv5(name: string, namespace: Buffer): string {
  // One buffer for every id, the name encoded into it: edX keys hold the whole event, and
  // a buffer per id costs an allocation and its collection.
  const size = 16 + Buffer.byteLength(name, 'utf8');
  if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  namespace.copy(scratch, 0);
  scratch.write(name, 16, 'utf8');
  const b = hash('sha1', scratch.subarray(0, size), 'buffer');
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Without the secret it cannot be reversed by hashing guessed ids, and a new secret
// unlinks all pseudonyms.
/**
 * The keyed pseudonym of a user id: HMAC-SHA256 in hex (invariant 4).
 * @example
 * accountActor('https://courses.edx.org', pseudonym(secret, String(userId)));
 */
export function pseudonym(secret: string, platformUserId: string): string {
  // With an empty key the HMAC is as guessable as a plain hash of the id.
  if (secret === '') throw new RangeError('pseudonym needs a non-empty secret');
  return hmacSha256Hex(secret, platformUserId);
}

/** HMAC-SHA256 key pads (RFC 2104 section 2), by secret: a run uses one or two secrets. */
const PADS = new Map<string, { inner: Buffer; outer: Buffer }>();
const BLOCK = 64;

/**
 * `createHmac('sha256', secret).update(message).digest('hex')` (a test holds them equal) as
 * two one-shot hashes with the key pads computed once: an Hmac object is a stream, and
 * building one per learner cost an import more than the hashing.
 */
function hmacSha256Hex(secret: string, message: string): string {
  let pads = PADS.get(secret);
  if (pads === undefined) {
    const raw = Buffer.from(secret, 'utf8');
    const key = Buffer.alloc(BLOCK);
    (raw.length > BLOCK ? hash('sha256', raw, 'buffer') : raw).copy(key);
    pads = { inner: Buffer.from(key.map((b) => b ^ 0x36)), outer: Buffer.from(key.map((b) => b ^ 0x5c)) };
    if (PADS.size >= 16) PADS.clear();
    PADS.set(secret, pads);
  }
  const inner = hash('sha256', Buffer.concat([pads.inner, Buffer.from(message, 'utf8')]), 'buffer');
  return hash('sha256', Buffer.concat([pads.outer, inner]), 'hex');
}

// A prefix keeps the two uses of the one secret apart: without it the digest of the answer
// "42" would be the pseudonym of user 42.
/**
 * The keyed digest of learner-typed text (an answer, a search query): equal texts give
 * equal digests, so item analysis still works, but the words cannot be read back.
 * @example freeTextDigest(secret, 'do-while') // 'hmac-sha256:3b1f...'
 */
export function freeTextDigest(secret: string, text: string): string {
  if (secret === '') throw new RangeError('freeTextDigest needs a non-empty secret');
  return `hmac-sha256:${hmacSha256Hex(secret, `free-text\u0000${text}`)}`;
}

// Pass a pseudonym as `name`: statements carry no personal data (invariant 4).
/**
 * An Agent identified by an account on a platform (2.4.2.4).
 * @example
 * accountActor('https://www.coursera.org', pseudonym(secret, learnerId));
 */
export function accountActor(homePage: string, name: string): Agent {
  return { objectType: 'Agent', account: { homePage, name } };
}
