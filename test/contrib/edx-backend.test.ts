import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/lrs/outbox.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { EDX_OPTIONS } from '../support/edx-events.js';
import { startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'contrib-backend-token-0123456789';

function python(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn('python3', args, { cwd: ROOT, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('the edX event-tracking backend in contrib/edx', () => {
  let t: TestDatabase;
  let app: RunningLrs;
  beforeAll(async () => {
    t = await freshDatabase('pglite');
    app = await startEmbeddedLrs(t.database, { edxIngest: { tokens: new Map([[TOKEN, 'contrib-test']]), translate: EDX_OPTIONS } });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('passes its own tests, those against this gateway included, and its events reach the outbox', async () => {
    const run = await python(['-m', 'unittest', 'discover', '-v', '-s', 'contrib/edx', '-p', 'test_*.py'], {
      XAPI_GATEWAY_URL: `${app.origin}/ingest/edx`,
      XAPI_GATEWAY_TOKEN: TOKEN,
    });
    expect(run.output).toMatch(/\nOK\n/);
    expect(run.output).not.toMatch(/skipped/);
    expect(run.code).toBe(0);
    const status = await new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 }).status();
    expect(status.counts.pending).toBe(3);
  });
});
