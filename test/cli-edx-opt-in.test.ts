import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

describe('export-edx-email-opt-in', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'xgw-optin-'));
    const dir = join(root, 'course-data', 'OrgX-2026-03-08');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'OrgX-email_opt_in-prod-analytics.csv'), [
      'user_id,username,email,full_name,course_id,is_opted_in_for_email,preference_set_datetime',
      '11,ada,ada@example.org,Ada Lovelace,course-v1:OrgX+CS101+2026,True,2026-02-20 10:00:00',
      '12,bob,bob@example.org,Bob Ross,course-v1:OrgX+CS101+2026,False,2026-02-20 10:00:00',
      '13,cy,cy@example.org,"Young, Cy",OrgX/CS101/2026,True,2026-02-20 10:00:00',
      '14,di,di@example.org,Di,course-v1:OrgX+OTHER+2026,True,2026-02-20 10:00:00',
    ].join('\n'));
    await writeFile(join(dir, 'OrgX-CS101-2026-auth_userprofile-prod-analytics.sql'), [
      ['id', 'user_id', 'name', 'language', 'location', 'gender', 'year_of_birth', 'level_of_education', 'country', 'city'].join('\t'),
      ['1', '11', 'Ada Lovelace', 'en', 'London', 'f', '1990', 'm', 'GB', 'London'].join('\t'),
    ].join('\n'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes only the opted-in learners of the course, with their profile, and says that it is personal data', async () => {
    const out = join(root, 'opt-in.csv');
    const run = await runCli(['export-edx-email-opt-in', root, '--course', 'course-v1:OrgX+CS101+2026', '--out', out], {});
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/personal data/);
    expect(JSON.parse(run.stdout)).toMatchObject({ learners: 2 });
    expect((await readFile(out, 'utf8')).split('\r\n')).toEqual([
      'mail,name,gender,year_of_birth,country',
      'ada@example.org,Ada Lovelace,f,1990,GB',
      'cy@example.org,"Young, Cy",,,',
      '',
    ]);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
  });
});
