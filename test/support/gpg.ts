/**
 * Real GPG fixtures for the edX S3 tests: two RSA 2048 key pairs in test/fixtures/edx-s3,
 * each secret key exported to a file with its passphrase as an institution keeps it, and
 * files encrypted to them with the system's gpg as edX encrypts them. The keys are made once
 * (a key made in a test took gpg 2-4 s, mostly waiting), so only the public key is imported,
 * into a temporary home that needs no agent.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** A key pair, its exported secret key and an encrypter to it. */
export interface TestGpgKey {
  keyFile: string;
  passphrase: string;
  encrypt(data: Buffer | string): Buffer;
}

/** The fixture keys: the institution's data czar, and a key that is not the institution's. */
const KEYS = {
  'data-czar': { email: 'data@orgx.example', passphrase: 'edx data czar passphrase' },
  stranger: { email: 'other@elsewhere.example', passphrase: 'another passphrase' },
} as const;

const fixture = (file: string) => fileURLToPath(new URL(`../fixtures/edx-s3/${file}`, import.meta.url));

function gpg(home: string, args: string[], input?: Buffer | string): Buffer {
  const r = spawnSync('/usr/bin/gpg', ['--homedir', home, '--batch', '--no-tty', ...args], { input: input ?? '', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`gpg ${args[0]} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** The fixture key `name`, with an encrypter whose home (public key only) is under `dir`. */
export async function testGpgKey(dir: string, name: keyof typeof KEYS): Promise<TestGpgKey> {
  const { email, passphrase } = KEYS[name];
  const home = join(dir, `gnupg-${name}`);
  await mkdir(home, { recursive: true });
  await chmod(home, 0o700);
  gpg(home, ['--import', fixture(`${name}.pub.asc`)]);
  return { keyFile: fixture(`${name}.key.asc`), passphrase, encrypt: (data) => gpg(home, ['--trust-model', 'always', '--recipient', email, '--encrypt'], data) };
}
