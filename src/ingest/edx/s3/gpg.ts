/**
 * Decryption of edX's files with the system's `gpg`, in a throwaway home: the key file
 * is imported into a fresh `GNUPGHOME` (mkdtemp, mode 0700), the passphrase goes to gpg
 * on its standard input (`--passphrase-fd 0` with loopback pinentry), never on a command
 * line or in the environment, and the home, its agent and the key are removed at close.
 * gpg's own words are not passed on (they name keys); a failure is classified.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CodedError } from '../../../errors.js';

/** Why gpg failed, in words an operator can act on. */
export type GpgFault = 'bad-passphrase' | 'no-secret-key' | 'not-encrypted' | 'bad-key-file' | 'failed';

/** gpg could not import the key or decrypt a file. */
export class GpgError extends CodedError {
  override readonly name = 'GpgError';
  constructor(
    readonly fault: GpgFault,
    message: string,
  ) {
    super(fault === 'bad-key-file' ? 'setup' : 'invalid', message);
  }
}

/** The system's gpg (Debian's `gnupg` package; the Dockerfile installs it). */
const GPG_BINARY = '/usr/bin/gpg';

/** A keyring holding the institution's key, open until `close`. */
export interface Gpg {
  /** Decrypts `input` into `output` (replaced if present; its folder made). */
  decrypt(input: string, output: string): Promise<void>;
  close(): Promise<void>;
}

/** gpg's status lines (`--status-fd 2`) that tell the fault. */
const FAULTS: readonly [RegExp, GpgFault][] = [
  [/\[GNUPG:\] BAD_PASSPHRASE|Bad passphrase/, 'bad-passphrase'],
  [/\[GNUPG:\] NO_SECKEY|No secret key/, 'no-secret-key'],
  [/\[GNUPG:\] NODATA|no valid OpenPGP data/, 'not-encrypted'],
];

function run(home: string, args: string[], passphrase: string | undefined): Promise<{ code: number; status: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(GPG_BINARY, ['--homedir', home, '--batch', '--no-tty', '--status-fd', '2', ...args], { stdio: ['pipe', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    let status = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (status.length < 64_000) status += chunk.toString('utf8');
    });
    child.on('error', (err) => reject(new GpgError('failed', `gpg cannot be run (${(err as NodeJS.ErrnoException).code ?? 'error'})`)));
    child.on('close', (code) => resolve({ code: code ?? 1, status }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(passphrase === undefined ? '' : `${passphrase}\n`);
  });
}

/**
 * Opens a throwaway keyring with the key of `keyFile`, its home made under `homeParent`.
 * @throws GpgError `setup` when the file holds no secret key gpg can import
 * @example const gpg = await openGpg(config.edxGpgKeyFile, config.edxGpgPassphrase); try { await gpg.decrypt(a, b); } finally { await gpg.close(); }
 */
export async function openGpg(keyFile: string, passphrase: string, homeParent = tmpdir()): Promise<Gpg> {
  const home = await mkdtemp(join(homeParent, 'xgw-gpg-'));
  // The agent re-protects the imported key with hashing it calibrates to take long on
  // purpose, and paid it again at every decryption (0.9 s each here, for hundreds of
  // files a sync). This copy lives for one sync in an owner-only folder: the key file's
  // own protection is untouched, and its copy here needs no more than the minimum.
  await writeFile(join(home, 'gpg-agent.conf'), 's2k-count 65536\n', { mode: 0o600 });
  const close = async () => {
    await new Promise<void>((resolve) => spawn('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { stdio: 'ignore' }).on('close', () => resolve()).on('error', () => resolve()));
    await rm(home, { recursive: true, force: true });
  };
  const imported = await run(home, ['--pinentry-mode', 'loopback', '--passphrase-fd', '0', '--import', keyFile], passphrase);
  // IMPORT_RES: count, no_user_id, imported, imported_rsa, unchanged, n_uids, n_subk, n_sigs, n_revoc, sec_read, ...
  if (imported.code !== 0 || !/\[GNUPG:\] IMPORT_RES(?: \d+){9} [1-9]/.test(imported.status)) {
    await close();
    throw new GpgError('bad-key-file', 'EDX_GPG_KEY_FILE holds no secret key gpg can import');
  }
  return {
    async decrypt(input, output) {
      await mkdir(dirname(output), { recursive: true });
      const r = await run(home, ['--pinentry-mode', 'loopback', '--passphrase-fd', '0', '--yes', '--output', output, '--decrypt', input], passphrase);
      if (r.code === 0) return;
      await rm(output, { force: true });
      const fault = FAULTS.find(([pattern]) => pattern.test(r.status))?.[1] ?? 'failed';
      throw new GpgError(fault, MESSAGES[fault]);
    },
    close,
  };
}

const MESSAGES: Record<GpgFault, string> = {
  'bad-passphrase': 'gpg could not decrypt: EDX_GPG_PASSPHRASE does not unlock the key',
  'no-secret-key': 'gpg could not decrypt: the file is not encrypted for the key of EDX_GPG_KEY_FILE',
  'not-encrypted': 'gpg could not decrypt: the file is no OpenPGP message',
  'bad-key-file': 'EDX_GPG_KEY_FILE holds no secret key gpg can import',
  failed: 'gpg could not decrypt the file',
};
