import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeS3, type FakeS3 } from './fakes/s3.js';
import { runCli } from './support/cli.js';
import { LMS, ndjson, playVideo } from './support/edx-events.js';
import { testGpgKey, type TestGpgKey } from './support/gpg.js';

const KEYS = { accessKeyId: 'AKIAFAKEEDXSYNCCLI01', secretAccessKey: 'fake/cli+secret/key0123456789abcdefghijk' };

describe('xapi-gateway edx sync', () => {
  let dir: string;
  let key: TestGpgKey;
  let s3: FakeS3;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-cli-edx-sync-'));
    key = await testGpgKey(dir, 'data-czar');
    // The child process signs with the system clock, so this server keeps S3's: the real one.
    s3 = await startFakeS3({ ...KEYS, region: 'eu-west-1', now: Date.now });
    s3.put('edx-course-data', 'orgx/edx/events/2026/orgx-edx-events-2026-03-02.log.gz.gpg', key.encrypt(gzipSync(ndjson([playVideo(11, 0), playVideo(12, 60)]))));
    s3.put('edx-course-data', 'orgx/edx/events/2026/orgx-edx-events-2026-03-03.log.gz.gpg', Buffer.from('not encrypted'));
    s3.put('course-data', 'orgx-2026-03-08.zip.sha256', 'not a package');
    env = {
      DATA_DIR: join(dir, 'data'), PSEUDONYM_SECRET: 'edx-sync-cli-pseudonym-secret', EDX_LMS_URL: LMS, EDX_S3_PREFIX: 'orgx', EDX_S3_REGION: 'eu-west-1',
      EDX_S3_ENDPOINT: s3.url, EDX_S3_ACCESS_KEY_ID: KEYS.accessKeyId, EDX_S3_SECRET_ACCESS_KEY: KEYS.secretAccessKey, EDX_GPG_KEY_FILE: key.keyFile, EDX_GPG_PASSPHRASE: key.passphrase,
    };
  });
  afterAll(async () => {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a compact summary of what it fetched, imported, failed and skipped; the next run tries the failed file again from its backup', async () => {
    const first = await runCli(['edx', 'sync'], env);
    expect(first.code, first.stderr).toBe(0);
    const day2 = 'edx-course-data/orgx/edx/events/2026/orgx-edx-events-2026-03-03.log.gz.gpg';
    expect(first.stdout.trim().split('\n')).toEqual([
      'edX S3: listed 2, fetched 2, imported 1, failed 1, skipped 1',
      expect.stringMatching(/^ {2}2 new statements in 1 import run \(\d+\)$/),
      `  error: not-encrypted: ${day2}: not an OpenPGP message`,
      '  skipped: course-data/orgx-2026-03-08.zip.sha256: not a research data package orgx-YYYY-MM-DD.zip',
    ]);
    expect(first.stdout + first.stderr).not.toContain(key.passphrase);
    expect(first.stdout + first.stderr).not.toContain(KEYS.secretAccessKey);
    // It did nothing but fail: the summary, then exit 1 with the cause.
    const second = await runCli(['edx', 'sync', '--json'], env);
    expect(JSON.parse(second.stdout)).toMatchObject({ listed: 2, unchanged: 1, fetched: 0, imported: 0, failed: 1 });
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n').at(-1)).toBe(`xapi-gateway edx sync: nothing pulled from edX S3: ${day2}: not an OpenPGP message`);
  });

  it('exits 1 with one line when S3 refuses the signature, without the secret', async () => {
    const run = await runCli(['edx', 'sync'], { ...env, EDX_S3_SECRET_ACCESS_KEY: 'a-wrong-secret-access-key' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([`xapi-gateway edx sync: S3 refused the request (SignatureDoesNotMatch) at ${s3.url}/course-data/`]);
    expect(run.stderr).not.toContain('a-wrong-secret-access-key');
  });

  it('exits non-zero naming the settings it needs', async () => {
    const run = await runCli(['edx', 'sync'], { ...env, EDX_GPG_KEY_FILE: '', EDX_GPG_PASSPHRASE: '' });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toBe('xapi-gateway edx sync: the edX S3 sync needs EDX_GPG_KEY_FILE, EDX_GPG_PASSPHRASE');
  });
});
