import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { khanCoaches } from '../../../src/ingest/khan/schema.js';
import { authorizedCoaches, listCoaches, recordCoachPull, revokeCoach, saveCoach } from '../../../src/ingest/khan/coach-store.js';
import { parseVaultKey } from '../../../src/ingest/khan/token-vault.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';

const KEY = parseVaultKey(randomBytes(32).toString('hex'));
const TOKEN = { token: 'access-token-of-coach-one', tokenSecret: 'access-secret-of-coach-one' };

describe.each(DATABASE_KINDS)('the Khan coach store on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(kind);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('keeps tokens sealed: no column holds them, and only the key opens them', async () => {
    await saveCoach(t.database, KEY, { coachId: 'coach-1', email: 'one@school.example', token: TOKEN });
    const [row] = await t.database.db.select().from(khanCoaches);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(TOKEN.token);
    expect(stored).not.toContain(TOKEN.tokenSecret);
    expect(await authorizedCoaches(t.database, KEY)).toEqual([{ coachId: 'coach-1', email: 'one@school.example', token: TOKEN }]);

    const otherKey = parseVaultKey(randomBytes(32).toString('base64'));
    const [unopened] = await authorizedCoaches(t.database, otherKey);
    expect(unopened).toMatchObject({ coachId: 'coach-1', unreadable: expect.stringMatching(/KHAN_TOKEN_KEY/) });
    expect(unopened).not.toHaveProperty('token');
  });

  it('a sealed token moved to another coach\'s row does not open', async () => {
    await saveCoach(t.database, KEY, { coachId: 'coach-1', email: 'one@school.example', token: TOKEN });
    await saveCoach(t.database, KEY, { coachId: 'coach-2', email: 'two@school.example', token: { token: 'other', tokenSecret: 'other-secret' } });
    const [one] = await t.database.db.select().from(khanCoaches).where(eq(khanCoaches.coachId, 'coach-1'));
    await t.database.db.update(khanCoaches).set({ tokenSealed: one!.tokenSealed, secretSealed: one!.secretSealed }).where(eq(khanCoaches.coachId, 'coach-2'));
    const coaches = await authorizedCoaches(t.database, KEY);
    expect(coaches.find((c) => c.coachId === 'coach-2')).toHaveProperty('unreadable');
    expect(coaches.find((c) => c.coachId === 'coach-1')).toHaveProperty('token', TOKEN);
  });

  it('lists coaches without tokens, revokes by email, and a new authorization makes a coach active again', async () => {
    await saveCoach(t.database, KEY, { coachId: 'coach-1', email: 'one@school.example', token: TOKEN });
    await recordCoachPull(t.database, 'coach-1', 'HTTP 401: the coach must authorize again');
    const [listed] = await listCoaches(t.database);
    expect(listed).toMatchObject({ coachId: 'coach-1', email: 'one@school.example', revokedAt: null, lastError: 'HTTP 401: the coach must authorize again' });
    expect(JSON.stringify(listed)).not.toContain('sealed');

    expect(await revokeCoach(t.database, 'one@school.example')).toBe(true);
    expect(await revokeCoach(t.database, 'one@school.example')).toBe(false);
    expect(await authorizedCoaches(t.database, KEY)).toEqual([]);

    await saveCoach(t.database, KEY, { coachId: 'coach-1', email: 'one@school.example', token: TOKEN });
    expect(await authorizedCoaches(t.database, KEY)).toHaveLength(1);
    expect((await listCoaches(t.database))[0]).toMatchObject({ revokedAt: null, lastError: null });
  });
});
