import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE } from '../../src/cli/commands/sample.js';
import { loadConfig } from '../../src/config/index.js';
import { startService, type Service } from '../../src/service.js';
import { runCli } from '../support/cli.js';
import { DATABASE_KINDS, freshDatabaseSettings } from '../support/databases.js';

const ADMIN_TOKEN = 'sample-admin-token-of-32-characters';
/** The catalogue's titles, as the OAI feed must list them. */
const TITLES = ['Data Science Basics (sample)', 'Statistics for Everyone (sample)', 'Climate in Practice (sample)', 'Python in Steps (sample)'];

/** The paths of the addresses a load says to open next, on the default port. */
const printedPaths = (stdout: string) => [...stdout.matchAll(/http:\/\/localhost:8080(\/[^\s']+)/g)].map((m) => m[1]!);

/** The new statements of each import line of a load's short text. */
const added = (stdout: string) => [...stdout.matchAll(/statements \((\d+) new\)/g)].map((m) => Number(m[1]));

describe.each(DATABASE_KINDS)('sample load on a fresh %s database', (kind) => {
  let fresh: Awaited<ReturnType<typeof freshDatabaseSettings>>;
  let service: Service | undefined;
  let first: Awaited<ReturnType<typeof runCli>>;
  let second: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    fresh = await freshDatabaseSettings(kind);
    first = await runCli(['sample', 'load'], fresh.env);
    second = await runCli(['sample', 'load', '--json'], fresh.env);
    service = await startService(loadConfig({ PORT: '0', ...fresh.env, ADMIN_TOKEN, EDX_LMS_URL: 'https://lms.example.org/', FLUSH_CRON: '0 0 1 1 *' }), pino({ level: 'silent' }));
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await fresh.drop();
  });

  it('loads every part, prints a compact summary and what to open next', () => {
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('catalogue: 4 courses (4 new)');
    for (const part of ['edX', 'Coursera', 'FutureLearn']) expect(first.stdout).toMatch(new RegExp(`^${part}: import run \\d+: read \\d+ records: \\d+ translated into [1-9]\\d* statements \\([1-9]\\d* new\\)`, 'm'));
    expect(first.stdout).not.toContain('rejected');
    expect(first.stdout).toContain('defaulted: EDX_LMS_URL=https://lms.example.org/');
    expect(first.stdout).toContain('/oai?verb=ListRecords&metadataPrefix=oai_dc');
    expect(first.stdout).toContain(`/reports/futurelearn/${SAMPLE.futurelearnCourse}/${SAMPLE.futurelearnRun}`);
  });

  it('adds nothing the second time: the catalogue is replaced, the statements are known', async () => {
    expect(second.code).toBe(0);
    const again = JSON.parse(second.stdout) as Record<'edx' | 'coursera' | 'futurelearn', { added: number; known: number }> & { catalogue: unknown; flush: { sent: number } };
    expect(again.catalogue).toEqual({ courses: 4, created: 0 });
    const firstAdded = added(first.stdout);
    expect(firstAdded).toHaveLength(3);
    expect([again.edx, again.coursera, again.futurelearn]).toEqual(firstAdded.map((known) => expect.objectContaining({ added: 0, known })));
    expect(again.flush.sent).toBe(0);
    const total = firstAdded.reduce((a, b) => a + b, 0);
    expect((await service!.outbox.status()).counts).toMatchObject({ sent: total, pending: 0 });
  });

  it('every address it says to open answers with content', async () => {
    const paths = printedPaths(first.stdout);
    expect(paths.map((path) => path.split('?')[0])).toEqual([
      '/oai', '/reports/edx/summary', `/reports/coursera/${SAMPLE.courseraCourse}/indicators.csv`, `/reports/futurelearn/${SAMPLE.futurelearnCourse}/${SAMPLE.futurelearnRun}`,
    ]);
    for (const path of paths) {
      const res = await request(service!.url).get(path).auth(ADMIN_TOKEN, { type: 'bearer' });
      expect(res.status, path).toBe(200);
      expect(res.text.length, path).toBeGreaterThan(200);
    }
  });

  it('the OAI feed lists the sample courses', async () => {
    const res = await request(service!.url).get('/oai').query({ verb: 'ListRecords', metadataPrefix: 'oai_dc' }).expect(200);
    for (const title of TITLES) expect(res.text).toContain(title);
  });

  it('an edX report of the sample course has rows', async () => {
    const res = await request(service!.url).get('/reports/edx/video_activity').query({ course: SAMPLE.edxCourse }).auth(ADMIN_TOKEN, { type: 'bearer' }).expect(200);
    expect(res.body.statements).toBeGreaterThan(0);
    expect(res.body.rows.length).toBeGreaterThan(0);
  });

  it('the FutureLearn report of the sample run has learners and steps', async () => {
    const res = await request(service!.url).get(`/reports/futurelearn/${SAMPLE.futurelearnCourse}/${SAMPLE.futurelearnRun}.json`).auth(ADMIN_TOKEN, { type: 'bearer' }).expect(200);
    expect(JSON.stringify(res.body)).toMatch(/"1\.1"/);
    const dashboard = await request(service!.url).get(`/reports/futurelearn/${SAMPLE.futurelearnCourse}/${SAMPLE.futurelearnRun}`).auth('admin', ADMIN_TOKEN).expect(200);
    expect(dashboard.text).toContain('<table');
  });

  it('the Coursera indicators of the sample course have a row per learner', async () => {
    const res = await request(service!.url).get(`/reports/coursera/${SAMPLE.courseraCourse}/indicators.csv`).auth(ADMIN_TOKEN, { type: 'bearer' }).expect(200);
    expect(res.text.trim().split('\n').length).toBeGreaterThan(5);
  });
});
