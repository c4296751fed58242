import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpgError, openGpg } from '../../../../src/ingest/edx/s3/gpg.js';
import { testGpgKey, type TestGpgKey } from '../../../support/gpg.js';

describe('decryption with the system gpg in a throwaway home', () => {
  let dir: string;
  let key: TestGpgKey;
  let other: TestGpgKey;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-gpg-test-'));
    key = await testGpgKey(dir, 'data-czar');
    other = await testGpgKey(dir, 'stranger');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const tempHomes = async (parent: string) => (await readdir(parent)).filter((n) => n.startsWith('xgw-gpg-'));

  it('decrypts a file encrypted to the key, and removes its home at close', async () => {
    const homes = join(dir, 'homes');
    await mkdir(homes);
    await writeFile(join(dir, 'x.gpg'), key.encrypt('{"event_type":"play_video"}\n'));
    const gpg = await openGpg(key.keyFile, key.passphrase, homes);
    expect(await tempHomes(homes)).toHaveLength(1);
    await gpg.decrypt(join(dir, 'x.gpg'), join(dir, 'x.log'));
    await gpg.close();
    expect(await readFile(join(dir, 'x.log'), 'utf8')).toBe('{"event_type":"play_video"}\n');
    expect(await tempHomes(homes)).toEqual([]);
  });

  it('says the passphrase is wrong, without it, and writes no output', async () => {
    await writeFile(join(dir, 'y.gpg'), key.encrypt('secret data'));
    const gpg = await openGpg(key.keyFile, 'not the passphrase');
    try {
      const error = await gpg.decrypt(join(dir, 'y.gpg'), join(dir, 'y.out')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GpgError);
      expect(error).toMatchObject({ fault: 'bad-passphrase', code: 'invalid', message: 'gpg could not decrypt: EDX_GPG_PASSPHRASE does not unlock the key' });
      expect((error as Error).message).not.toContain('not the passphrase');
      expect(await readdir(dir)).not.toContain('y.out');
    } finally {
      await gpg.close();
    }
  });

  it('says a file encrypted to another key is not for this one', async () => {
    await writeFile(join(dir, 'z.gpg'), other.encrypt('for someone else'));
    const gpg = await openGpg(key.keyFile, key.passphrase);
    try {
      await expect(gpg.decrypt(join(dir, 'z.gpg'), join(dir, 'z.out'))).rejects.toMatchObject({ fault: 'no-secret-key' });
      await writeFile(join(dir, 'plain.gpg'), 'not encrypted at all');
      await expect(gpg.decrypt(join(dir, 'plain.gpg'), join(dir, 'plain.out'))).rejects.toMatchObject({ fault: 'not-encrypted' });
    } finally {
      await gpg.close();
    }
  });

  it('refuses a key file without a secret key as a setup error', async () => {
    await writeFile(join(dir, 'not-a-key.asc'), 'hello');
    await expect(openGpg(join(dir, 'not-a-key.asc'), 'x')).rejects.toMatchObject({ code: 'setup', fault: 'bad-key-file' });
  });
});
