/**
 * Continuation tokens that carry their own state, signed with HMAC so that a client
 * cannot edit them (a larger page, another filter) nor bring one from another server.
 * Only URL-safe characters (base64url and a dot): clients put them into URLs as they are.
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from './bearer.js';

/**
 * `state` as JSON in base64url, a dot, and its signature under `key`.
 * @example const token = signToken(key, { c: 100 }); // 'eyJjIjoxMDB9.Xq…'
 */
export function signToken(key: string, state: unknown): string {
  const body = Buffer.from(JSON.stringify(state)).toString('base64url');
  return `${body}.${signature(key, body)}`;
}

/** The decoded JSON state of a token signed under `key`, or undefined when the token is malformed, tampered with or signed under another key. */
export function verifyToken(key: string, token: string): unknown {
  const [body, given, ...rest] = token.split('.');
  if (body === undefined || given === undefined || rest.length > 0) return undefined;
  if (!sameSecret(given, signature(key, body))) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function signature(key: string, body: string): string {
  return createHmac('sha256', key).update(body).digest().subarray(0, 16).toString('base64url');
}
