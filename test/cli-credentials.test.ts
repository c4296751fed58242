import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { startService } from '../src/service.js';
import { FIRST_CREDENTIAL_FILE } from '../src/lrs/server/first-credential.js';
import { CredentialStore, VERIFY_CACHE_MS } from '../src/lrs/server/credential-store.js';
import { cliSession } from './support/cli.js';
import { freshDatabase } from './support/databases.js';
import { tickingClock } from './support/clock.js';
import { startEmbeddedLrs } from './support/embedded-lrs.js';
import { makeStatements } from './support/statements.js';

const XAPI = { 'X-Experience-API-Version': '1.0.3' };

describe('LRS credentials', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-cred-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('adds, lists without secrets, and revokes credentials from the command line', async () => {
    const session = cliSession({ DATA_DIR: dir });
    const runCli = (args: string[]) => session.run(args);
    onTestFinished(() => session.close());
    const added = await runCli(['credentials', 'add', 'dashboard', '--read-only', '--label', 'reports']);
    expect(added.code).toBe(0);
    const { password, scope } = JSON.parse(added.stdout) as { password: string; scope: string };
    expect(scope).toBe('read');
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(added.stderr).not.toContain(password);

    const duplicate = await runCli(['credentials', 'add', 'dashboard']);
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toMatch(/exists already/);

    const list = await runCli(['credentials', 'list']);
    expect(list.stdout).not.toContain(password);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ username: 'dashboard', scope: 'read', label: 'reports', revokedAt: null })]);

    expect((await runCli(['credentials', 'revoke', 'dashboard'])).code).toBe(0);
    expect(JSON.parse((await runCli(['credentials', 'list'])).stdout)[0].revokedAt).not.toBeNull();
    expect((await runCli(['credentials', 'revoke', 'dashboard'])).code).not.toBe(0);
  });

  it('lets a read-only credential read but not write, and stops a revoked one once its verification is no longer remembered', async () => {
    const t = await freshDatabase('pglite');
    const { database } = t;
    const clock = tickingClock();
    const store = new CredentialStore(database, clock.now);
    const lrs = await startEmbeddedLrs(database, { credentials: store });
    try {
      const readOnly = await store.add('reader', 'read');
      const readWrite = await store.add('writer', 'read_write');
      const [statement] = makeStatements(1, 'cred');
      await request(lrs.origin).post('/xapi/statements').auth('writer', readWrite).set(XAPI).send(statement).expect(200);
      await request(lrs.origin).get('/xapi/statements').query({ statementId: statement!.id }).auth('reader', readOnly).set(XAPI).expect(200);
      const refused = await request(lrs.origin).post('/xapi/statements').auth('reader', readOnly).set(XAPI).send(statement).expect(403);
      expect(JSON.stringify(refused.body)).not.toContain(readOnly);
      await request(lrs.origin).get('/xapi/statements').auth('reader', 'wrong').set(XAPI).expect(401);

      await store.revoke('writer');
      // Remembered for VERIFY_CACHE_MS: still let in just before, refused after.
      await request(lrs.origin).get('/xapi/statements').auth('writer', readWrite).set(XAPI).expect(200);
      clock.advance(VERIFY_CACHE_MS);
      await request(lrs.origin).get('/xapi/statements').auth('writer', readWrite).set(XAPI).expect(401);
    } finally {
      await lrs.close();
      await t.drop();
    }
  });

  it('creates one credential on a first start without any, hands its password over once outside the log, and it works', async () => {
    // The service as `serve` starts it, in this process: its stderr is no terminal here.
    const start = async () => {
      let log = '';
      const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => done(void (log += chunk.toString())) }));
      const service = await startService(loadConfig({ PORT: '0', DATA_DIR: dir, FLUSH_CRON: '0 0 1 1 *' }), logger);
      return { origin: service.url, stop: async () => (await service.stop(), log) };
    };

    const first = await start();
    // The password is in a file of DATA_DIR, and the log names only the file.
    const file = join(dir, FIRST_CREDENTIAL_FILE);
    const password = /password: (\S+)/.exec(await readFile(file, 'utf8'))![1]!;
    await request(first.origin).post('/xapi/statements').auth('admin', password).set(XAPI).send(makeStatements(1, 'first')[0]!).expect(200);
    const firstLog = await first.stop();
    expect(firstLog).not.toContain(password);
    expect(firstLog).toContain(file);

    const second = await start();
    await request(second.origin).get('/xapi/statements').auth('admin', password).set(XAPI).expect(200);
    const secondLog = await second.stop();
    expect(secondLog).not.toMatch(/created the LRS credential/);
  });
});
