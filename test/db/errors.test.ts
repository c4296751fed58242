import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { DatabaseQueryError, DatabaseUnavailableError, isDataError } from '../../src/db/errors.js';
import { identityLinks } from '../../src/catalog/schema.js';
import { createLogger } from '../../src/logger.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';

/** Values of a learner, as the failing queries carry them. */
const EDX_USER_ID = 'edx-user-73519846';
const EMAIL = 'alice.learner@example.org';

/** The error as a message, as JSON, as Node prints it, and as the service's logger writes it. */
function everyRendering(err: unknown): string {
  let logged = '';
  const logger = createLogger('info', new Writable({ write(chunk: Buffer, _enc, done) { logged += chunk.toString(); done(); } }));
  logger.error({ err }, 'failed');
  return [String(err), JSON.stringify(err), inspect(err, { depth: 10 }), logged].join('\n');
}

function expectSafe(err: unknown): void {
  expect(err).toBeInstanceOf(Error);
  expect(Object.keys(err as object)).not.toContain('cause');
  expect((err as Error).cause).toBeUndefined();
  const text = everyRendering(err);
  expect(text).not.toContain(EDX_USER_ID);
  expect(text).not.toContain(EMAIL);
}

const link = { platform: 'edx', platformUserId: EDX_USER_ID, ecoUserId: EMAIL };

describe.each(DATABASE_KINDS)('database errors on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(kind);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('a unique violation through drizzle names SQLSTATE, table and constraint, never the values', async () => {
    await t.database.db.insert(identityLinks).values(link);
    const err = await t.database.db.insert(identityLinks).values(link).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseQueryError);
    expect(err).toMatchObject({ name: 'DatabaseQueryError', code: 'database_query', sqlState: '23505', table: 'identity_links', constraint: 'identity_links_platform_platform_user_id_pk' });
    expect((err as Error).message).toBe(
      'the database refused the query: unique_violation (SQLSTATE 23505) on table "identity_links", constraint "identity_links_platform_platform_user_id_pk"',
    );
    expect(isDataError(err)).toBe(true);
    expectSafe(err);
  });

  it('a check violation in raw SQL, in COPY and in a transaction is safe and a data error', async () => {
    // NOT VALID: enforced on new rows only, as a constraint added to a live table is.
    await t.database.query("ALTER TABLE identity_links ADD CONSTRAINT no_edx CHECK (platform <> 'edx') NOT VALID");
    const failures = [
      () => t.database.query('INSERT INTO identity_links (platform, platform_user_id, eco_user_id) VALUES ($1, $2, $3)', ['edx', EDX_USER_ID, EMAIL]),
      () => t.database.transaction((s) => s.copyIn('identity_links (platform, platform_user_id, eco_user_id)', `edx\t${EDX_USER_ID}\t${EMAIL}\n`)),
      () => t.database.copyIn('identity_links (platform, platform_user_id, eco_user_id)', `edx\t${EDX_USER_ID}\t${EMAIL}\n`),
      () => t.database.db.execute(sql`INSERT INTO identity_links (platform, platform_user_id, eco_user_id) VALUES ('edx', ${EDX_USER_ID}, ${EMAIL})`),
    ];
    for (const failure of failures) {
      const err = await failure().then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ name: 'DatabaseQueryError', sqlState: '23514', table: 'identity_links', constraint: 'no_edx' });
      expect(isDataError(err)).toBe(true);
      expectSafe(err);
    }
  });

  it('a value the type refuses, quoted by the driver\'s own message, is left out', async () => {
    const err = await t.database.query('SELECT $1::uuid', [EDX_USER_ID]).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ name: 'DatabaseQueryError', sqlState: '22P02' });
    expectSafe(err);
  });

  it('a query the database cannot run is a query error, not a data error', async () => {
    const err = await t.database.query(`SELECT no_such_column, '${EMAIL}' FROM identity_links`).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ name: 'DatabaseQueryError', sqlState: '42703' });
    expect(isDataError(err)).toBe(false);
    expectSafe(err);
  });

  it('errors of the caller inside a transaction come back unchanged', async () => {
    const own = new RangeError('the caller\'s own');
    await expect(t.database.transaction(async () => Promise.reject(own))).rejects.toBe(own);
    await expect(t.database.withAdvisoryLock(1, async () => Promise.reject(own))).rejects.toBe(own);
  });

  it('a closed database is unavailable', async () => {
    await t.drop();
    t = { ...t, drop: async () => undefined };
    const err = await t.database.query('SELECT 1').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect(err).toMatchObject({ name: 'DatabaseUnavailableError', code: 'unavailable', retryAfterSeconds: 5 });
    expect(isDataError(err)).toBe(false);
  });
});

describe('a PostgreSQL server that is not there', () => {
  it('is DatabaseUnavailableError for raw SQL and drizzle alike', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const database = await openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      for (const failure of [() => database.query('SELECT 1'), () => database.db.select().from(identityLinks), () => database.transaction(async () => 1)]) {
        const err = await failure().then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(DatabaseUnavailableError);
        expect((err as Error).message).toBe('the database is unavailable: connection refused');
      }
    } finally {
      await database.close();
    }
  });
});
