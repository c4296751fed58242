/**
 * The key of the learners' pseudonyms (DESIGN.md invariant 4): `PSEUDONYM_SECRET` when
 * set, else one generated at first need and kept in the database, so that every
 * instance and every run gives a learner the same pseudonym. Losing it unlinks every
 * pseudonym from new data: back it up with the database, or set the variable.
 */
import type { Config } from '../config/index.js';
import type { Database } from '../db/connection.js';
import { gatewaySecret } from '../db/gateway-secrets.js';

/** The pseudonym key for this configuration and database. */
export async function pseudonymSecret(config: Config, database: Database): Promise<string> {
  return config.pseudonymSecret ?? gatewaySecret(database, 'pseudonym');
}
