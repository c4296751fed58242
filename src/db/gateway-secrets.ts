/**
 * Secrets the gateway makes for itself when none is configured, kept in the database so
 * that every instance shares them: the key of learners' pseudonyms, the key that signs
 * OAI-PMH resumption tokens.
 */
import { randomBytes } from 'node:crypto';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.js';
import type { Database } from './connection.js';

/**
 * Secrets the gateway generates for itself when none is configured, shared by every
 * instance on the database: `pseudonym` keys the learners' HMAC pseudonyms. The one
 * table of src/db (drizzle.config.ts lists this file with the modules' schema files).
 */
export const gatewaySecrets = pgTable('gateway_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/** The secret called `name`, made at first need. */
export async function gatewaySecret(database: Database, name: string): Promise<string> {
  // Two instances starting together: the first insert wins, both read it back.
  await database.query(`INSERT INTO gateway_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, randomBytes(32).toString('base64url')]);
  const { rows } = await database.query<{ value: string }>(`SELECT value FROM gateway_secrets WHERE name = $1`, [name]);
  return rows[0]!.value;
}
