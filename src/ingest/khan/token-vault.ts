/**
 * Encryption at rest of the coaches' OAuth tokens (AES-256-GCM, NIST SP 800-38D).
 *
 * An access token with its secret reads every student of a coach until revoked, so the
 * database holds it sealed: `v1.<iv>.<tag>.<ciphertext>` in base64url, a fresh random
 * 12-byte IV per seal (an IV reused under one key breaks GCM). The optional associated
 * data binds a sealed token to its row (e.g. the coach id): copied to another row, it
 * does not open. The key is held as a KeyObject so that logging it prints no bytes.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** Why the vault refused. */
export type TokenVaultErrorCode = 'bad_vault_key' | 'token_unreadable';

/** A key that is not 32 bytes, or a sealed token that does not open; never carries the value. */
export class TokenVaultError extends Error {
  override readonly name = 'TokenVaultError';
  constructor(readonly code: TokenVaultErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Reads a 32-byte key given as 64 hex characters or as base64 (standard or url-safe).
 * @example
 * const key = parseVaultKey(process.env.TOKEN_VAULT_KEY ?? '');
 */
export function parseVaultKey(raw: string): KeyObject {
  const text = raw.trim();
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) bytes = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes?.length !== 32) {
    // The value is a secret (or a typo of one): say what is expected, never what was given.
    throw new TokenVaultError('bad_vault_key', `the token vault key must be 32 bytes, as 64 hex characters or 44 base64 characters (got ${text.length} characters)`);
  }
  return createSecretKey(bytes);
}

/** Encrypts `plaintext` into `v1.<iv>.<tag>.<ciphertext>`; `aad` must be given again to open it. */
export function sealToken(key: KeyObject, plaintext: string, aad?: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** Decrypts a sealed token; a wrong key, wrong `aad` or any tampering throws `token_unreadable`. */
export function openToken(key: KeyObject, sealed: string, aad?: string): string {
  const parts = sealed.split('.');
  const [version, iv, tag, body] = parts;
  if (parts.length !== 4 || version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
    throw new TokenVaultError('token_unreadable', 'the sealed token is not in the v1.<iv>.<tag>.<ciphertext> form');
  }
  const ivBytes = Buffer.from(iv, 'base64url');
  const tagBytes = Buffer.from(tag, 'base64url');
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new TokenVaultError('token_unreadable', 'the sealed token has a malformed IV or tag');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new TokenVaultError('token_unreadable', 'the sealed token does not open: wrong key, wrong owner, or altered', { cause: err });
  }
}
