/**
 * `report edx learner-events --user <edX user id>`: the learner named by the platform's
 * user id, turned into the name the translator gave their statements, and the id never
 * printed back, in output or in errors.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertIdentityLinks } from '../../src/catalog/identity-links.js';
import { pseudonym } from '../../src/xapi/ids.js';
import { cliSession } from '../support/cli.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { COURSE, LMS, ndjson, playVideo, problemCheck, SECRET } from '../support/edx-events.js';

// Ids that appear nowhere else in the output (no timestamp or count holds them).
const ADA = 90210;
const BO = 31337;

describe.each(DATABASE_KINDS)('report edx learner-events --user on %s', (kind) => {
  let t: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  let session: ReturnType<typeof cliSession>;
  const events = (args: string[]) => session.run(['report', 'edx', 'learner-events', '--course', COURSE, ...args]);

  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'xgw-edx-user-'));
    // The commands run on the test's database; DATA_DIR still holds their files.
    env = { ...(t.url ? { DATABASE_URL: t.url } : { DATA_DIR: join(dir, 'data') }), PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS };
    session = cliSession(env, t.database);
    const log = join(dir, 'OrgX-edx-events-2026-03-02.log');
    await writeFile(log, ndjson([playVideo(ADA), problemCheck(ADA), playVideo(BO, 30)]));
    expect((await session.run(['import', 'edx', log, '--json'])).code).toBe(0);
    expect((await session.run(['flush', '--json'])).code).toBe(0);
  });
  afterEach(async () => {
    await session.close();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the statements of the learner whose edX user id is given, as --learner with the pseudonym does, never the id', async () => {
    const byUser = await events(['--user', String(ADA)]);
    expect(byUser.code).toBe(0);
    const lines = byUser.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('timestamp,verb,object,result');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['https://w3id.org/xapi/video/verbs/played', 'http://adlnet.gov/expapi/verbs/answered']);
    const byPseudonym = await events(['--learner', pseudonym(SECRET, String(ADA))]);
    expect(byUser.stdout).toBe(byPseudonym.stdout);
    expect(`${byUser.stdout}${byUser.stderr}`).not.toContain(String(ADA));
    // Another id, another learner.
    expect((await events(['--user', String(BO)])).stdout.trim().split('\r\n')).toHaveLength(2);
  });

  it('finds a learner linked to an ECO user by the ECO id, as the translator names them', async () => {
    await upsertIdentityLinks(await session.database(), [{ platform: 'edx', platformUserId: String(BO), ecoUserId: 'eco-user-7' }]);
    const log = join(dir, 'OrgX-edx-events-2026-03-03.log');
    await writeFile(log, ndjson([problemCheck(BO, 1, { time: '2026-03-03T10:00:00.000000+00:00' })]));
    expect((await session.run(['import', 'edx', log, '--json'])).code).toBe(0);
    expect((await session.run(['flush', '--json'])).code).toBe(0);
    const byUser = await events(['--user', String(BO)]);
    expect(byUser.stdout).toBe((await events(['--learner', 'eco-user-7'])).stdout);
    expect(byUser.stdout.trim().split('\r\n').slice(1).map((l) => l.split(',')[1])).toEqual(['http://adlnet.gov/expapi/verbs/answered']);
  });

  it('refuses a --user that is no edX user id, both --user and --learner, and neither, without echoing the value', async () => {
    const bad = await events(['--user', 'ada@example.org']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--user: an edX user id is a whole number/);
    expect(`${bad.stdout}${bad.stderr}`).not.toContain('ada@example.org');
    const both = await events(['--user', String(ADA), '--learner', 'x']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/--user: give --learner or --user, not both/);
    expect(both.stderr).not.toContain(String(ADA));
    const neither = await events([]);
    expect(neither.code).not.toBe(0);
    expect(neither.stderr).toMatch(/--learner: .*--user/);
  });
});
