import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { eraseLearner } from '../../src/learners/erase.js';
import { runImport } from '../../src/lrs/import-run.js';
import { Outbox } from '../../src/lrs/outbox.js';
import type { NetClock } from '../../src/net/request.js';
import { COURSERA_HOME } from '../../src/translators/coursera/iris.js';
import { accountActor, pseudonym, statementId } from '../../src/xapi/ids.js';
import { startFakeLrsAdmin, type FakeLrsAdmin, type FakeLrsAdminOptions } from '../fakes/lrs-admin.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';

const SECRET = 'pseudonym-secret-for-external-erasure';
const ADMIN = { username: 'lrs-admin', password: 'admin-password-never-shown' };
const noWait: NetClock = { now: () => 0, sleep: async () => {}, random: () => 0 };
const theirs = pseudonym(SECRET, 'learner-1');
const others = pseudonym(SECRET, 'learner-2');

describe.each(DATABASE_KINDS)('erasing a learner in an external LRS on %s', (kind) => {
  let t: TestDatabase;
  let lrs: FakeLrsAdmin | undefined;
  beforeEach(async () => {
    lrs = undefined;
    t = await freshDatabase(kind);
    // One delivered statement of each learner, as the outbox keeps them once the external LRS has them.
    const items = [theirs, others].map((name) => ({
      at: `xapi:${name.slice(0, 6)}`, type: 'completed', statements: [{
        id: statementId('xapi', `completed-${name}`), actor: accountActor(COURSERA_HOME, name),
        verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, object: { id: 'https://www.coursera.org/learn/x' },
      }],
    }));
    await runImport(items, { database: t.database, outbox: new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 }), source: 'xapi', input: 'xapi' });
    await t.database.query(`UPDATE statement_outbox SET state = 'sent'`);
  });
  afterEach(async () => {
    await lrs?.close();
    await t.drop();
  });

  const start = async (options: Omit<FakeLrsAdminOptions, 'held'>) => {
    lrs = await startFakeLrsAdmin({ ...options, held: [{ homePage: COURSERA_HOME, name: theirs }, { homePage: COURSERA_HOME, name: others }] });
    return lrs;
  };
  const erase = (lrsOrigin: string, api: string, password = ADMIN.password) => eraseLearner({
    config: loadConfig({
      PSEUDONYM_SECRET: SECRET, LRS_ENDPOINT: `${lrsOrigin}/xapi`, LRS_USERNAME: 'client', LRS_PASSWORD: 'client-secret',
      LRS_ERASE_API: api, LRS_ADMIN_USERNAME: ADMIN.username, LRS_ADMIN_PASSWORD: password,
    }),
    database: t.database, erasedBy: 'test', netClock: noWait,
  }, 'coursera', 'learner-1');

  it('deletes the actor in SQL LRS through its admin API, and nobody else', async () => {
    const fake = await start({ kind: 'sql-lrs', ...ADMIN });
    const report = await erase(fake.origin, 'sql-lrs');
    expect(report.external).toEqual([{ where: 'external LRS (LRS_ENDPOINT)', api: 'sql-lrs', actors: 1 }]);
    expect(report.notErased).toEqual([]);
    expect(fake.statements).toEqual([{ homePage: COURSERA_HOME, name: others }]);
    expect(report.erased.outbox).toBe(1);
  });

  it('erases the statements and the persona in Learning Locker, and nobody else', async () => {
    const fake = await start({ kind: 'learning-locker', ...ADMIN });
    const report = await erase(fake.origin, 'learning-locker');
    expect(report.external).toEqual([expect.objectContaining({ api: 'learning-locker', actors: 1 })]);
    expect(fake.statements).toEqual([{ homePage: COURSERA_HOME, name: others }]);
    expect([...fake.personas.values()]).toEqual([{ homePage: COURSERA_HOME, name: others }]);
    expect(fake.refusals).toEqual([]);
  });

  it('reports what stays when the LRS refuses, erases the gateway copies anyway, and finishes when erased again', async () => {
    const fake = await start({ kind: 'sql-lrs', ...ADMIN, deleteActorEnabled: false });
    const refused = await erase(fake.origin, 'sql-lrs');
    expect(refused.external).toEqual([]);
    expect(refused.notErased).toEqual([expect.objectContaining({ statements: 1, reason: expect.stringContaining('answered 404') })]);
    expect(refused.erased.outbox).toBe(1);
    expect(fake.statements).toHaveLength(2);

    const wrongPassword = await erase(fake.origin, 'sql-lrs', 'not-the-password');
    expect(JSON.stringify(wrongPassword)).not.toContain('not-the-password');
    expect(fake.refusals).toContain('login with wrong credentials');

    await fake.close();
    lrs = await startFakeLrsAdmin({ kind: 'sql-lrs', ...ADMIN, held: [{ homePage: COURSERA_HOME, name: theirs }] });
    const again = await erase(lrs.origin, 'sql-lrs');
    expect(again.external).toEqual([expect.objectContaining({ actors: 1 })]);
    expect(lrs.statements).toEqual([]);
  });

  it('without LRS_ERASE_API reports the delivered statements and how to erase them', async () => {
    const report = await erase('http://127.0.0.1:9', 'none');
    expect(report.external).toEqual([]);
    expect(report.notErased).toEqual([expect.objectContaining({ statements: 1, reason: expect.stringContaining('LRS_ERASE_API=none') })]);
  });
});
