/**
 * The authorized Khan Academy coaches: their access tokens sealed at rest with
 * AES-256-GCM (KHAN_TOKEN_KEY, the coach id as associated data), so the database alone
 * never yields a token. Listing shows who is authorized, never a token.
 */
import type { KeyObject } from 'node:crypto';
import { and, eq, isNull, or } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import { khanCoaches } from './schema.js';
import type { KhanTokenPair } from './oauth.js';
import { openToken, sealToken, TokenVaultError } from './token-vault.js';

/** A coach as listed: who, since when, and how the last pull went; no token. */
export interface KhanCoachListing {
  coachId: string;
  email: string;
  authorizedAt: Date;
  revokedAt: Date | null;
  lastPullAt: Date | null;
  lastError: string | null;
}

/** A coach ready to pull, or why not (the token does not open with this key). */
export type AuthorizedCoach = { coachId: string; email: string } & ({ token: KhanTokenPair } | { unreadable: string });

/** Stores (or replaces) a coach's access token, sealed; a revoked coach authorized again is active again. */
export async function saveCoach(database: Database, key: KeyObject, coach: { coachId: string; email: string; token: KhanTokenPair }): Promise<void> {
  const row = {
    coachId: coach.coachId,
    email: coach.email,
    tokenSealed: sealToken(key, coach.token.token, coach.coachId),
    secretSealed: sealToken(key, coach.token.tokenSecret, coach.coachId),
    authorizedAt: new Date(),
    revokedAt: null,
    lastError: null,
  };
  await database.db.insert(khanCoaches).values(row).onConflictDoUpdate({ target: khanCoaches.coachId, set: row });
}

/** Every coach ever authorized, by email. */
export async function listCoaches(database: Database): Promise<KhanCoachListing[]> {
  const rows = await database.db.select().from(khanCoaches).orderBy(khanCoaches.email);
  return rows.map(({ tokenSealed: _t, secretSealed: _s, ...listing }) => listing);
}

/** Revokes a coach by Khan user id or email; false when there is no such active coach. */
export async function revokeCoach(database: Database, coach: string): Promise<boolean> {
  const rows = await database.db
    .update(khanCoaches)
    .set({ revokedAt: new Date() })
    .where(and(or(eq(khanCoaches.coachId, coach), eq(khanCoaches.email, coach)), isNull(khanCoaches.revokedAt)))
    .returning({ coachId: khanCoaches.coachId });
  return rows.length > 0;
}

/** The active coaches with their tokens opened. */
export async function authorizedCoaches(database: Database, key: KeyObject): Promise<AuthorizedCoach[]> {
  const rows = await database.db.select().from(khanCoaches).where(isNull(khanCoaches.revokedAt)).orderBy(khanCoaches.coachId);
  return rows.map((row) => {
    try {
      const token = { token: openToken(key, row.tokenSealed, row.coachId), tokenSecret: openToken(key, row.secretSealed, row.coachId) };
      return { coachId: row.coachId, email: row.email, token };
    } catch (err) {
      if (!(err instanceof TokenVaultError)) throw err;
      return { coachId: row.coachId, email: row.email, unreadable: 'the stored token does not open with KHAN_TOKEN_KEY: was the key changed? authorize the coach again' };
    }
  });
}

/** Notes a coach's pull: its time, and its failure (null when it went well). */
export async function recordCoachPull(database: Database, coachId: string, error: string | null): Promise<void> {
  await database.db.update(khanCoaches).set({ lastPullAt: new Date(), lastError: error }).where(eq(khanCoaches.coachId, coachId));
}
