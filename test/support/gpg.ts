/**
 * Real GPG fixtures for the edX S3 tests: a key pair made with the system's gpg in a
 * temporary home (RSA 2048, quick to make), its secret key exported to a file as an
 * institution keeps it, and files encrypted to it as edX encrypts them.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A key pair, its exported secret key and an encrypter to it. */
export interface TestGpgKey {
  keyFile: string;
  passphrase: string;
  encrypt(data: Buffer | string): Buffer;
}

function gpg(home: string, args: string[], input?: Buffer | string): Buffer {
  const r = spawnSync('/usr/bin/gpg', ['--homedir', home, '--batch', '--no-tty', ...args], { input: input ?? '', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`gpg ${args[0]} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Makes a key pair under `dir` (its own GNUPGHOME) protected by `passphrase`. */
export async function makeGpgKey(dir: string, passphrase: string, email = 'data@orgx.example'): Promise<TestGpgKey> {
  const home = join(dir, 'gnupg-edx');
  await mkdir(home, { recursive: true });
  await chmod(home, 0o700);
  gpg(home, ['--pinentry-mode', 'loopback', '--passphrase', passphrase, '--quick-gen-key', `Org X Data Czar <${email}>`, 'rsa2048', 'encrypt', 'never']);
  const keyFile = join(dir, 'edx-data-czar.asc');
  await writeFile(keyFile, gpg(home, ['--pinentry-mode', 'loopback', '--passphrase', passphrase, '--armor', '--export-secret-keys', email]));
  return { keyFile, passphrase, encrypt: (data) => gpg(home, ['--trust-model', 'always', '--recipient', email, '--encrypt'], data) };
}
