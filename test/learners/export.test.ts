import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { exportLearner } from '../../src/learners/export.js';
import { findLearner } from '../../src/learners/find.js';
import { resolveLearner } from '../../src/learners/learner.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { importFutureLearn } from '../../src/pipelines/futurelearn.js';
import { pseudonym } from '../../src/xapi/ids.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { SECRET } from '../support/edx-events.js';

const RUN = 'test/fixtures/futurelearn/uni-x/climate-change/3 - 2026-01-05 - 2026-01-19';
const config = loadConfig({ PSEUDONYM_SECRET: SECRET });

/** The files of a ustar archive, in order, each header's checksum checked. */
function readTar(archive: Buffer): [string, string][] {
  const files: [string, string][] = [];
  for (let at = 0; at + 512 <= archive.length; ) {
    const header = archive.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, to: number) => header.subarray(from, to).toString('ascii').replace(/\0.*$/s, '').trim();
    const sum = [...header].reduce((s, b, i) => s + (i >= 148 && i < 156 ? 32 : b), 0);
    expect(parseInt(field(148, 156), 8)).toBe(sum);
    expect(field(257, 263)).toBe('ustar');
    const size = parseInt(field(124, 136), 8);
    files.push([field(0, 100), archive.subarray(at + 512, at + 512 + size).toString('utf8')]);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe.each(DATABASE_KINDS)('exporting a learner on %s', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    await importFutureLearn({ paths: [RUN] }, { config, database: t.database, outbox: new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 }), logger: pino({ level: 'silent' }) });
  });
  afterEach(() => t.drop());

  const archiveOf = async (user: string) => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const learner = await resolveLearner({ config, database: t.database }, 'futurelearn', user);
    await exportLearner({ database: t.database, now: () => new Date('2026-12-06T12:00:00Z') }, learner, out);
    return readTar(gunzipSync(Buffer.concat(chunks)));
  };

  it('holds their statements as NDJSON and their tables as CSV, README first, nothing of anyone else', async () => {
    const own = pseudonym(SECRET, 'l-aaaa1111');
    const found = await findLearner({ config, database: t.database }, 'futurelearn', 'l-aaaa1111');
    const files = await archiveOf('l-aaaa1111');
    expect(files.map(([name]) => name)).toEqual(['README.txt', 'outbox.ndjson', 'learner_profiles.csv']);
    const [, readme] = files[0]!;
    expect(readme).toContain(`outbox.ndjson (${found.places.find((p) => p.name === 'outbox')!.rows} rows)`);
    const statements = files[1]![1].trim().split('\n').map((line) => JSON.parse(line) as { actor: { account: { name: string } } });
    expect(statements).toHaveLength(found.places.find((p) => p.name === 'outbox')!.rows);
    expect(new Set(statements.map((s) => s.actor.account.name))).toEqual(new Set([own]));
    const profile = files[2]![1].trim().split('\r\n');
    expect(profile).toHaveLength(2);
    expect(profile[0]).toMatch(/^platform,learner,/);
    expect(profile[1]).toContain(own);
    const everything = files.map(([, content]) => content).join('\n');
    for (const other of ['l-bbbb2222', 'l-cccc3333', 'l-dddd4444']) expect(everything).not.toContain(pseudonym(SECRET, other));
  });

  it('is a README alone for a learner the gateway holds nothing of', async () => {
    const files = await archiveOf('l-nobody');
    expect(files.map(([name]) => name)).toEqual(['README.txt']);
    expect(files[0]![1]).toContain('none: the gateway holds nothing of this learner');
    expect(files[0]![1]).not.toContain('l-nobody');
  });
});
