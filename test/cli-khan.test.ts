import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pseudonym } from '../src/xapi/ids.js';
import { startFakeKhan, type FakeKhan } from './fakes/khan.js';
import { KHAN_CONSUMER as CONSUMER, KHAN_SCHOOL as FIXTURE } from './fixtures/khan-school.js';
import { freshCliSession } from './support/cli.js';

const SECRET = 'khan-cli-pseudonym-secret';
const p = (userId: string) => pseudonym(SECRET, userId);

describe('the Khan commands', () => {
  let dir: string;
  let fake: FakeKhan;
  let env: Record<string, string>;
  let session: Awaited<ReturnType<typeof freshCliSession>>;

  beforeEach(async () => {
    fake = await startFakeKhan(structuredClone(FIXTURE));
    session = await freshCliSession('pglite', {
      PSEUDONYM_SECRET: SECRET, KHAN_URL: fake.baseUrl,
      KHAN_CONSUMER_KEY: CONSUMER.key, KHAN_CONSUMER_SECRET: CONSUMER.secret, KHAN_TOKEN_KEY: randomBytes(32).toString('hex'),
    });
    ({ dir, env } = session);
  });
  afterEach(async () => {
    await session.close();
    await fake.close();
  });

  /** `khan authorize` with the address pasted on stdin, as an operator over SSH does. */
  async function authorizeByPaste(email: string, coachId: string) {
    fake.approveAs(coachId);
    const command = session.start(['khan', 'authorize', '--coach', email]);
    const [url] = await command.untilStderr(new RegExp(`${fake.baseUrl}/api/auth/authorize\\?\\S+`));
    await command.untilStderr(/Paste the whole address/);
    const approved = await fetch(url, { redirect: 'manual' });
    const callback = approved.headers.get('location')!;
    command.stdin.end(`${callback}\n`);
    return { ...(await command.done), callback };
  }

  it('authorizes two coaches (pasted and by listener), pulls them, writes the CSV files and delivers the statements', async () => {
    const first = await authorizeByPaste('Coach1@School.example', 'kaid_coach1');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ coachId: 'kaid_coach1', email: 'coach1@school.example' });

    // The second coach's browser comes back to a one-shot listener.
    fake.approveAs('kaid_coach2');
    const command = session.start(['khan', 'authorize', '--coach', 'coach2@school.example', '--listen', '0']);
    const [url] = await command.untilStderr(new RegExp(`${fake.baseUrl}/api/auth/authorize\\?\\S+`));
    const approved = await fetch(url, { redirect: 'manual' });
    const landing = await fetch(approved.headers.get('location')!);
    expect(landing.status).toBe(200);
    const second = await command.done;
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ coachId: 'kaid_coach2', email: 'coach2@school.example' });

    const verifier = new URL(first.callback).searchParams.get('oauth_verifier')!;
    for (const text of [first.stdout, first.stderr, second.stdout, second.stderr]) {
      expect(text).not.toContain(CONSUMER.secret);
      expect(text).not.toContain(env.KHAN_TOKEN_KEY);
      expect(text).not.toContain(verifier);
    }

    const coaches = await session.run(['khan', 'coaches']);
    expect(coaches.code, coaches.stderr).toBe(0);
    const listed = JSON.parse(coaches.stdout) as Record<string, unknown>[];
    expect(listed.map((c) => [c.coachId, c.email, c.revokedAt])).toEqual([['kaid_coach1', 'coach1@school.example', null], ['kaid_coach2', 'coach2@school.example', null]]);
    expect(Object.keys(listed[0]!).sort()).toEqual(['authorizedAt', 'coachId', 'email', 'lastError', 'lastPullAt', 'revokedAt']);

    fake.failStudent('kaid_s4', 500);
    const pull = await session.run(['khan', 'pull', '--json']);
    expect(pull.code, pull.stderr).toBe(0);
    const summary = JSON.parse(pull.stdout);
    expect(summary).toMatchObject({ coaches: 2, students: 3, rejected: 2, errors: [{ at: `student ${p('kaid_s4')}`, reason: expect.stringMatching(/500/) }] });
    // The shared student is fetched once: four endpoints.
    expect(fake.countStudent('kaid_s2')).toBe(4);
    expect(pull.stdout + pull.stderr).not.toMatch(/kaid_s\d|Ada|ada@example/);

    const out = join(dir, 'csv');
    const report = await session.run(['report', 'khan', 'all', '--out', out]);
    expect(report.code, report.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'README.txt', 'badge_detail.csv', 'badge_metadata.csv', 'coach_students.csv', 'composite_badges.csv', 'composite_exercises.csv',
      'exer_metadata.csv', 'exercise_states.csv', 'stu_detail.csv',
    ]);
    const pairs = (await readFile(join(out, 'coach_students.csv'), 'utf8')).trim().split(/\r?\n/).map((line) => line.split(',').slice(0, 2).join(','));
    expect(pairs[0]).toBe('coach,student');
    expect(pairs.slice(1).sort()).toEqual([
      `kaid_coach1,${p('kaid_s1')}`, `kaid_coach1,${p('kaid_s2')}`, `kaid_coach1,${p('kaid_s3')}`, `kaid_coach2,${p('kaid_s2')}`, `kaid_coach2,${p('kaid_s4')}`,
    ].sort());
    const students = (await readFile(join(out, 'stu_detail.csv'), 'utf8')).trim().split(/\r?\n/);
    expect(students[0]).toMatch(/^student,points,total_seconds_watched,badge_lev0,.*,coaches,first_visit,joined,registration_date,nickname,username,profile_root,proficient_exercises,all_proficient_exercises,first_seen,last_seen$/);
    expect(students.slice(1).map((line) => line.split(',').slice(0, 3).join(',')).sort()).toEqual([`${p('kaid_s1')},12500,3600`, `${p('kaid_s2')},100,0`].sort());

    const only = join(dir, 'one');
    const one = await session.run(['report', 'khan', 'badge_detail', '--out', only]);
    expect(one.code, one.stderr).toBe(0);
    expect((await readdir(only)).sort()).toEqual(['README.txt', 'badge_detail.csv']);
    expect(await readFile(join(only, 'badge_detail.csv'), 'utf8')).toContain(`${p('kaid_s1')},great-listener,2019-02-02T10:00:00.000Z,Addition 1`);

    const flush = await session.run(['flush', '--json']);
    expect(flush.code, flush.stderr).toBe(0);
    expect(JSON.parse(flush.stdout)).toMatchObject({ sent: summary.import.statements, dead: 0 });
  });

  it('a revoked coach is no longer pulled; a changed KHAN_TOKEN_KEY is named; a bad table name is refused', async () => {
    for (const [email, id] of [['coach1@school.example', 'kaid_coach1'], ['coach2@school.example', 'kaid_coach2']] as const) {
      const run = await authorizeByPaste(email, id);
      expect(run.code, run.stderr).toBe(0);
    }
    const revoke = await session.run(['khan', 'revoke', 'COACH2@school.example']);
    expect(revoke.code, revoke.stderr).toBe(0);
    const again = await session.run(['khan', 'revoke', 'coach2@school.example']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no active Khan coach is coach2@school\.example/);

    const pull = await session.run(['khan', 'pull', '--json']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(JSON.parse(pull.stdout)).toMatchObject({ coaches: 1, students: 3, errors: [] });
    expect(fake.countStudent('kaid_s4')).toBe(0);

    const otherKey = randomBytes(32).toString('hex');
    const locked = await session.run(['khan', 'pull', '--json'], { KHAN_TOKEN_KEY: otherKey });
    // No coach's token opens with another key: nothing was pulled, and the command says why.
    expect(locked.code, locked.stderr).toBe(1);
    expect(locked.stderr.trim().split('\n').at(-1)).toMatch(/^xapi-gateway khan pull: nothing pulled from Khan Academy: .*KHAN_TOKEN_KEY/);
    expect(JSON.parse(locked.stdout)).toMatchObject({ coaches: 0, errors: [{ at: 'coach kaid_coach1', reason: expect.stringMatching(/KHAN_TOKEN_KEY/) }] });
    expect(locked.stdout + locked.stderr).not.toContain(otherKey);

    const unset = await session.run(['khan', 'pull'], { KHAN_TOKEN_KEY: '' });
    expect(unset.code).toBe(1);
    expect(unset.stderr.trim()).toMatch(/^xapi-gateway khan pull: KHAN_TOKEN_KEY is not set/);

    const bad = await session.run(['report', 'khan', 'students', '--out', join(dir, 'x')]);
    // A wrong argument is a wrong command line: exit 2.
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^xapi-gateway report khan: students: not a Khan table; one of badge_metadata, .*, or all/);
  });
});
