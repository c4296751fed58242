import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DotenvError, mergeDotenv, readDotenv } from '../../src/cli/dotenv.js';
import { spawnCli } from '../support/cli.js';
import { ndjson, playVideo, SECRET } from '../support/edx-events.js';

/** Runs the compiled bin with `args` in `cwd`, as a shell would: the only way to see its start-up. */
async function bin(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, env, { cwd });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

describe('.env', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-dotenv-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = (text: string) => writeFile(join(dir, '.env'), text);

  it('reads NAME=value lines, comments, export, and quoted values over several lines with util.parseEnv', async () => {
    await write('# the database\nDATA_DIR=./here # where\n\nexport LOG_LEVEL=warn\nOAI_REPOSITORY_NAME="two\nlines"\nEMPTY=\n');
    expect(readDotenv(dir)).toEqual({ DATA_DIR: './here', LOG_LEVEL: 'warn', OAI_REPOSITORY_NAME: 'two\nlines', EMPTY: '' });
  });

  it('is optional: no file, no settings', () => {
    expect(readDotenv(dir)).toEqual({});
  });

  it('fills only what the environment lacks: the real environment wins, even when empty', async () => {
    await write('PORT=9000\nDATA_DIR=/from/dotenv\nLOG_LEVEL=debug\n');
    const env = mergeDotenv({ PORT: '8081', LOG_LEVEL: '' }, dir);
    expect(env).toEqual({ PORT: '8081', LOG_LEVEL: '', DATA_DIR: '/from/dotenv' });
  });

  it('refuses a bad line naming .env and its number, never its text', async () => {
    await write('PORT=9000\n# fine\nADMIN_TOKEN is s3cret-value\n');
    expect(() => readDotenv(dir)).toThrow(new DotenvError('.env line 3: expected NAME=value, a # comment or a blank line'));
    await write('PORT=9000\nPSEUDONYM_SECRET="s3cret-value\nLOG_LEVEL=info\n');
    expect(() => readDotenv(dir)).toThrow(new DotenvError('.env line 2: the quoted value never ends (no closing ")'));
  });

  it('is read by the bin at start-up: a command takes its settings from it', async () => {
    await write(`PSEUDONYM_SECRET=${SECRET}\nEDX_LMS_URL=https://from-dotenv.example.org/\n`);
    await writeFile(join(dir, 'tracking.log'), ndjson([playVideo(11, 0)]));
    const run = await bin(['translate', 'edx', 'tracking.log'], dir);
    expect(run.code).toBe(0);
    const [statement] = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { actor: { account: { homePage: string } } });
    expect(statement!.actor.account.homePage).toBe('https://from-dotenv.example.org');
  });

  it('stops the bin with one line on a bad .env, before anything runs', async () => {
    await write('DATA_DIR=./data\nnot a setting\n');
    const run = await bin(['migrate'], dir);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'xapi-gateway: .env line 2: expected NAME=value, a # comment or a blank line\n' });
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});
