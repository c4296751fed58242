/** Work on the PostgreSQL server of the tests: a connection of one's own, and dropping a database. */
import pg from 'pg';

/** Runs `fn` on a connection of its own to the database of `url`, closed after. */
export async function connected<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops database `name`, ending its sessions, from the database of `admin` on the same server. */
export function dropDatabase(admin: string, name: string): Promise<unknown> {
  return connected(admin, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
