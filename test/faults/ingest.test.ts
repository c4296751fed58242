/**
 * Live ingest while the service is killed with SIGKILL: every event the service
 * acknowledged with 202 is in the outbox after a restart, and the events of requests
 * the kill cut off, sent again by the client, are counted once.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { edxItem, edxTranslateOptions } from '../../src/pipelines/edx.js';
import { fromValue } from '../../src/ingest/edx/tracking-log.js';
import { startService } from '../../src/service.js';
import { childDatabase, withDatabase, type ChildDatabase } from '../support/child-database.js';
import { spawnCli, waitForOutput } from '../support/cli.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { LMS, ndjson, playVideo, SECRET } from '../support/edx-events.js';
import { freePort } from '../support/net.js';
import { faultScenario, storedCounts } from './fault-table.js';

const TOKEN = 'edx-instance-token-0123456789abcdef';
const SETTINGS = { EDX_INGEST_TOKENS: `lms-test:${TOKEN}`, EDX_LMS_URL: LMS, PSEUDONYM_SECRET: SECRET, FLUSH_CRON: '0 0 1 1 *', LRS_USERS: 'reader:reader-password-16' };
const BATCHES = 8;
const PER_BATCH = 100;

/** What the client saw of one POST: the statements its 202 counted as added or known, or nothing because the connection was cut. */
type Answer = { batch: number; counted: number } | { batch: number; cut: true };

const headers = (length: number) => ({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson', 'content-length': String(length) });

/**
 * POSTs one batch. Only a request racing the kill may be cut; any other failure of the
 * connection fails the test with its cause (a request to a live service must be answered).
 */
async function post(origin: string, batch: number, events: unknown[], racingTheKill = false): Promise<Answer> {
  const body = ndjson(events);
  try {
    const res = await fetch(`${origin}/ingest/edx`, { method: 'POST', headers: headers(Buffer.byteLength(body)), body });
    if (res.status !== 202) throw new Error(`POST /ingest/edx answered ${res.status}`);
    const { added, known } = (await res.json()) as { added: number; known: number };
    return { batch, counted: added + known };
  } catch (err) {
    if (err instanceof TypeError && racingTheKill) return { batch, cut: true };
    if (err instanceof TypeError) throw new Error(`POST /ingest/edx of batch ${batch} failed: ${String(err.cause ?? err.message)}`);
    throw err;
  }
}

/**
 * A POST whose body is only half sent, over a raw socket: the service is reading it when
 * it is killed. `reply` resolves with what came back before the socket closed.
 */
async function halfPost(port: number, events: unknown[]): Promise<{ reply: Promise<string> }> {
  const body = Buffer.from(ndjson(events));
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const reply = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
  });
  const head = Object.entries(headers(body.length)).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.write(`POST /ingest/edx HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${head}\r\n`);
  socket.write(body.subarray(0, body.length >> 1));
  // Wrapped: an async function would wait for a promise it returns.
  return { reply };
}

describe.each(DATABASE_KINDS)('live ingest faults on %s', (kind) => {
  let t: TestDatabase;
  let location: ChildDatabase;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    location = await childDatabase(kind, t);
    // A PGlite DATA_DIR is a migrated database loaded from a dump: slow on a busy machine.
  }, 120_000);
  afterEach(async () => {
    // Also when the test failed before its kill: the service must not outlive it.
    child?.kill('SIGKILL');
    await location.cleanup();
    await t.drop();
  });

  it('keeps every acknowledged event and counts each re-sent one once after the service was killed with SIGKILL', async ({ task }) => {
    const f = faultScenario(task, 'kill -9 service during live ingest, restart', kind);
    const batches = Array.from({ length: BATCHES }, (_, b) => Array.from({ length: PER_BATCH }, (_, i) => playVideo(i % 40, b * PER_BATCH + i)));
    const translate = edxTranslateOptions(loadConfig(SETTINGS), SECRET);
    const idsOf = (events: unknown[]) => events.flatMap((e) => {
      const item = edxItem(fromValue('x', e, JSON.stringify(e)), translate);
      return 'statements' in item ? item.statements.map((s) => s.id) : [];
    });

    const port = await freePort();
    child = spawnCli(['serve'], { ...location.env, ...SETTINGS, PORT: String(port), LOG_LEVEL: 'info' });
    const exited = once(child, 'exit');
    await waitForOutput(child, /xapi-gateway started/);
    const origin = `http://127.0.0.1:${port}`;

    // Three batches acknowledged one after the other; then one half sent and four at
    // once, and the kill as soon as one of those four is answered.
    const answers: Answer[] = [];
    for (let b = 0; b < 3; b++) answers.push(await post(origin, b, batches[b]!));
    const half = await halfPost(port, batches[3]!);
    const racing = [4, 5, 6, 7].map((b) => post(origin, b, batches[b]!, true));
    await Promise.race(racing);
    child.kill('SIGKILL');
    await exited;
    f.count('answers to the half-sent request', 0, (await half.reply).length);
    answers.push({ batch: 3, cut: true }, ...(await Promise.all(racing)));
    const acked = answers.filter((a): a is { batch: number; counted: number } => 'counted' in a);
    const cut = answers.filter((a) => 'cut' in a);

    const service = await startService(loadConfig({ ...location.env, ...SETTINGS, PORT: '0' }), pino({ level: 'silent' }));
    try {
      const ackedIds = acked.flatMap((a) => idsOf(batches[a.batch]!));
      const { rows } = await service.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM statement_outbox WHERE id = ANY($1::uuid[])`, [ackedIds]);
      f.count('acknowledged events in the outbox after restart', ackedIds.length, rows[0]!.n);
      // The client sends again what was not acknowledged.
      for (const a of cut) answers.push(await post(service.url, a.batch, batches[a.batch]!));
    } finally {
      await service.stop();
    }
    const resent = answers.slice(BATCHES);
    f.count('re-sent requests answered 202', cut.length, resent.filter((a) => 'counted' in a).length);
    // A cut request may have been stored before the kill: its events come back as known, never twice.
    f.count('events of every 202, added or known', BATCHES * PER_BATCH, answers.reduce((sum, a) => sum + ('counted' in a ? a.counted : 0), 0));
    const after = await withDatabase(location, storedCounts);
    f.count('outbox rows', BATCHES * PER_BATCH, after.outbox.pending);
    f.count('rejected records', 0, after.rejected);
    f.check();
  });
});
