import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { startService, type Service } from '../src/service.js';
import { runCli } from './support/cli.js';
import { ndjson as eventLines, playVideo } from './support/edx-events.js';
import { makeStatements } from './support/statements.js';

const XAPI = { 'X-Experience-API-Version': '1.0.3' };
const OPS = { user: 'ops', password: 'ops-password-of-the-test' };
const COURSERA = new URL('./fixtures/coursera/course-abc', import.meta.url).pathname;
const FUTURELEARN = new URL('./fixtures/futurelearn', import.meta.url).pathname;
const REFUSAL = /^xapi-gateway [a-z -]+: the embedded database in .+ is open in process \d+ .*stop it first.*DATABASE_URL.*admin API.*$/;

describe('CLI commands beside a running server on the embedded database', () => {
  let dir: string;
  let dataDir: string;
  let service: Service;
  const [statement] = makeStatements(1, 'beside');
  const start = () =>
    startService(loadConfig({ PORT: '0', DATA_DIR: dataDir, LRS_USERS: `${OPS.user}:${OPS.password}`, FLUSH_CRON: '0 0 1 1 *' }), pino({ level: 'silent' }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-beside-'));
    dataDir = join(dir, 'data');
    service = await start();
    await request(service.url).post('/xapi/statements').auth(OPS.user, OPS.password).set(XAPI).send(statement).expect(200);
  });
  afterAll(async () => {
    await service.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses every command that needs the database, at once, with one line saying what to do, and loses nothing', async () => {
    const ndjson = join(dir, 'in.ndjson');
    await writeFile(ndjson, `${JSON.stringify(makeStatements(1, 'cli-beside')[0])}\n`);
    const log = join(dir, 'tracking.log');
    // One event that translates: a translation of which nothing could be read exits 1.
    await writeFile(log, eventLines([playVideo(1)]));
    await mkdir(join(dir, 'package'));
    // Every command that writes, and one that only reads.
    const commands = [
      ['migrate'],
      ['flush'],
      ['status'],
      ['requeue'],
      ['credentials', 'add', 'dashboard'],
      ['credentials', 'revoke', OPS.user],
      ['import', 'xapi', ndjson],
      ['import', 'edx', log],
      ['import', 'edx-package', join(dir, 'package'), '--course', 'course-v1:X+Y+Z'],
      ['import', 'coursera', COURSERA, '--course', 'course-abc'],
      ['import', 'futurelearn', FUTURELEARN],
      ['khan', 'revoke', 'coach@example.org'],
    ];
    const env = { DATA_DIR: dataDir, PSEUDONYM_SECRET: 'beside-the-server-secret', EDX_LMS_URL: 'https://lms.example.org' };
    const runs = await Promise.all(commands.map((args) => runCli(args, env)));
    for (const [i, run] of runs.entries()) {
      expect({ command: commands[i], code: run.code }).toEqual({ command: commands[i], code: 1 });
      expect(run.stderr.trim()).toMatch(REFUSAL);
      expect(run.stdout).toBe('');
    }

    // Commands without a database still work beside the server.
    const translated = await runCli(['translate', 'edx', log], env);
    expect(translated.code).toBe(0);
    expect((await runCli(['--help'], env)).code).toBe(0);

    // The server's data is intact, now and after its restart.
    const read = async () =>
      (await request(service.url).get('/xapi/statements').query({ statementId: statement!.id }).auth(OPS.user, OPS.password).set(XAPI).expect(200)).body.id;
    expect(await read()).toBe(statement!.id);
    await service.stop();
    service = await start();
    expect(await read()).toBe(statement!.id);
    const { rows } = await service.database.query<{ n: number }>('SELECT (SELECT count(*) FROM statement_outbox)::int + (SELECT count(*) FROM lrs_credentials)::int + (SELECT count(*) FROM import_runs)::int AS n');
    expect(rows).toEqual([{ n: 0 }]);
  }, 180_000);
});
