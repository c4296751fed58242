/**
 * Credentials of the embedded LRS kept in the database, beside LRS_USERS: secrets are
 * stored only as scrypt hashes, each credential reads or reads and writes, and a revoked
 * one stays on record. Verifying scrypt on every request would cost more than storing a
 * batch, so a verified credential is remembered for a few seconds (keyed by a SHA-256 of
 * what was presented, never the secret itself): a revocation takes effect within that time.
 */
import { createHash, randomBytes, scrypt as scryptCallback } from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from '../../db/connection.js';
import { CodedError } from '../../errors.js';
import { sameSecret } from '../../http/bearer.js';
import type { CredentialScope } from './schema.js';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, opts: { N: number; r: number; p: number }) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** How long a verified (or refused) credential is remembered. */
export const VERIFY_CACHE_MS = 5000;

/** A credential as listed: never with its secret. */
export interface CredentialInfo {
  username: string;
  scope: CredentialScope;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Hashes a secret as `scrypt$N$r$p$salt$hash` (base64). */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, KEY_LENGTH, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** True when `secret` matches `encoded` (constant-time comparison). */
export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return sameSecret(actual, expected);
}

/** The credentials table. */
export class CredentialStore {
  private readonly cache = new Map<string, { scope: CredentialScope | null; until: number }>();

  constructor(
    private readonly database: Database,
    /** Epoch milliseconds, for the verification cache; tests pass their own clock. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a credential and returns its secret, which is shown once and never stored. */
  async add(username: string, scope: CredentialScope, label?: string): Promise<string> {
    if (!/^[A-Za-z0-9._@-]{1,100}$/.test(username)) throw new CodedError('invalid', 'a username is 1-100 letters, digits, ".", "_", "@" or "-"', { field: 'username' });
    const secret = randomBytes(24).toString('base64url');
    const { affected } = await this.database.query(
      `INSERT INTO lrs_credentials (username, secret_hash, scope, label) VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING`,
      [username, await hashSecret(secret), scope, label ?? null],
    );
    if (affected === 0) throw new CodedError('conflict', `a credential named ${username} exists already (revoked ones keep their name)`, { field: 'username' });
    return secret;
  }

  /** Every credential, revoked ones included, without secrets. */
  async list(): Promise<CredentialInfo[]> {
    const { rows } = await this.database.query<CredentialInfo>(
      `SELECT username, scope, label, created_at AS "createdAt", revoked_at AS "revokedAt" FROM lrs_credentials ORDER BY id`,
    );
    return rows;
  }

  /** Revokes a credential; returns false when there is no active one of that name. */
  async revoke(username: string): Promise<boolean> {
    const { affected } = await this.database.query(
      `UPDATE lrs_credentials SET revoked_at = now() WHERE username = $1 AND revoked_at IS NULL`,
      [username],
    );
    return affected > 0;
  }

  /** Whether any credential is active. */
  async hasActive(): Promise<boolean> {
    const { rows } = await this.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM lrs_credentials WHERE revoked_at IS NULL`);
    return (rows[0]?.n ?? 0) > 0;
  }

  /** The scope of an active credential matching `username` and `secret`, or null. */
  async verify(username: string, secret: string): Promise<CredentialScope | null> {
    const key = createHash('sha256').update(`${username}\u0000${secret}`).digest('base64');
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.scope;
    const { rows } = await this.database.query<{ secret_hash: string; scope: CredentialScope }>(
      `SELECT secret_hash, scope FROM lrs_credentials WHERE username = $1 AND revoked_at IS NULL`,
      [username],
    );
    const row = rows[0];
    const scope = row && (await verifySecret(secret, row.secret_hash)) ? row.scope : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { scope, until: this.now() + VERIFY_CACHE_MS });
    return scope;
  }
}
