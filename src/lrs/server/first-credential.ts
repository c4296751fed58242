/**
 * The credential of a first start: no anonymous write, ever, so a start with no
 * credentials makes one read-write credential, stores it hashed, and hands its password
 * to the operator once. Never through the logger: stderr is the log stream (pino writes
 * to fd 2), and logs are shipped and kept. On a terminal it is printed there; otherwise
 * it goes to a file in DATA_DIR that only the owner can read, and the log names the file.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CredentialStore } from './credential-store.js';

/** Where the password goes: a terminal when there is one, else a file in `dataDir`. */
export interface FirstCredentialOutput {
  /** The operator's terminal (stderr when it is a TTY), or undefined. */
  terminal: NodeJS.WritableStream | undefined;
  dataDir: string;
  logger: Logger;
}

/** The name of the file that holds the first password when there is no terminal. */
export const FIRST_CREDENTIAL_FILE = 'first-lrs-credential.txt';

const USERNAME = 'admin';

/**
 * Creates the credential `admin` and hands its password to the operator once.
 * @example await createFirstCredential(store, { terminal: process.stderr.isTTY ? process.stderr : undefined, dataDir, logger });
 */
export async function createFirstCredential(credentials: CredentialStore, out: FirstCredentialOutput): Promise<void> {
  const secret = await credentials.add(USERNAME, 'read_write', 'created on first start');
  const manage = 'Manage credentials with: npm run cli -- credentials --help';
  if (out.terminal) {
    out.terminal.write(`\nxapi-gateway: created the LRS credential "${USERNAME}" with the password ${secret}\nIt is stored hashed and will not be shown again. ${manage}\n\n`);
    return;
  }
  await mkdir(out.dataDir, { recursive: true });
  const file = join(out.dataDir, FIRST_CREDENTIAL_FILE);
  // A file left by an earlier first start may have other permissions: make a new one.
  await rm(file, { force: true });
  await writeFile(file, `username: ${USERNAME}\npassword: ${secret}\n`, { mode: 0o600, flag: 'wx' });
  out.logger.warn({ file, username: USERNAME }, `created the first LRS credential; its password is in the file named, readable by its owner only: read it, then delete the file. ${manage}`);
}
