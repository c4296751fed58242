import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFirstCredential, FIRST_CREDENTIAL_FILE } from '../../src/lrs/server/first-credential.js';
import { CredentialStore } from '../../src/lrs/server/credential-store.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

describe('the credential of a first start', () => {
  let t: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    t = await freshDatabase('pglite');
    dir = await mkdtemp(join(tmpdir(), 'xgw-first-'));
  });
  afterEach(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the password on the terminal, and nothing of it reaches the log', async () => {
    const terminal = collect();
    const log = collect();
    const store = new CredentialStore(t.database);
    await createFirstCredential(store, { terminal: terminal.stream, dataDir: dir, logger: pino(log.stream) });
    const password = /created the LRS credential "admin" with the password (\S+)/.exec(terminal.text())![1]!;
    expect(await store.verify('admin', password)).toBe('read_write');
    expect(log.text()).toBe('');
    await expect(stat(join(dir, FIRST_CREDENTIAL_FILE))).rejects.toThrow();
  });

  it('without a terminal writes the password to a file only its owner can read, and logs only the file name', async () => {
    const log = collect();
    // A file of an earlier first start, readable by all, is replaced, not reused.
    await writeFile(join(dir, FIRST_CREDENTIAL_FILE), 'old', { mode: 0o644 });
    const store = new CredentialStore(t.database);
    await createFirstCredential(store, { terminal: undefined, dataDir: dir, logger: pino(log.stream) });

    const file = join(dir, FIRST_CREDENTIAL_FILE);
    const password = /password: (\S+)/.exec(await readFile(file, 'utf8'))![1]!;
    expect(await store.verify('admin', password)).toBe('read_write');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(log.text()).not.toContain(password);
    expect(JSON.parse(log.text().split('\n')[0]!)).toMatchObject({ file, msg: expect.stringMatching(/password is in the file named/) });
  });
});
