/**
 * Identity links: which ECO user a platform user is (ECO's OpenID Connect `sub`).
 * Translators read them synchronously through a cache that importers fill first:
 * all links of a platform for a log import, the links of a batch's users for the
 * live endpoint, so that a link made a second ago already names the next statement.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, SqlSession } from '../db/connection.js';
import { identityLinks } from './schema.js';
import { CatalogValidationError } from './courses.js';
import { LINK_SCHEMA, validator } from './schemas.js';

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

/** A platform user's ECO user id, where they are linked. */
export type LinkedEcoUser = (platformUserId: string) => string | undefined;

/**
 * Every link of a platform, read now, as the lookup an import's actor names use.
 * @example const linked = await loadLinkedEcoUsers(database, 'coursera');
 */
export async function loadLinkedEcoUsers(database: Database, platform: string): Promise<LinkedEcoUser> {
  const links = new IdentityLinkCache(database, platform);
  await links.loadAll();
  return (id) => links.get(id);
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

const validateLink = validator(LINK_SCHEMA);

/** Creates or changes one link; throws CatalogValidationError listing every bad field. */
export async function putIdentityLink(database: Database, input: unknown): Promise<IdentityLink> {
  const problems = validateLink(input);
  if (problems.length > 0) throw new CatalogValidationError(problems);
  const link = input as IdentityLink;
  await upsertIdentityLinks(database, [link]);
  return { platform: link.platform, platformUserId: link.platformUserId, ecoUserId: link.ecoUserId };
}

/** The platform users linked to one ECO user, by platform and platform user id. */
export async function linksOfEcoUser(session: SqlSession, ecoUserId: string): Promise<IdentityLink[]> {
  const { rows } = await session.query<{ platform: string; platform_user_id: string }>(
    `SELECT platform, platform_user_id FROM identity_links WHERE eco_user_id = $1 ORDER BY platform, platform_user_id`,
    [ecoUserId],
  );
  return rows.map((r) => ({ platform: r.platform, platformUserId: r.platform_user_id, ecoUserId }));
}

/** Deletes one link; false when there was none. */
export async function deleteIdentityLink(database: Database, platform: string, platformUserId: string): Promise<boolean> {
  const { rows } = await database.query(`DELETE FROM identity_links WHERE platform = $1 AND platform_user_id = $2 RETURNING 1`, [platform, platformUserId]);
  return rows.length > 0;
}

/** A page of links, ordered by platform and platform user id; `after` is `<platform>/<platform user id>`. */
export async function listIdentityLinks(database: Database, opts: { platform?: string; after?: string; limit: number }): Promise<{ items: IdentityLink[]; next?: string }> {
  const slash = opts.after?.indexOf('/') ?? -1;
  const [afterPlatform, afterUser] = opts.after === undefined || slash < 0 ? ['', ''] : [opts.after.slice(0, slash), opts.after.slice(slash + 1)];
  const { rows } = await database.query<{ platform: string; platform_user_id: string; eco_user_id: string }>(
    `SELECT platform, platform_user_id, eco_user_id FROM identity_links
      WHERE ($1::text IS NULL OR platform = $1) AND (platform, platform_user_id) > ($2, $3)
      ORDER BY platform, platform_user_id LIMIT $4`,
    [opts.platform ?? null, afterPlatform, afterUser, opts.limit + 1],
  );
  const items = rows.slice(0, opts.limit).map((r) => ({ platform: r.platform, platformUserId: r.platform_user_id, ecoUserId: r.eco_user_id }));
  const last = items.at(-1);
  return rows.length > opts.limit && last !== undefined ? { items, next: `${last.platform}/${last.platformUserId}` } : { items };
}
