/**
 * Identity links: which ECO user a platform user is (ECO's OpenID Connect `sub`).
 * Translators read them synchronously through a cache that importers fill first:
 * all links of a platform for a log import, the links of a batch's users for the
 * live endpoint, so that a link made a second ago already names the next statement.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/connection.js';
import { identityLinks } from '../db/schema.js';

/** One link. */
export interface IdentityLink {
  platform: string;
  platformUserId: string;
  ecoUserId: string;
}

/** The links of one platform, read from the database into memory. */
export class IdentityLinkCache {
  private links = new Map<string, string>();

  constructor(
    private readonly database: Database,
    readonly platform: string,
  ) {}

  /** The ECO user id of a platform user, if linked (as of the last load). */
  get(platformUserId: string): string | undefined {
    return this.links.get(platformUserId);
  }

  /** Loads every link of the platform. */
  async loadAll(): Promise<void> {
    const rows = await this.database.db
      .select({ platformUserId: identityLinks.platformUserId, ecoUserId: identityLinks.ecoUserId })
      .from(identityLinks)
      .where(eq(identityLinks.platform, this.platform));
    this.links = new Map(rows.map((r) => [r.platformUserId, r.ecoUserId]));
  }

  /** Loads the links of these users, forgetting those that were removed since. */
  async load(platformUserIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(platformUserIds)];
    if (ids.length === 0) return;
    const rows = await this.database.db
      .select({ platformUserId: identityLinks.platformUserId, ecoUserId: identityLinks.ecoUserId })
      .from(identityLinks)
      .where(and(eq(identityLinks.platform, this.platform), inArray(identityLinks.platformUserId, ids)));
    for (const id of ids) this.links.delete(id);
    for (const r of rows) this.links.set(r.platformUserId, r.ecoUserId);
  }
}

/** Creates or changes links; returns how many were written. */
export async function upsertIdentityLinks(database: Database, links: IdentityLink[]): Promise<number> {
  if (links.length === 0) return 0;
  await database.db
    .insert(identityLinks)
    .values(links)
    .onConflictDoUpdate({
      target: [identityLinks.platform, identityLinks.platformUserId],
      set: { ecoUserId: sql`excluded.eco_user_id`, updatedAt: sql`now()` },
    });
  return links.length;
}
