/**
 * The key of the learners' pseudonyms (DESIGN.md invariant 4): `PSEUDONYM_SECRET` when
 * set, else one generated at first need and kept in the database, so that every
 * instance and every run gives a learner the same pseudonym. Losing it unlinks every
 * pseudonym from new data: back it up with the database, or set the variable.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Database } from '../db/connection.js';

const NAME = 'pseudonym';

/** The pseudonym key for this configuration and database. */
export async function pseudonymSecret(config: Config, database: Database): Promise<string> {
  if (config.pseudonymSecret !== undefined) return config.pseudonymSecret;
  // Two instances starting together: the first insert wins, both read it back.
  await database.query(`INSERT INTO gateway_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [NAME, randomBytes(32).toString('base64url')]);
  const { rows } = await database.query<{ value: string }>(`SELECT value FROM gateway_secrets WHERE name = $1`, [NAME]);
  return rows[0]!.value;
}
