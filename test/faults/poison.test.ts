/**
 * Poison values: U+0000 and lone surrogates are valid JSON and valid xAPI, but
 * PostgreSQL's jsonb refuses them. One such event must cost only its own record (one
 * rejection with its file:line), never the chunk around it: here they sit exactly on
 * chunk boundaries, first and last line of a chunk, with a chunk of 4 statements.
 * Depends on issue 16 item 1: fails on the code before it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { edxItems, edxTranslateOptions } from '../../src/pipelines/edx.js';
import { readTrackingLog } from '../../src/ingest/edx/tracking-log.js';
import { runImport } from '../../src/lrs/import-run.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { EDX_OPTIONS, LMS, ndjson, problemCheck, SECRET } from '../support/edx-events.js';
import { startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';
import { faultScenario, storedCounts } from './fault-table.js';

const CHUNK = 4;
const TOKEN = 'edx-instance-token-0123456789abcdef';

/** A graded problem of user `userId` whose title (a statement's activity name) holds `text`. */
function titled(userId: number, text: string): Record<string, unknown> {
  const plain = problemCheck(userId);
  return { ...plain, context: { ...(plain.context as object), module: { display_name: text, usage_key: 'block-v1:OrgX+CS101+2026+type@problem+block@q1' } } };
}

/** A graded problem of user `userId` whose answer (a statement's response) is `text`. */
function answered(userId: number, text: string): Record<string, unknown> {
  const plain = problemCheck(userId);
  return { ...plain, event: { ...(plain.event as object), answers: { q1_2_1: text } } };
}

/** Line number (1-based) → poison event: first and last lines of the 2nd chunk, last of the 3rd, first of the 4th. */
const POISON: Record<number, (userId: number) => Record<string, unknown>> = {
  5: (u) => titled(u, 'Question\u0000 1'),
  8: (u) => answered(u, 'choice\ud800'),
  12: (u) => answered(u, '\u0000'),
  13: (u) => titled(u, 'Question \udfff'),
};
const LINES = 18;
const GOOD = LINES - Object.keys(POISON).length;

describe.each(DATABASE_KINDS)('poison values on %s', (kind) => {
  let t: TestDatabase;
  let dir: string;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), 'xgw-faults-poison-'));
  });
  afterEach(async () => {
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every good statement and rejects each poison line once, at chunk boundaries, and a rerun adds nothing', async ({ task }) => {
    const f = faultScenario(task, 'poison values at chunk boundaries', kind);
    const file = join(dir, 'tracking.log');
    await writeFile(file, ndjson(Array.from({ length: LINES }, (_, i) => (POISON[i + 1] ?? problemCheck)(i + 1))));
    const outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    const run = async () => {
      try {
        const { summary } = await runImport(edxItems(readTrackingLog([file]), EDX_OPTIONS), { database: t.database, outbox, source: 'edx', input: file, batchSize: CHUNK });
        return summary;
      } catch {
        return undefined;
      }
    };

    const first = await run();
    f.count('first run finished', 1, first === undefined ? 0 : 1);
    const afterFirst = await storedCounts(t.database);
    f.count('outbox rows', GOOD, afterFirst.outbox.pending);
    f.count('rejected records', Object.keys(POISON).length, afterFirst.rejected);
    const { rows } = await t.database.query<{ position: string }>(`SELECT position FROM rejected_records ORDER BY id`);
    f.count('rejected at the poison lines', Object.keys(POISON).length, rows.filter((r) => Object.keys(POISON).some((line) => r.position === `${file}:${line}`)).length);

    const second = await run();
    f.count('rerun: added', 0, second?.added ?? -1);
    f.count('rerun: known', GOOD, second?.known ?? -1);
    f.count('rerun: rejected', Object.keys(POISON).length, second?.rejected ?? -1);
    f.count('outbox rows after the rerun', GOOD, (await storedCounts(t.database)).outbox.pending);
    f.check();
  });

  describe('POST /ingest/edx', () => {
    let app: RunningLrs;
    beforeEach(async () => {
      app = await startEmbeddedLrs(t.database, {
        edxIngest: { tokens: new Map([[TOKEN, 'lms-test']]), translate: edxTranslateOptions(loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS }), SECRET) },
      });
    });
    afterEach(async () => {
      await app.close();
    });

    it('answers 202 for a batch mixing poison and good events, storing the good ones', async ({ task }) => {
      const f = faultScenario(task, 'poison values in a live ingest batch', kind);
      const events = [titled(1, 'Question\u0000'), problemCheck(2), answered(3, '\udc00'), problemCheck(4)];
      const res = await fetch(`${app.origin}/ingest/edx`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(events) });
      f.count('HTTP status', 202, res.status);
      const body = (res.status === 202 ? await res.json() : {}) as { added?: number; rejected?: number };
      f.count('answer: added', 2, body.added ?? -1);
      f.count('answer: rejected', 2, body.rejected ?? -1);
      const after = await storedCounts(t.database);
      f.count('outbox rows', 2, after.outbox.pending);
      f.count('rejected records', 2, after.rejected);
      f.check();
    });
  });
});
