import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LrsProxy } from '../fakes/lrs-proxy.js';
import { freshCliSession, runCli } from '../support/cli.js';
import { makeStatements } from '../support/statements.js';

const PASSWORD = 'flush-lrs-password-77';

// Each case opens the embedded database a few times: slow on a busy machine.
describe('flush when nothing can be delivered', { timeout: 180_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  let session: Awaited<ReturnType<typeof freshCliSession>>;
  let lrs: LrsProxy;

  beforeEach(async () => {
    session = await freshCliSession('pglite', { LRS_USERNAME: 'gateway', LRS_PASSWORD: PASSWORD });
    ({ dir, env } = session);
    const file = join(dir, 'three.ndjson');
    await writeFile(file, makeStatements(3, 'flush-failures').map((s) => JSON.stringify(s)).join('\n'));
    expect((await session.run(['import', 'xapi', file])).code).toBe(0);
    // Nothing behind the proxy: in these tests it refuses, or is not there at all.
    lrs = await LrsProxy.start('http://127.0.0.1:9');
  });
  afterEach(async () => {
    await session.close();
    await lrs.down().catch(() => undefined);
  });

  it('exits 1 naming LRS_ENDPOINT, its URL, the cause and how many statements wait, when the LRS is not there', async () => {
    await lrs.down();
    const run = await session.run(['flush'], { LRS_ENDPOINT: lrs.endpoint });
    expect(run.code).toBe(1);
    const url = lrs.endpoint.replace(/\./g, '\\.');
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^xapi-gateway flush: nothing delivered to the LRS of LRS_ENDPOINT \\(${url}\\): .*ECONNREFUSED.*; 3 statements wait in the outbox$`));
    expect(run.stdout).toMatch(/^statements: 3 to retry/);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('exits 1 saying the LRS refused the gateway and which settings to check, when it answers 401', async () => {
    lrs.mode = { kind: 'status', status: 401 };
    const run = await session.run(['flush'], { LRS_ENDPOINT: lrs.endpoint });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^xapi-gateway flush: the LRS of LRS_ENDPOINT \(http:\/\/127\.0\.0\.1:\d+\/xapi\/\) refused the gateway: LRS answered 401 at .*; check LRS_ENDPOINT, LRS_USERNAME and LRS_PASSWORD; 3 statements wait in the outbox$/);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(lrs.requests).toBe(1);
  });

  it('refuses a password written into LRS_ENDPOINT itself, without showing it', async () => {
    const endpoint = lrs.endpoint.replace('http://', `http://gateway:${PASSWORD}@`);
    const run = await runCli(['flush'], { DATA_DIR: env.DATA_DIR!, LRS_ENDPOINT: endpoint, LOG_LEVEL: 'debug' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/LRS_ENDPOINT.*without user:password@/);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(lrs.requests).toBe(0);
  });

  it('exits 0 when nothing was due, and when it delivered', async () => {
    const sent = await session.run(['flush']);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toBe('statements: 3 sent (1 batch, 1 request)\n');
    const idle = await session.run(['flush']);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toBe('nothing was due\n');
  });
});
